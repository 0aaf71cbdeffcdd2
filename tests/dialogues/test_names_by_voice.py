"""Names by voice (issue 11: "A person has a name (asked once, changeable by voice)"), typed through the
CLI in-process: the first screening on a device with nobody stored asks a name and reads it back, the next
visit asks R0 with it, "change my name" and "call me ..." rename with a read-back, and with several people
stored the person chooses by name or says "someone new"."""

from pathlib import Path
from typing import Any

import pytest

from tests.dialogues.test_people_cli import Voicecare
from tests.dialogues.test_screen_cli import json_events, screened
from voicecare.dialogue.naming import load_naming_talk

TALK = load_naming_talk()
HEALTHY = screened("self_care").replies
"""A first visit with no warning signs, as test_screen_cli types it."""


@pytest.fixture
def voicecare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Voicecare:
    return Voicecare(tmp_path, monkeypatch, capsys)


def asks(stdout: str) -> list[tuple[str, str]]:
    events: list[dict[str, Any]] = json_events(stdout)  # type: ignore[assignment]
    return [(e["id"], e["text"]) for e in events if e["type"] == "ask"]


def said(stdout: str) -> list[str]:
    events: list[dict[str, Any]] = json_events(stdout)  # type: ignore[assignment]
    return [e["text"] for e in events if e["type"] in ("ask", "say")]


def people(voicecare: Voicecare) -> list[str]:
    store = voicecare.store()
    try:
        return [person.name for person in store.people()]
    finally:
        store.close()


def test_the_first_screening_asks_the_name_reads_it_back_and_stores_it(voicecare: Voicecare) -> None:
    replies = ["my name is sam", "yes", *HEALTHY]
    done = voicecare("screen", "--json", "--date", "2026-03-01", replies=replies)
    assert done.returncode == 0, done.stderr
    assert asks(done.stdout)[:2] == [
        ("name", TALK.ask.text),
        ("name.readback", "I'll call you Sam. Is that right?"),
    ]
    assert asks(done.stdout)[2][0] == "cancer_history.ever_or_testing"
    assert people(voicecare) == ["Sam"]
    store = voicecare.store()
    (session,) = store.sessions()
    (sam,) = store.people()
    store.close()
    assert session.person_id == sam.id and session.disposition == "self_care"


def test_the_next_visit_asks_r0_with_the_name(voicecare: Voicecare) -> None:
    voicecare("screen", "--json", "--date", "2026-03-01", replies=["Sam", "yes", *HEALTHY])
    again = voicecare("screen", "--json", "--date", "2026-03-11", replies=["yes", "no"])
    assert again.returncode == 0, again.stderr
    assert asks(again.stdout)[0] == ("return.who", "Am I speaking with Sam?")
    assert "name" not in [ask_id for ask_id, _ in asks(again.stdout)]
    assert people(voicecare) == ["Sam"]


def test_a_no_to_the_read_back_asks_the_name_again(voicecare: Voicecare) -> None:
    replies = ["Pam", "no", "Sam", "yes", *HEALTHY]
    done = voicecare("screen", "--json", "--date", "2026-03-01", replies=replies)
    asked = [ask_id for ask_id, _ in asks(done.stdout)]
    assert asked[:4] == ["name", "name.readback", "name", "name.readback"]
    assert people(voicecare) == ["Sam"]


def test_no_save_and_person_ask_no_name(voicecare: Voicecare) -> None:
    unsaved = voicecare("screen", "--json", "--no-save", replies=HEALTHY)
    named = voicecare("screen", "--json", "--person", "Ann", replies=HEALTHY)
    for done in (unsaved, named):
        assert "name" not in [ask_id for ask_id, _ in asks(done.stdout)]
    assert people(voicecare) == ["Ann"]


@pytest.mark.parametrize(
    ("replies", "renamed"),
    [(["change my name", "Samantha", "yes"], "Samantha"), (["call me sammy", "yes"], "Sammy")],
    ids=["change my name", "call me"],
)
def test_change_my_name_renames_with_a_read_back(
    voicecare: Voicecare, replies: list[str], renamed: str
) -> None:
    voicecare("screen", "--json", "--date", "2026-03-01", replies=["Sam", "yes", *HEALTHY])
    menu = [*replies, "goodbye"]
    done = voicecare("session", "--json", "--groups", "4", "--date", "2026-03-02", replies=menu)
    assert done.returncode == 0, done.stderr
    lines = said(done.stdout)
    assert f"I'll call you {renamed}. Is that right?" in lines
    assert TALK.line("renamed", renamed) in lines
    assert people(voicecare) == [renamed]
    again = voicecare("screen", "--json", "--date", "2026-03-11", replies=["yes", "no"])
    assert asks(again.stdout)[0] == ("return.who", f"Am I speaking with {renamed}?")


def test_a_rename_not_confirmed_keeps_the_name(voicecare: Voicecare) -> None:
    voicecare("screen", "--json", "--date", "2026-03-01", replies=["Sam", "yes", *HEALTHY])
    voicecare("session", "--json", "--groups", "4", replies=["call me pam", "not sure", "goodbye"])
    assert people(voicecare) == ["Sam"]


def test_with_several_people_the_person_chooses_by_name(voicecare: Voicecare) -> None:
    store = voicecare.store()
    store.add_person("Ann")
    store.add_person("Sam")
    store.close()
    done = voicecare("screen", "--json", "--date", "2026-03-01", replies=["it's sam", *HEALTHY])
    assert asks(done.stdout)[0] == ("name.who", TALK.who.text)
    assert asks(done.stdout)[1][0] == "cancer_history.ever_or_testing"
    store = voicecare.store()
    (session,) = store.sessions()
    sam = store.find_person("Sam")
    store.close()
    assert sam is not None and session.person_id == sam.id


def test_with_several_people_someone_new_is_asked_a_name(voicecare: Voicecare) -> None:
    store = voicecare.store()
    store.add_person("Ann")
    store.add_person("Sam")
    store.close()
    replies = ["someone new", "Jo", "yes", *HEALTHY]
    done = voicecare("screen", "--json", "--date", "2026-03-01", replies=replies)
    assert [ask_id for ask_id, _ in asks(done.stdout)][:3] == ["name.who", "name", "name.readback"]
    assert people(voicecare) == ["Ann", "Sam", "Jo"]


def test_one_person_on_the_first_visit_route_is_asked_who_is_speaking(voicecare: Voicecare) -> None:
    """Sam's last visit was over 12 weeks ago, so the route has no R0: whether it is Sam is asked first."""
    voicecare("screen", "--json", "--date", "2026-01-01", replies=["Sam", "yes", *HEALTHY])
    same = voicecare("screen", "--json", "--date", "2026-05-01", replies=["yes", *HEALTHY])
    assert asks(same.stdout)[0] == ("return.who", "Am I speaking with Sam?")
    assert asks(same.stdout)[1][0] == "cancer_history.ever_or_testing"
    store = voicecare.store()
    sessions, sam = store.sessions(), store.find_person("Sam")
    store.close()
    assert sam is not None and [session.person_id for session in sessions] == [sam.id, sam.id]


def test_a_no_to_whether_it_is_the_one_person_asks_a_name(voicecare: Voicecare) -> None:
    """On the first-visit route a no is someone else: their name is asked, so the visit is not Sam's."""
    voicecare("screen", "--json", "--date", "2026-01-01", replies=["Sam", "yes", *HEALTHY])
    other = voicecare("screen", "--json", "--date", "2026-05-01", replies=["no", "Jo", "yes", *HEALTHY])
    assert [ask_id for ask_id, _ in asks(other.stdout)][:3] == ["return.who", "name", "name.readback"]
    assert people(voicecare) == ["Sam", "Jo"]
