"""The report for a doctor or physiotherapist, as data: screening outcomes and their reasons, STarT Back
results (with Keele's notice), the weekly pain table, the better-or-worse answers, exercise sessions with
their ratings and the check-ins; its summary sentences (said by "read my report" and first on the page);
and its tables, which the HTML and text renderings share (``voicecare.diary.render``).

``gather`` reads one person's records from a store; everything else is a pure function of the data."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from voicecare.diary.days import long_date
from voicecare.diary.trend import Trend, WeekSummary, trend, weekly_table
from voicecare.diary.wording import DiaryWording
from voicecare.records import (
    ChangeRecord,
    CheckinRecord,
    ExerciseRunRecord,
    Person,
    Rating,
    RecordStore,
    ScreeningRecord,
)
from voicecare.screening.findings import Screening
from voicecare.screening.startback import StartBackTool, score

STARTBACK_FINDING = "startback"
"""The finding under which each STarT Back answer is kept in a screening's answers (question id
``startback.N``); ``STARTBACK_UNCLEAR`` marks an answer counted the way that asks for more care."""
STARTBACK_UNCLEAR = "startback.counted_unclear"


@dataclass(frozen=True)
class StartBackRow:
    """A scored STarT Back questionnaire, from the screening it followed."""

    on: date
    total: int
    psychosocial: int
    risk: str
    counted_unclear: tuple[int, ...]
    answers: tuple[tuple[int, str], ...]
    session_id: int


@dataclass(frozen=True)
class Report:
    """One person's records from ``since`` (None: all) as of ``made_on``; ``name`` None for the records
    kept with no name."""

    name: str | None
    made_on: date
    since: date | None
    screenings: tuple[ScreeningRecord, ...]
    startbacks: tuple[StartBackRow, ...]
    ratings: tuple[Rating, ...]
    changes: tuple[ChangeRecord, ...]
    exercises: tuple[ExerciseRunRecord, ...]
    checkins: tuple[CheckinRecord, ...]

    @property
    def empty(self) -> bool:
        return not (self.screenings or self.ratings or self.changes or self.exercises or self.checkins)

    @property
    def first(self) -> date | None:
        days = self._days()
        return min(days) if days else None

    @property
    def last(self) -> date | None:
        days = self._days()
        return max(days) if days else None

    def _days(self) -> list[date]:
        return [
            *(s.on for s in self.screenings),
            *(r.on for r in self.ratings),
            *(c.on for c in self.changes),
            *(e.on for e in self.exercises),
            *(c.offered_on for c in self.checkins),
        ]

    def weeks(self) -> list[tuple[WeekSummary, WeekSummary]]:
        """(back, leg) weekly summaries of 7 days ending on the last day rated, oldest first."""
        days = [r.on for r in self.ratings]
        if not days:
            return []
        first, last = min(days), max(days)
        back = weekly_table(self.ratings, first, last, "back_pain")
        leg = weekly_table(self.ratings, first, last, "leg_pain")
        return list(zip(back, leg, strict=True))

    def trend(self) -> Trend | None:
        """The last week rated against the week before; None with no rating."""
        days = [r.on for r in self.ratings if r.measure == "back_pain"]
        return trend(self.ratings, max(days)) if days else None

    def disposition_of(self, session_id: int | None) -> str | None:
        """The outcome tier of the screening ``session_id`` (a check-in's)."""
        for screening in self.screenings:
            if screening.session_id == session_id:
                return screening.disposition
        return None


def gather(store: RecordStore, person: Person | None, today: date, since: date | None = None) -> Report:
    """``person``'s records in ``store`` (None: those kept with no name) from ``since`` as a report made
    ``today``."""
    screenings = tuple(store.screenings(person, since))
    checkins = tuple(c for c in store.checkins(person) if since is None or c.offered_on >= since)
    return Report(
        None if person is None else person.name,
        today,
        since,
        screenings,
        tuple(startback_rows(screenings)),
        tuple(store.ratings(person, since)),
        tuple(store.changes(person, since)),
        tuple(store.exercise_runs(person, since)),
        checkins,
    )


def startback_rows(
    screenings: Sequence[ScreeningRecord], tool: StartBackTool | None = None
) -> list[StartBackRow]:
    """The STarT Back questionnaires answered in full after ``screenings``, scored."""
    rows = []
    for screening in screenings:
        answers: dict[int, str] = {}
        unclear: list[int] = []
        for question, finding, answer in screening.answers:
            if finding not in (STARTBACK_FINDING, STARTBACK_UNCLEAR):
                continue
            number = question.removeprefix(f"{STARTBACK_FINDING}.")
            if number.isdigit():
                answers[int(number)] = answer
                if finding == STARTBACK_UNCLEAR:
                    unclear.append(int(number))
        try:
            scored = score(answers, tool)
        except ValueError:
            continue
        rows.append(
            StartBackRow(
                screening.on,
                scored.total,
                scored.psychosocial,
                scored.risk.value,
                tuple(unclear),
                tuple(sorted(answers.items())),
                screening.session_id,
            )
        )
    return rows


def summary_lines(report: Report, wording: DiaryWording) -> list[str]:
    """The summary, a sentence each: the period, screenings, pain this week and its trend, the last weekly
    answer, exercises and check-ins."""
    if report.empty:
        who = report.name or wording.line("report.unnamed")
        return [wording.line("report.nothing", who=who)]
    first, last = report.first, report.last
    assert first is not None and last is not None
    lines = [wording.line("report.period", first=long_date(first), last=long_date(last))]
    if report.screenings:
        latest = report.screenings[-1]
        day, outcome = long_date(latest.on), outcome_text(latest.disposition, wording)
        count = len(report.screenings)
        if count == 1:
            lines.append(wording.line("report.summary_one_screening", day=day, outcome=outcome))
        else:
            lines.append(wording.line("report.summary_screenings", count=count, day=day, outcome=outcome))
    else:
        lines.append(wording.line("report.summary_no_screenings"))
    lines += _pain_lines(report, wording)
    if report.changes:
        change = report.changes[-1]
        if change.answer == "about_the_same":
            lines.append(wording.line("report.summary_change_same", day=long_date(change.on)))
        else:
            answer = wording.line(f"change_answers.{change.answer}")
            lines.append(wording.line("report.summary_change", day=long_date(change.on), answer=answer))
    if len(report.exercises) == 1:
        lines.append(wording.line("report.summary_one_exercise"))
    elif report.exercises:
        lines.append(wording.line("report.summary_exercises", count=len(report.exercises)))
    done = sorted({c.week for c in report.checkins if c.outcome == "done"})
    if done:
        lines.append(wording.line("report.summary_checkins", weeks=_and(done)))
    return lines


def _pain_lines(report: Report, wording: DiaryWording) -> list[str]:
    result = report.trend()
    if result is None or result.this_week.average is None:
        return [wording.line("report.summary_no_pain")]
    lines = [
        wording.line(
            "report.summary_pain", average=result.this_week.average, day=long_date(result.this_week.end)
        )
    ]
    if result.change is not None:
        change = wording.line(f"report.trend.{result.change.value}")
        lines.append(wording.line("report.summary_trend", change=change))
    return lines


def outcome_text(disposition: str | None, wording: DiaryWording) -> str:
    """A screening outcome in plain words."""
    key = disposition if disposition in ("emergency", "urgent", "soon", "self_care") else "none"
    return wording.line(f"report.outcomes.{key}")


def reason_text(finding_id: str, screening: Screening) -> str:
    """A finding as a plain phrase ("a history of cancer"); an id the findings do not know, spelt out."""
    finding = screening.findings.get(finding_id)
    return finding.summary if finding is not None else finding_id.replace("_", " ")


@dataclass(frozen=True)
class ReportTable:
    """One section of the report: its heading, the table's caption, column headers and rows (text)."""

    heading: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str | None = None


def report_tables(
    report: Report, wording: DiaryWording, screening: Screening, startback_notice: str
) -> list[ReportTable]:
    """The report's sections, in order, as tables of text."""
    line, yes, no = wording.line, wording.line("report.yes"), wording.line("report.no")
    none = line("report.none")

    def named(ids: Sequence[str]) -> str:
        return "; ".join(reason_text(i, screening) for i in ids) or none

    screenings = tuple(
        (
            long_date(s.on),
            outcome_text(s.disposition, wording),
            named(s.reasons),
            named(s.possible),
            yes if s.status == "complete" else no,
            yes if s.checkin else no,
        )
        for s in report.screenings
    )
    startbacks = tuple(
        (
            long_date(s.on),
            str(s.total),
            str(s.psychosocial),
            line(f"report.risks.{s.risk}"),
            ", ".join(str(n) for n in s.counted_unclear) or none,
        )
        for s in report.startbacks
    )
    weeks = tuple(
        (
            line("report.week_range", first=long_date(back.start), last=long_date(back.end)),
            _average(back, wording),
            str(back.count),
            line("report.worst", day=long_date(back.worst.on), rating=back.worst.rating)
            if back.worst
            else none,
            _average(leg, wording),
        )
        for back, leg in report.weeks()
    )
    changes = tuple((long_date(c.on), line(f"change_answers.{c.answer}")) for c in report.changes)
    exercises = tuple(
        (
            long_date(e.on),
            line(f"report.exercises.{e.kind}") if f"report.exercises.{e.kind}" in wording.lines else e.kind,
            line(f"report.endings.{e.ending or 'none'}"),
            _rating(e.rating_before, wording),
            _rating(e.rating_after, wording),
        )
        for e in report.exercises
    )
    checkins = tuple(
        (
            long_date(c.offered_on),
            str(c.week),
            line(f"report.checkin_outcomes.{c.outcome}"),
            outcome_text(report.disposition_of(c.session_id), wording) if c.session_id is not None else none,
        )
        for c in report.checkins
    )
    sections = [
        ("screenings", screenings, None),
        ("startback", startbacks, startback_notice if startbacks else None),
        ("weekly", weeks, None),
        ("changes", changes, None),
        ("exercises", exercises, None),
        ("checkins", checkins, None),
    ]
    return [
        ReportTable(
            line(f"report.{key}_heading"), line(f"report.{key}_caption"), wording.columns[key], rows, note
        )
        for key, rows, note in sections
    ]


def _average(week: WeekSummary, wording: DiaryWording) -> str:
    return wording.line("report.not_given") if week.average is None else str(week.average)


def _rating(value: int | None, wording: DiaryWording) -> str:
    return wording.line("report.not_given") if value is None else str(value)


def _and(numbers: Sequence[int]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
