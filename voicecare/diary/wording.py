"""The diary's wording (``content/diary.toml``), read strictly: every key is required, no other key is
allowed, and each sentence may use only the placeholders listed for it here."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from voicecare.content.reader import CONTENT_DIR, Table, check_placeholders, read_table
from voicecare.records import CHANGE_ANSWERS, CHECKIN_OUTCOMES, EXERCISE_ENDINGS

DIARY_FILE = CONTENT_DIR / "diary.toml"

_ENTRY = {
    "intro": (),
    "back_question": (),
    "back_reask": (),
    "back_help": (),
    "back_readback": ("number",),
    "leg_question": (),
    "leg_reask": (),
    "leg_help": (),
    "leg_readback": ("number",),
    "readback_help": (),
    "saved": ("measure", "number", "day"),
    "not_saved": (),
    "not_taken": (),
    "change_question": (),
    "change_reask": (),
    "change_help": (),
    "change_saved": ("answer",),
    "new_symptom_question": (),
    "new_symptom_reask": (),
    "new_symptom_help": (),
    "offer_screening_new": (),
    "offer_screening_worse": ("points",),
    "offer_screening_help": (),
    "screening_declined": (),
    "after_exercise": (),
    "after_exercise_help": (),
    "back_pain": (),
    "leg_pain": (),
    "today": (),
}
_TREND = {
    "nothing": (),
    "this_week": ("average", "count"),
    "too_few": (),
    "better": ("before",),
    "a_little_better": ("before",),
    "about_the_same": ("before",),
    "a_little_worse": ("before",),
    "worse": ("before",),
    "worst_day": ("day", "rating"),
    "leg": ("average",),
    "weeks_advice": (),
}
_CHECKIN = {
    "offer": ("weeks",),
    "offer_reask": (),
    "offer_help": (),
    "intro": (),
    "then_diary": (),
    "not_now": (),
    "tomorrow": (),
    "no_answer": (),
    "stopped": (),
    "done": ("weeks",),
    "see_someone": (),
    "new_presentation": (),
}
_REPORT = {
    "title": (),
    "for_person": ("name",),
    "made": ("day",),
    "period": ("first", "last"),
    "nothing": ("who",),
    "unnamed": (),
    "summary_heading": (),
    "summary_screenings": ("count", "day", "outcome"),
    "summary_one_screening": ("day", "outcome"),
    "summary_no_screenings": (),
    "summary_pain": ("average", "day"),
    "summary_trend": ("change",),
    "summary_no_pain": (),
    "summary_change": ("day", "answer"),
    "summary_change_same": ("day",),
    "summary_exercises": ("count",),
    "summary_one_exercise": (),
    "summary_checkins": ("weeks",),
    "screenings_heading": (),
    "screenings_caption": (),
    "startback_heading": (),
    "startback_caption": (),
    "weekly_heading": (),
    "weekly_caption": (),
    "changes_heading": (),
    "changes_caption": (),
    "exercises_heading": (),
    "exercises_caption": (),
    "checkins_heading": (),
    "checkins_caption": (),
    "none_row": (),
    "yes": (),
    "no": (),
    "none": (),
    "not_given": (),
    "week_range": ("first", "last"),
    "worst": ("day", "rating"),
    "read_intro": (),
    "read_nothing": (),
    "read_export": (),
}
_COLUMNS = {
    "screenings_columns": 6,
    "startback_columns": 5,
    "weekly_columns": 5,
    "changes_columns": 2,
    "exercises_columns": 5,
    "checkins_columns": 4,
}
_REPORT_NAMES = {
    "outcomes": ("emergency", "urgent", "soon", "self_care", "none"),
    "trend": ("better", "a_little_better", "about_the_same", "a_little_worse", "worse"),
    "exercises": ("relaxation", "breathing", "reframing"),
    "endings": (*EXERCISE_ENDINGS, "none"),
    "checkin_outcomes": CHECKIN_OUTCOMES,
    "risks": ("low", "medium", "high"),
}
_FORGET = {
    "confirm": ("who",),
    "confirm_help": ("who",),
    "readback": ("who",),
    "done": ("who",),
    "kept": (),
    "nothing_kept": (),
    "you": (),
}
CHECKIN_CHOICES = ("yes", "not_now", "tomorrow")


@dataclass(frozen=True)
class DiaryWording:
    """Sentences keyed ``section.key`` (``report.outcomes.soon`` for the names of things), the report's
    column headers, and the phrases that pick each weekly answer and each reply to a check-in offer."""

    lines: Mapping[str, str]
    columns: Mapping[str, tuple[str, ...]]
    change_phrases: Mapping[str, tuple[str, ...]]
    checkin_phrases: Mapping[str, tuple[str, ...]]

    def line(self, key: str, **values: object) -> str:
        """The sentence at ``key`` with ``values`` put in for its placeholders."""
        text = self.lines[key]
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text


def load_diary_wording(path: Path | None = None) -> DiaryWording:
    """Read and validate ``diary.toml`` (the packaged one when ``path`` is None)."""
    return _packaged() if path is None else _parse(path)


@cache
def _packaged() -> DiaryWording:
    return _parse(DIARY_FILE)


def _parse(path: Path) -> DiaryWording:
    root = read_table(path)
    root.only(
        [
            "entry",
            "change_answers",
            "change_phrases",
            "trend",
            "checkin",
            "checkin_phrases",
            "report",
            "forget",
        ]
    )
    lines: dict[str, str] = {}
    for section, spec in (("entry", _ENTRY), ("trend", _TREND), ("checkin", _CHECKIN), ("forget", _FORGET)):
        lines.update(_sentences(root.table(section), section, spec))
    report = root.table("report")
    report.only([*_REPORT, *_COLUMNS, *_REPORT_NAMES])
    lines.update(_sentences(report, "report", _REPORT, check_only=False))
    for name, keys in _REPORT_NAMES.items():
        lines.update(_sentences(report.table(name), f"report.{name}", dict.fromkeys(keys, ())))
    lines.update(
        _sentences(root.table("change_answers"), "change_answers", dict.fromkeys(CHANGE_ANSWERS, ()))
    )
    columns = {}
    for key, count in _COLUMNS.items():
        headers = report.texts(key)
        if len(headers) != count:
            raise report.fail(
                key, f"has {len(headers)} headers, not {count}", f"write {count} column headers"
            )
        columns[key.removesuffix("_columns")] = headers
    return DiaryWording(
        lines,
        columns,
        _phrases(root.table("change_phrases"), CHANGE_ANSWERS),
        _phrases(root.table("checkin_phrases"), CHECKIN_CHOICES),
    )


def _sentences(
    table: Table, section: str, spec: Mapping[str, tuple[str, ...]], check_only: bool = True
) -> dict[str, str]:
    if check_only:
        table.only(list(spec))
    return {f"{section}.{key}": check_placeholders(table, key, allowed) for key, allowed in spec.items()}


def _phrases(table: Table, choices: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    table.only(list(choices))
    phrases = {choice: table.texts(choice) for choice in choices}
    seen: dict[str, str] = {}
    for choice, said in phrases.items():
        for phrase in said:
            if phrase != phrase.lower() or phrase in seen:
                raise table.fail(
                    choice,
                    f"has the phrase {phrase!r} in upper case or twice (also under {seen.get(phrase)})",
                    "write each phrase once, in lower case",
                )
            seen[phrase] = choice
    return phrases
