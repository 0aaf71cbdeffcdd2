"""Tier 2: return visits as whole dialogues in text mode (docs/clinical.md, 'Return visits').

Each visit is run twice: first in-process through the one session builder, a test ``Person`` answering
each question by its id, on a copy of the records (to learn the replies); then as ``voicecare screen
--text --json --person NAME --date DAY`` in-process through ``main()``, those replies typed one a line, on
the records themselves. Both must ask the same questions in the same order and reach the same outcome.
"""

import io
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.dialogues.test_people_cli import IGNORED, Voicecare, only_line, spoil
from tests.dialogues.test_screen_cli import json_events, shared_from_json
from tests.support.screening_people import Person, PersonChannel, transcript
from voicecare.dialogue.event_sinks import RecordingSink
from voicecare.dialogue.events import Event
from voicecare.records import RecordStore
from voicecare.session.builder import Session
from voicecare.session.io import SessionIO
from voicecare.settings import settings_without_config

MARCH_1 = date(2026, 3, 1)
CANCER = "cancer_history.ever_or_testing"
THIN_BONES = "fragile_bones_injury.thin_bones_or_steroids"
STABLE_ASKED = [
    CANCER,
    THIN_BONES,
    "infection_risk.drugs_immunity_tb",
    "recent_spinal_procedure.last_3_months",
    "kidney_heart_or_blood_pressure",
    "bleeding_or_nsaid_risk",
]
"""The stable history a healthy 42-year-old is asked (the aneurysm risks only after a symptom)."""
RETURNING = Person({"return.who": "yes"})
"""Ann, come back with nothing new: yes to R0, no to everything else, age 42 and 2 weeks of pain if
asked."""
HEALTHY_RETURN_TURNS = 35
"""docs/clinical.md, 'Return visits': about 35 turns for a healthy returning person (44 on a first visit)."""


@pytest.fixture
def voicecare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Voicecare:
    return Voicecare(tmp_path, monkeypatch, capsys)


@dataclass
class Visit:
    """One visit: its events (from the ``voicecare screen --json`` run) and the replies typed."""

    events: list[Event]
    replies: list[str]
    stderr: str

    @property
    def ask_ids(self) -> list[str]:
        return [e["id"] for e in self.events if e["type"] == "ask"]  # type: ignore[index]

    @property
    def said(self) -> list[str]:
        return [e["text"] for e in self.events if e["type"] in ("ask", "say")]  # type: ignore[index]

    @property
    def outcome(self) -> dict[str, object]:
        (outcome,) = [e for e in self.events if e["type"] == "outcome"]  # type: ignore[index]
        return outcome  # type: ignore[return-value]


def in_process(
    data: Path, who: Person, name: str, day: str, save: bool = True
) -> tuple[list[Event], list[str]]:
    """The visit run through the session builder on the records in ``data``; its events and replies."""
    settings = settings_without_config(data_dir=data, person=name, today=day, save=save)
    sink = RecordingSink()
    channel = PersonChannel(who, sink)
    session = Session(SessionIO(channel, sink, settings, io.StringIO()), settings)  # type: ignore[arg-type]
    session.screen()
    return sink.events, channel.replies_given


def visit(voicecare: Voicecare, who: Person, day: str, name: str = "Ann", *extra: str) -> Visit:
    """``voicecare screen --text --json --person NAME --date DAY`` answered as ``who`` would."""
    copy = voicecare.data.parent / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    if voicecare.data.exists():
        shutil.copytree(voicecare.data, copy)
    save = "--no-save" not in extra
    events, replies = in_process(copy, Person(dict(who.replies), who.default), name, day, save)
    done = voicecare("screen", "--json", "--person", name, "--date", day, *extra, replies=replies)
    assert done.returncode == 0, done.stderr
    typed = json_events(done.stdout)
    assert shared_from_json(typed) == transcript(events), "the typed visit asks what the in-process one does"
    return Visit(typed, replies, done.stderr)  # type: ignore[arg-type]


def first_visit(voicecare: Voicecare, who: Person | None = None, day: str = "2026-03-01") -> Visit:
    return visit(voicecare, who or Person({}), day)


def stderr_notes(done: Visit) -> list[str]:
    """stderr without the questions printed there under --json."""
    said = set(done.said)
    return [line for line in done.stderr.splitlines() if line and line not in said]


def test_a_healthy_return_10_days_later_takes_35_turns(voicecare: Voicecare) -> None:
    first = first_visit(voicecare)
    assert len(first.ask_ids) == 44 and first.ask_ids[-1] == "startback.offer"
    again = visit(voicecare, RETURNING, "2026-03-11")
    assert again.ask_ids[:3] == ["return.who", "return.since", "return.fall"]
    assert len(again.ask_ids) == HEALTHY_RETURN_TURNS, again.ask_ids
    assert not {CANCER, "age", "pain_weeks", "serious_accident.accident", *STABLE_ASKED} & set(again.ask_ids)
    assert "startback.offer" not in again.ask_ids, "STarT Back again only from 12 weeks"
    assert "pregnant" in again.ask_ids and "saddle_numbness.wiping" in again.ask_ids
    assert "On 1 March you told me you are 42 and have not had cancer." in again.said
    assert "Counting from then, your pain has lasted about 4 weeks." in again.said
    assert again.outcome["disposition"] == "soon" and again.outcome["reasons"] == ["pain_weeks"]
    assert "I counted this from what you told me on 1 March." in again.said


def test_a_healthy_return_30_days_later_asks_the_stable_history_again(voicecare: Voicecare) -> None:
    first_visit(voicecare)
    again = visit(voicecare, RETURNING, "2026-03-31")
    assert again.ask_ids[:2] == ["return.who", "return.fall"], "no R1: the stable history is asked anyway"
    assert [i for i in again.ask_ids if i in STABLE_ASKED] == STABLE_ASKED
    assert len(again.ask_ids) == HEALTHY_RETURN_TURNS - 1 + len(STABLE_ASKED)
    assert "age" not in again.ask_ids and "startback.offer" not in again.ask_ids
    later = visit(voicecare, RETURNING, "2026-04-10")
    assert len(later.ask_ids) == HEALTHY_RETURN_TURNS, "the stable history is fresh again for 28 days"
    assert "On 31 March you told me you have not had cancer." in later.said
    assert "On 1 March you told me you are 42." in later.said


def test_a_healthy_return_90_days_later_is_a_first_visit_again(voicecare: Voicecare) -> None:
    first = first_visit(voicecare)
    again = visit(voicecare, Person({}), "2026-05-30")
    assert again.ask_ids == first.ask_ids, "the first-visit route and the STarT Back offer"
    assert not any("told me" in line for line in again.said)


def test_after_an_urgent_outcome_the_first_visit_route(voicecare: Voicecare) -> None:
    urgent = first_visit(voicecare, Person({"night_pain.wakes": "yes"}))
    assert urgent.outcome["disposition"] == "urgent"
    again = visit(voicecare, Person({}), "2026-03-11")
    assert again.ask_ids[:2] == [CANCER, "age"] and "return.who" not in again.ask_ids
    assert len(again.ask_ids) == 44


def test_no_to_r0_is_a_first_visit_kept_with_no_person(voicecare: Voicecare) -> None:
    first_visit(voicecare)
    stranger = visit(voicecare, Person({"return.who": "no", "night_pain.wakes": "yes"}), "2026-03-11")
    assert stranger.ask_ids[:3] == ["return.who", CANCER, "age"]
    assert not any("told me" in line for line in stranger.said), "nothing remembered is said"
    assert stranger.outcome["disposition"] == "urgent"
    store = voicecare.store()
    ann = store.find_person("Ann")
    assert ann is not None
    sessions = store.sessions()
    assert [s.person_id for s in sessions] == [ann.id, None], "the stranger's visit is no one's"
    history = store.history(ann, date(2026, 3, 11))
    assert history.last_screening is not None and history.last_screening.on == MARCH_1
    assert {r.on for r in history.answers.values()} == {MARCH_1}, "nothing of the stranger's remembered"
    store.close()
    again = visit(voicecare, RETURNING, "2026-03-12")
    assert len(again.ask_ids) == HEALTHY_RETURN_TURNS, "Ann's own return visit is untouched"


@pytest.mark.parametrize("reply", ["not sure", "purple", "yes"])
def test_anything_but_a_clear_no_to_r0_is_the_first_visit_route(voicecare: Voicecare, reply: str) -> None:
    first_visit(voicecare)
    again = visit(voicecare, Person({"return.who": reply}), "2026-03-11")
    if reply == "yes":
        assert again.ask_ids[1] == "return.since"
        return
    assert not any("told me" in line for line in again.said), "nothing remembered is said or used"
    assert CANCER in again.ask_ids and "age" in again.ask_ids and "return.since" not in again.ask_ids


@pytest.mark.parametrize("reply", ["yes", "not sure", "purple"])
def test_anything_but_a_clear_no_to_r1_asks_the_stable_history_in_full(
    voicecare: Voicecare, reply: str
) -> None:
    first_visit(voicecare)
    again = visit(voicecare, Person({"return.who": "yes", "return.since": reply}), "2026-03-11")
    assert [i for i in again.ask_ids if i in STABLE_ASKED] == STABLE_ASKED
    assert "age" not in again.ask_ids and "pain_weeks" not in again.ask_ids
    assert "return.fall" in again.ask_ids


def test_a_fall_asks_the_accident_and_minor_injury_questions(voicecare: Voicecare) -> None:
    first_visit(voicecare, Person({THIN_BONES: "yes"}))
    again = visit(
        voicecare,
        Person({"return.who": "yes", "return.fall": "yes", "fragile_bones_injury.minor_injury": "yes"}),
        "2026-03-11",
    )
    assert "serious_accident.accident" in again.ask_ids
    assert "fragile_bones_injury.minor_injury" in again.ask_ids and THIN_BONES not in again.ask_ids
    assert again.outcome["disposition"] == "urgent" and again.outcome["reasons"] == ["fragile_bones_injury"]
    assert (
        "You told me on 1 March that you have thin bones, or have taken steroid tablets for 3 months or more."
        in again.said
    ), "a remembered yes keeps counting, with its date"


def test_without_a_fall_the_minor_injury_is_not_asked(voicecare: Voicecare) -> None:
    first_visit(voicecare, Person({THIN_BONES: "yes"}))
    again = visit(voicecare, RETURNING, "2026-03-11")
    assert "fragile_bones_injury.minor_injury" not in again.ask_ids
    assert again.said[2].startswith(
        "On 1 March you told me you are 42, have not had cancer and have thin bones"
    )


@pytest.mark.parametrize(
    ("check", "kept"), [("not sure", True), ("purple", True), ("no", True), ("yes", False)]
)
def test_a_remembered_yes_is_dropped_only_when_the_person_confirms(
    voicecare: Voicecare, check: str, kept: bool
) -> None:
    first_visit(voicecare, Person({THIN_BONES: "yes"}))
    change = f"{THIN_BONES}.change"
    replies = {"return.who": "yes", "return.fall": "yes", THIN_BONES: "no", change: check}
    again = visit(voicecare, Person(replies), "2026-03-31")
    assert THIN_BONES in again.ask_ids and change in again.ask_ids
    store = voicecare.store()
    ann = store.find_person("Ann")
    assert ann is not None
    remembered = store.history(ann, date(2026, 3, 31)).answers[THIN_BONES]
    store.close()
    assert remembered.answer == ("yes" if kept else "no") and remembered.on == date(2026, 3, 31)


def test_age_is_asked_again_when_a_threshold_may_have_been_passed(voicecare: Voicecare) -> None:
    first_visit(voicecare, Person({"age": "forty nine"}))
    again = visit(voicecare, Person({"return.who": "yes", "age": "fifty"}), "2026-03-11")
    assert "age" in again.ask_ids and "age.readback" in again.ask_ids
    assert again.outcome["disposition"] == "soon"


def test_a_corrupt_history_is_ignored_and_the_first_visit_route_used(voicecare: Voicecare) -> None:
    first = first_visit(voicecare)
    spoil(voicecare.data, "UPDATE remembered SET answer = 'perhaps' WHERE key = ?", CANCER)
    again = visit(voicecare, Person({}), "2026-03-11")
    line = only_line("\n".join(stderr_notes(again)))
    assert line.startswith(IGNORED.format(name="Ann")) and line.endswith("; asking everything afresh")
    assert again.ask_ids == first.ask_ids


def test_another_persons_history_is_ignored_and_the_first_visit_route_used(voicecare: Voicecare) -> None:
    first = first_visit(voicecare)
    visit(voicecare, Person({}), "2026-03-01", "Bob")
    store = voicecare.store()
    ann, bob = store.find_person("Ann"), store.find_person("Bob")
    assert ann is not None and bob is not None
    store.close()
    spoil(
        voicecare.data,
        "UPDATE remembered SET person_id = ? WHERE key = 'age' AND person_id = ?",
        ann.id,
        bob.id,
    )
    again = visit(voicecare, Person({}), "2026-03-11")
    assert "another person's session" in only_line("\n".join(stderr_notes(again)))
    assert again.ask_ids == first.ask_ids


def test_no_save_is_always_a_first_visit(voicecare: Voicecare) -> None:
    first = first_visit(voicecare)
    again = visit(voicecare, Person({}), "2026-03-11", "Ann", "--no-save")
    assert again.ask_ids == first.ask_ids


def test_typed_and_json_transcripts_of_a_return_visit_are_the_same(voicecare: Voicecare) -> None:
    """Typed text prints every line said; JSON gives the same lines as events, the questions in order."""
    first_visit(voicecare)
    backup = voicecare.data.parent / "before-return"
    shutil.copytree(voicecare.data, backup)
    under_json = visit(voicecare, RETURNING, "2026-03-11")
    shutil.rmtree(voicecare.data)
    shutil.copytree(backup, voicecare.data)
    typed = voicecare("screen", "--person", "Ann", "--date", "2026-03-11", replies=under_json.replies)
    assert typed.returncode == 0, typed.stderr
    assert typed.stdout.splitlines() == under_json.said
    assert len(under_json.ask_ids) == HEALTHY_RETURN_TURNS


def test_the_rules_see_a_return_visit_as_ordinary_answers(voicecare: Voicecare) -> None:
    """A new warning sign on a return visit is an emergency as on a first visit."""
    first_visit(voicecare)
    again = visit(voicecare, Person({"return.who": "yes", "saddle_numbness.skin": "yes"}), "2026-03-11")
    assert again.outcome["disposition"] == "emergency"
    assert again.ask_ids[:4] == ["return.who", "return.since", "return.fall", "saddle_numbness.skin"]


def test_a_return_visit_is_remembered_with_the_person_and_day(voicecare: Voicecare) -> None:
    first_visit(voicecare)
    visit(voicecare, RETURNING, "2026-03-11")
    store = RecordStore(voicecare.data)
    ann = store.find_person("Ann")
    assert ann is not None
    history = store.history(ann, date(2026, 3, 11))
    store.close()
    assert history.last_screening is not None and history.last_screening.on == date(2026, 3, 11)
    assert history.answers[CANCER].on == MARCH_1, "a remembered answer keeps its own date"
    assert history.answers["saddle_numbness.skin"].on == date(2026, 3, 11)
