"""Tier 2: the pain diary on the command line and in the hands-free session, typed (in-process through
``main()``): ``voicecare diary`` with --person and --date laying down weeks of entries, ratings out of range
asked again, the weekly question, the trend spoken with the screening offered when pain is 2 points worse,
check-ins offered at the start of the session (not now, remind me tomorrow, done: the screening and one
entry), "read my report", "forget everything about me" with its read-back; ``voicecare report`` in each
format (the HTML checked by axe-core under jsdom), with no records, with a bad --since, and on a corrupt or
newer store (one line naming the file, exit 2, the file unchanged); ``voicecare forget``."""

import io
import json
import shutil
import sqlite3
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from tests.dialogues.test_people_cli import Done, Voicecare, only_line
from tests.dialogues.test_screen_cli import screened
from voicecare.cli.main import main
from voicecare.diary.fhir import check_bundle
from voicecare.records import DATABASE_NAME, SCHEMA_VERSION, CheckinRecord, Rating, RecordStore
from voicecare.screening.findings import Tier

MARCH_1 = date(2026, 3, 1)
A11Y = Path(__file__).resolve().parents[1] / "support" / "a11y"


class Diarist(Voicecare):
    """The CLI in-process: the dialogue commands in ``--text`` mode; ``report`` and ``forget``, which take
    no dialogue options, as they are."""

    def __call__(self, *args: str, replies: list[str] | None = None) -> Done:
        if args[0] not in ("report", "forget"):
            return super().__call__(*args, replies=replies)
        self._monkeypatch.setattr("sys.stdin", io.StringIO("".join(r + "\n" for r in replies or [])))
        self._capsys.readouterr()
        code = main([*args, "--config", str(self.config)])
        out, err = self._capsys.readouterr()
        return Done(code, out, err)


@pytest.fixture
def voicecare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Voicecare:
    return Diarist(tmp_path, monkeypatch, capsys)


def day(n: int) -> str:
    return (MARCH_1 + timedelta(days=n)).isoformat()


def diary(voicecare: Voicecare, on: int, *replies: str, who: str = "Ann") -> str:
    done = voicecare("diary", "--person", who, "--date", day(on), replies=list(replies))
    assert done.returncode == 0, done.stderr
    return done.stdout


def ratings(voicecare: Voicecare, who: str = "Ann") -> list[Rating]:
    store = voicecare.store()
    try:
        return store.ratings(store.find_person(who))
    finally:
        store.close()


def test_an_entry_is_read_back_and_saved_with_its_date(voicecare: Voicecare) -> None:
    out = diary(voicecare, 0, "4", "yes", "no")
    assert "how bad has your back pain been today, on average?" in out
    assert "Your back pain today, 4 out of 10. Is that right?" in out
    assert "Saved: back pain 4 out of 10, for today." in out
    assert out.index("Saved") > out.index("Is that right?")
    assert ratings(voicecare) == [Rating(MARCH_1, "back_pain", 4)]


@pytest.mark.parametrize("wrong", ["eleven", "minus one", "-1", "11"])
def test_a_rating_out_of_range_is_asked_again(voicecare: Voicecare, wrong: str) -> None:
    out = diary(voicecare, 0, wrong, "3", "yes", "no")
    assert "Sorry, I didn't catch that. Please say one number from 0 to 10" in out
    assert ratings(voicecare) == [Rating(MARCH_1, "back_pain", 3)]


def test_a_number_said_back_wrong_is_asked_again_and_nothing_unsure_is_kept(voicecare: Voicecare) -> None:
    diary(voicecare, 0, "8", "no", "6", "yes", "no")
    assert ratings(voicecare) == [Rating(MARCH_1, "back_pain", 6)]
    out = diary(voicecare, 1, "eleven", "twelve", "thirteen", "no")
    assert "I didn't get a number I was sure of, so I haven't saved one." in out
    assert len(ratings(voicecare)) == 1


def test_no_save_keeps_nothing_and_says_so(voicecare: Voicecare) -> None:
    done = voicecare("diary", "--no-save", "--person", "Ann", replies=["4", "yes", "no"])
    assert "I haven't kept it, as you asked me not to save anything." in done.stdout
    assert not voicecare.data.exists()


def test_leg_pain_is_asked_when_the_person_has_said_they_have_it(voicecare: Voicecare) -> None:
    store = voicecare.store()
    ann = store.person("Ann", MARCH_1)
    screening = store.start("screening", ann, MARCH_1)
    screening.answer("one_leg_sciatica", "one_leg_sciatica", "yes")
    screening.finish(Tier.SOON, ["one_leg_sciatica"], [])
    store.close()
    out = diary(voicecare, 1, "5", "yes", "7", "yes", "no")
    assert "how bad has your leg pain been today" in out
    assert ratings(voicecare) == [
        Rating(date(2026, 3, 2), "back_pain", 5),
        Rating(date(2026, 3, 2), "leg_pain", 7),
    ]


def test_weeks_of_entries_give_the_weekly_question_once_a_week(voicecare: Voicecare) -> None:
    for n in range(7):
        out = diary(voicecare, n, str(6), "yes", "no")
        assert "Compared with when you started" not in out
    out = diary(voicecare, 7, "5", "yes", "a little better", "no")
    assert "Thank you. Saved: a little better." in out
    assert "Compared with when you started" not in diary(voicecare, 8, "5", "yes", "no")
    store = voicecare.store()
    assert [c.answer for c in store.changes(store.find_person("Ann"))] == ["a_little_better"]


def test_a_new_symptom_offers_the_screening(voicecare: Voicecare) -> None:
    replies = ["4", "yes", "yes", "yes", *screened("self_care").replies]
    done = voicecare("diary", "--person", "Ann", "--date", day(0), replies=replies)
    assert (
        "Because something new has started, I'd like to ask the warning-sign questions again." in done.stdout
    )
    store = voicecare.store()
    assert [s.disposition for s in store.screenings(store.find_person("Ann"))] == ["self_care"]


def session(voicecare: Voicecare, on: int, *replies: str, who: str = "Ann") -> str:
    done = voicecare("session", "--person", who, "--date", day(on), replies=list(replies))
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_how_has_my_pain_been_speaks_the_trend_and_offers_the_screening_when_2_points_worse(
    voicecare: Voicecare,
) -> None:
    for n in range(7):
        diary(voicecare, n, "3", "yes", "no")
    for n in range(7, 13):
        diary(voicecare, n, "3" if n < 10 else "6", "yes", *(["about the same"] if n == 7 else []), "no")
    out = session(voicecare, 13, "how has my pain been", "no", "goodbye")
    assert "In the last 7 days your back pain averaged 5 out of 10, from 6 ratings." in out
    assert "That is worse than the week before, when it averaged 3." in out
    assert "Your worst day was" in out and "at 6." in out
    assert "Your back pain is 2 points worse than the week before." in out
    assert "All right. If anything new starts" in out


def test_too_few_ratings_give_no_trend(voicecare: Voicecare) -> None:
    diary(voicecare, 0, "3", "yes", "no")
    out = session(voicecare, 1, "how has my pain been", "goodbye")
    assert "I need at least 3 ratings in each of the last two weeks" in out
    out = session(voicecare, 1, "how has my pain been", "goodbye", who="Bob")
    assert "You haven't logged any pain yet." in out


def first_screening(voicecare: Voicecare, who: str = "Ann") -> None:
    done = voicecare("screen", "--person", who, "--date", day(0), replies=screened("self_care").replies)
    assert done.returncode == 0, done.stderr


def checkins(voicecare: Voicecare, who: str = "Ann") -> list[CheckinRecord]:
    store = voicecare.store()
    try:
        return store.checkins(store.find_person(who))
    finally:
        store.close()


CHECKIN_OFFER = "It's 2 weeks since you first told me about this back pain"
RETURN_VISIT_NOES = 39
"""A check-in 4 weeks after the first screening takes the return-visit route with the stable history due
(28 days): yes to "Am I speaking with Ann?", then no to the fall question, the 6 stable questions and the
32 screening questions (tests/dialogues/test_return_visits.py counts the same visit 30 days later)."""


def test_a_check_in_is_offered_at_the_start_once_and_remind_me_tomorrow_asks_the_next_day(
    voicecare: Voicecare,
) -> None:
    first_screening(voicecare)
    assert CHECKIN_OFFER not in session(voicecare, 13, "goodbye"), "not before 2 weeks"
    out = session(voicecare, 14, "remind me tomorrow", "goodbye")
    assert CHECKIN_OFFER in out and "All right. I'll remind you tomorrow." in out
    assert CHECKIN_OFFER not in session(voicecare, 14, "goodbye"), "once a day"
    out = session(voicecare, 15, "not now", "goodbye")
    assert CHECKIN_OFFER in out and "I won't ask about this check-in again." in out
    assert CHECKIN_OFFER not in session(voicecare, 16, "goodbye")
    assert [(c.week, c.offered_on, c.outcome) for c in checkins(voicecare)] == [
        (2, date(2026, 3, 15), "tomorrow"),
        (2, date(2026, 3, 16), "not_now"),
    ]
    assert "It's 4 weeks since" in session(voicecare, 28, "not now", "goodbye")


def test_a_check_in_runs_the_screening_then_one_diary_entry(voicecare: Voicecare) -> None:
    first_screening(voicecare)
    screening = ["yes", *["no"] * RETURN_VISIT_NOES]
    replies = ["yes", *screening, "5", "yes", "about the same", "goodbye"]
    out = session(voicecare, 28, *replies)
    assert "It's 4 weeks since" in out
    assert out.index("First, the warning-sign questions.") < out.index("Now your pain score for today.")
    assert "That's your 4-week check-in done." in out
    assert "Please book an appointment with a GP or physiotherapist." in out, "not better at 4 weeks"
    (record,) = checkins(voicecare)
    assert (record.week, record.outcome) == (4, "done") and record.session_id is not None
    store = voicecare.store()
    ann = store.find_person("Ann")
    assert [s.checkin for s in store.screenings(ann)] == [False, True]
    assert store.ratings(ann) == [Rating(date(2026, 3, 29), "back_pain", 5)]
    assert CHECKIN_OFFER not in session(voicecare, 29, "goodbye")


def test_an_exercise_played_to_the_end_offers_a_diary_entry(voicecare: Voicecare) -> None:
    out = session(voicecare, 0, "breathing", "yes", "2", "yes", "no", "goodbye")
    assert "Would you like to log your pain for today?" in out
    assert ratings(voicecare) == [Rating(MARCH_1, "back_pain", 2)]


def test_read_my_report_speaks_the_summary(voicecare: Voicecare) -> None:
    out = session(voicecare, 0, "read my report", "goodbye")
    assert "There's nothing in your records yet." in out
    for n in range(3):
        diary(voicecare, n, "4", "yes", "no")
    out = session(voicecare, 3, "read my report", "goodbye")
    assert "Here is the summary of your report." in out
    assert "Back pain averaged 4 out of 10 in the 7 days to 3 March 2026." in out


def test_forget_everything_about_me_needs_a_yes_and_its_read_back(voicecare: Voicecare) -> None:
    diary(voicecare, 0, "4", "yes", "no")
    out = session(voicecare, 1, "forget everything about me", "yes", "no", "goodbye")
    assert "You said yes: delete everything about Ann, for good. Is that right?" in out
    assert "All right. I've kept everything." in out and len(ratings(voicecare)) == 1
    out = session(
        voicecare, 1, "forget everything about me", "yes", "yes", "log my pain", "5", "yes", "no", "goodbye"
    )
    assert "Done. I've deleted everything I kept about you." in out
    store = voicecare.store()
    assert store.find_person("Ann") is None and store.sessions() == [], "the name is not stored again"
    assert store.ratings(None) == [], "nor is anything else kept in the rest of the session"


def report(voicecare: Voicecare, *args: str) -> tuple[int, str, str]:
    done = voicecare("report", *args)
    return done.returncode, done.stdout, done.stderr


def laid_down(voicecare: Voicecare) -> None:
    first_screening(voicecare)
    for n in range(1, 10):
        diary(voicecare, n, str(5 - n // 3), "yes", *(["a little better"] if n == 7 else []), "no")


def test_report_with_no_records_says_so_and_exits_0(voicecare: Voicecare) -> None:
    code, out, err = report(voicecare, "--person", "Ann")
    assert code == 0 and out == "" and "no records" in only_line(err)
    diary(voicecare, 0, "4", "yes", "no", who="Bob")
    code, out, err = report(voicecare, "--person", "Ann")
    assert code == 0 and "no records for Ann" in only_line(err)


@pytest.mark.parametrize("since", ["2027-01-01", "yesterday", "2026-02-30"])
def test_report_since_in_the_future_or_unreadable_is_exit_2(voicecare: Voicecare, since: str) -> None:
    diary(voicecare, 0, "4", "yes", "no")
    code, out, err = report(voicecare, "--person", "Ann", "--date", "2026-03-30", "--since", since)
    assert code == 2 and out == "" and "--since" in only_line(err)


def test_report_formats_hold_the_records_and_out_is_owner_only(voicecare: Voicecare, tmp_path: Path) -> None:
    laid_down(voicecare)
    code, text, _ = report(voicecare, "--person", "Ann", "--date", "2026-03-30", "--format", "text")
    assert code == 0 and text.startswith("Back pain report for Ann\n")
    assert "1 screening, on 1 March 2026, which found: no warning signs" in text
    code, raw, _ = report(voicecare, "--person", "Ann", "--date", "2026-03-30", "--format", "fhir")
    resource = json.loads(raw)
    Bundle.parse_obj(resource)
    assert check_bundle(resource, date(2026, 3, 30)) == []
    out = tmp_path / "report.html"
    code, printed, _ = report(voicecare, "--person", "Ann", "--date", "2026-03-30", "--out", str(out))
    assert code == 0 and printed == "" and out.stat().st_mode & 0o777 == 0o600
    since = report(
        voicecare, "--person", "Ann", "--date", "2026-03-30", "--format", "text", "--since", day(8)
    )[1]
    assert "Screenings" in since and "1 screening" not in since


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (scripts/setup installs it)")
def test_the_html_report_passes_axe_core(voicecare: Voicecare, tmp_path: Path) -> None:
    if not (A11Y / "node_modules" / "axe-core").is_dir():
        pytest.skip("run scripts/setup: it installs axe-core and jsdom with npm ci")
    laid_down(voicecare)
    page = tmp_path / "report.html"
    assert report(voicecare, "--person", "Ann", "--date", "2026-03-30", "--out", str(page))[0] == 0
    checked = subprocess.run(
        ["node", str(A11Y / "check_html.js"), str(page)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(checked.stdout)
    assert result["violations"] == [], result["violations"]
    assert result["passes"] >= 15


def test_a_corrupt_store_is_one_line_exit_2_with_its_path_and_never_overwritten(voicecare: Voicecare) -> None:
    voicecare.data.mkdir(parents=True)
    path = voicecare.data / DATABASE_NAME
    path.write_bytes(b"garbage" * 1000)
    for command in (["report"], ["forget", "--yes"], ["diary"]):
        done = voicecare(*command, "--person", "Ann", replies=["4", "yes", "no"])
        assert done.returncode == 2, command
        assert str(path) in only_line(done.stderr)
        assert path.read_bytes() == b"garbage" * 1000


def test_a_store_from_a_newer_voicecare_is_refused_untouched(voicecare: Voicecare) -> None:
    diary(voicecare, 0, "4", "yes", "no")
    path = voicecare.data / DATABASE_NAME
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    for command in (["report"], ["forget", "--yes"], ["diary"]):
        done = voicecare(*command, "--person", "Ann", replies=["4", "yes", "no"])
        assert (
            done.returncode == 2 and "newer voicecare" in only_line(done.stderr) and str(path) in done.stderr
        )
    assert path.read_bytes() == before


def test_forget_deletes_one_persons_records(voicecare: Voicecare) -> None:
    diary(voicecare, 0, "4", "yes", "no")
    diary(voicecare, 0, "6", "yes", "no", who="Bob")
    done = voicecare("forget", "--person", "Ann")
    assert done.returncode == 2 and "--yes" in only_line(done.stderr), "never without asking"
    done = voicecare("forget", "--person", "ann", "--yes")
    assert done.returncode == 0 and "deleted everything kept about ann" in done.stderr
    store = voicecare.store()
    assert store.find_person("Ann") is None
    assert store.ratings(store.find_person("Bob")) == [Rating(MARCH_1, "back_pain", 6)]


def test_the_json_mode_gives_events_and_the_saved_line_after_the_commit(voicecare: Voicecare) -> None:
    done = voicecare("diary", "--json", "--person", "Ann", "--date", day(0), replies=["4", "yes", "no"])
    events = [json.loads(line) for line in done.stdout.splitlines()]
    asks = [e["id"] for e in events if e["type"] == "ask"]
    assert asks == ["diary.back_pain", "diary.back_pain.readback", "diary.new_symptom"]
    assert any(e["type"] == "say" and e["text"].startswith("Saved: back pain 4") for e in events)
    assert events[-1] == {"type": "end"}
    store = RecordStore(voicecare.data)
    assert store.ratings(store.find_person("Ann")) == [Rating(MARCH_1, "back_pain", 4)]
