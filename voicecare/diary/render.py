"""The report rendered for people: one accessible HTML page, and plain text for a screen reader or for
printing. Both say the same things in the same order: the title, the summary sentences, then each table.

The HTML page sets its language, has one h1 and an h2 per section, gives every table a caption, column
header cells (``scope="col"``) and the date of each row as its row header (``scope="row"``); an empty
section says so in a sentence instead of an empty table. It uses no colour to carry meaning (black text
on white, borders only) and no script. The text puts each row on one line as "Header: value" pairs, so a
screen reader never reads a bare number without its meaning.
"""

from html import escape

from voicecare.diary.days import long_date
from voicecare.diary.report import Report, ReportTable, summary_lines
from voicecare.diary.wording import DiaryWording

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60em;margin:1em auto;padding:0 1em;"
    "color:#111;background:#fff;line-height:1.5}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #444;padding:.3em .6em;text-align:left;vertical-align:top}"
    "caption{text-align:left;font-weight:bold;padding:.3em 0}"
)


def title(report: Report, wording: DiaryWording) -> str:
    return (
        wording.line("report.title")
        if report.name is None
        else wording.line("report.for_person", name=report.name)
    )


def as_html(report: Report, tables: list[ReportTable], wording: DiaryWording) -> str:
    """The report as one HTML page (UTF-8, language English)."""
    heading = escape(title(report, wording))
    made = escape(wording.line("report.made", day=long_date(report.made_on)))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{heading}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{heading}</h1>",
        f"<p>{made}</p>",
        "</header>",
        "<main>",
        '<section aria-labelledby="summary">',
        f'<h2 id="summary">{escape(wording.line("report.summary_heading"))}</h2>',
        *(f"<p>{escape(line)}</p>" for line in summary_lines(report, wording)),
        "</section>",
    ]
    if not report.empty:
        for index, table in enumerate(tables, start=1):
            parts += _html_section(table, f"section-{index}", wording)
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _html_section(table: ReportTable, anchor: str, wording: DiaryWording) -> list[str]:
    parts = [f'<section aria-labelledby="{anchor}">', f'<h2 id="{anchor}">{escape(table.heading)}</h2>']
    if not table.rows:
        parts.append(f"<p>{escape(table.caption)}: {escape(wording.line('report.none_row'))}</p>")
    else:
        parts += ["<table>", f"<caption>{escape(table.caption)}</caption>", "<thead>", "<tr>"]
        parts += [f'<th scope="col">{escape(column)}</th>' for column in table.columns]
        parts += ["</tr>", "</thead>", "<tbody>"]
        for row in table.rows:
            cells = [f'<th scope="row">{escape(row[0])}</th>'] + [
                f"<td>{escape(cell)}</td>" for cell in row[1:]
            ]
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts += ["</tbody>", "</table>"]
    if table.note:
        parts.append(f"<p>{escape(table.note)}</p>")
    parts.append("</section>")
    return parts


def as_text(report: Report, tables: list[ReportTable], wording: DiaryWording) -> str:
    """The report as plain text: headings underlined, one row a line as "Header: value" pairs."""
    lines = [
        *_heading(title(report, wording), "="),
        wording.line("report.made", day=long_date(report.made_on)),
        "",
    ]
    lines += [*_heading(wording.line("report.summary_heading"), "-"), *summary_lines(report, wording), ""]
    if not report.empty:
        for table in tables:
            caption = table.caption if table.caption[-1:] in ".?!" else f"{table.caption}."
            lines += [*_heading(table.heading, "-"), caption]
            if not table.rows:
                lines.append(wording.line("report.none_row"))
            for row in table.rows:
                lines.append(
                    "; ".join(f"{column}: {cell}" for column, cell in zip(table.columns, row, strict=True))
                )
            if table.note:
                lines.append(table.note)
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _heading(text: str, underline: str) -> list[str]:
    return [text, underline * len(text)]
