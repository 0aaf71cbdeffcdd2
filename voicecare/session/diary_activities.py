"""The pain diary in a session: a diary entry, the trend, the report's summary read aloud, forgetting the
person, and the check-in, over a ``Session`` (its conversation, person, day and records).

Each opens the records only for as long as it needs them; under ``--no-save`` (or the demo) nothing is
read or written: an entry is asked and said back but not kept, and there is no trend, report, check-in or
anything to forget.

The check-in runs the screening through ``return_visit``: the Session's screening, which takes the
return-visit route when the person's history allows it (and asks every cauda equina question at every
visit either way).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from voicecare.dialogue.diary_talk import DiaryTalk, EntryResult, KeepNothing
from voicecare.dialogue.screening import ScreeningResult
from voicecare.diary.entries import plan_entry
from voicecare.diary.report import gather, summary_lines
from voicecare.diary.schedule import ScreeningDay, due_checkin, episode_start
from voicecare.diary.wording import DiaryWording, load_diary_wording
from voicecare.records import ChangeAnswer, CheckinOutcome, CheckinRecord, Measure, Person, RecordStore
from voicecare.screening.findings import Tier
from voicecare.session.builder import Session

SEEN_AFTER_WEEKS = 4
"""From this check-in on, pain not better is told to see a GP or physiotherapist (NICE NG59)."""
NEW_PRESENTATION_WEEKS = 12
BETTER = ("much_better", "a_little_better")
CARE_NOW = (Tier.EMERGENCY, Tier.URGENT)
OUTCOME_OF_REPLY: dict[str, CheckinOutcome] = {
    "not_now": "not_now",
    "tomorrow": "tomorrow",
    "no_answer": "no_answer",
}


def return_visit(session: Session) -> ScreeningResult:
    """The screening a check-in runs: the return-visit route where the person's history allows it (see
    docs/clinical.md, 'Return visits'), else the first-visit route."""
    return session.screen(greeted=True)


@dataclass
class StoreKeeper:
    """A ``DiaryKeeper`` writing to the records of ``person``; each entry committed before returning."""

    store: RecordStore
    person: Person | None

    def add_rating(self, on: date, measure: Measure, rating: int) -> None:
        self.store.add_rating(self.person, on, measure, rating)

    def add_change(self, on: date, answer: ChangeAnswer) -> None:
        self.store.add_change(self.person, on, answer)


@dataclass
class DiaryActivities:
    """The diary's activities on ``session``."""

    session: Session
    wording: DiaryWording = field(default_factory=load_diary_wording)

    @contextmanager
    def _store(self) -> Iterator[RecordStore | None]:
        """The records, checked (a damaged file raises ConfigError); None when nothing is kept."""
        if not self.session.saving:
            yield None
            return
        store = RecordStore(self.session.settings.data_dir)
        try:
            store.check()
            yield store
        finally:
            store.close()

    def _talk(self, store: RecordStore | None) -> DiaryTalk:
        keeper = KeepNothing() if store is None else StoreKeeper(store, self.session.person)
        return DiaryTalk(self.session.conversation, keeper, store is not None, self.wording)

    def entry(
        self, intro: bool = True, offer_screening: bool = True, ask_change: bool = False
    ) -> tuple[EntryResult, Tier | None]:
        """One diary entry today; after a new symptom or pain 2 points worse, the screening is offered
        (``offer_screening``); the weekly question when due, or always with ``ask_change`` (a check-in).
        The entry, and the outcome of any screening it led to."""
        today, person = self.session.today, self.session.person
        with self._store() as store:
            if store is None:
                plan = plan_entry([], [], [], today)
            else:
                plan = plan_entry(
                    store.screenings(person), store.ratings(person), store.changes(person), today
                )
            if ask_change:
                plan = replace(plan, change_question=True)
            talk = self._talk(store)
            result = talk.entry(plan, intro=intro, ask_new_symptom=offer_screening)
        because = result.offer_screening_because
        if not offer_screening or because is None:
            return result, None
        points = None if result.trend is None else result.trend.points
        if not talk.offer_screening(because, points):
            return result, None
        return result, self.session.screen(greeted=True).outcome.disposition

    def offer_entry_after_exercise(self) -> Tier | None:
        """After an exercise: offer a diary entry; the outcome of any screening it led to."""
        if not self._talk(None).offer_entry():
            return None
        return self.entry(intro=False)[1]

    def trend(self) -> Tier | None:
        """Say how the pain has been; pain 2 points worse offers the screening. The outcome of any
        screening run."""
        with self._store() as store:
            ratings = [] if store is None else store.ratings(self.session.person)
        talk = self._talk(None)
        result = talk.say_trend(ratings, self.session.today)
        if result is None or not result.offers_screening or not talk.offer_screening("worse", result.points):
            return None
        return self.session.screen(greeted=True).outcome.disposition

    def read_report(self) -> None:
        """Say the report's summary."""
        with self._store() as store:
            if store is None:
                self._talk(None).read_summary([], empty=True)
                return
            report = gather(store, self.session.person, self.session.today)
        self._talk(None).read_summary(summary_lines(report, self.wording), report.empty)

    def forget(self) -> bool:
        """ "Forget everything about me", with a read-back; True when the records were deleted."""
        conversation = self.session.conversation
        if not self.session.saving:
            conversation.say(self.wording.line("forget.nothing_kept"))
            return False
        person = self.session.person
        if not self._talk(None).confirm_forget(None if person is None else person.name):
            return False
        with self._store() as store:
            assert store is not None
            store.forget(person)
        who = self.wording.line("forget.you")
        conversation.say(self.wording.line("forget.done", who=who))
        self.session.forgotten()
        return True

    def due_checkin(self) -> tuple[date, int] | None:
        """The episode's start and the week of the check-in due today, if one is."""
        with self._store() as store:
            if store is None:
                return None
            person = self.session.person
            days = [ScreeningDay(s.on, s.checkin) for s in store.screenings(person)]
            start = episode_start(days, self.session.today)
            week = due_checkin(start, self.session.today, store.checkins(person))
        return None if start is None or week is None else (start, week)

    def checkin(self) -> Tier | None:
        """Offer the check-in due today, if one is (once; "not now" and "remind me tomorrow" are kept), and
        run it: the screening (``return_visit``), then one diary entry. The screening's outcome, if run.
        Home mode calls this at the person's chosen time outside quiet hours (``schedule.home_offer``)."""
        due = self.due_checkin()
        if due is None:
            return None
        start, week = due
        talk = self._talk(None)
        reply = talk.offer_checkin(week)
        if reply != "yes":
            self._record(CheckinRecord(start, week, self.session.today, OUTCOME_OF_REPLY[reply]))
            return None
        conversation = self.session.conversation
        conversation.say(self.wording.line("checkin.intro"))
        try:
            result = return_visit(self.session)
        except BaseException:
            self._record(CheckinRecord(start, week, self.session.today, "stopped"))
            raise
        session_id = self.session.last_screening_id
        disposition = result.outcome.disposition
        if result.ended_by in ("silence", "stop", "safety"):
            self._record(CheckinRecord(start, week, self.session.today, "stopped", session_id))
            if result.ended_by != "safety":
                conversation.say(self.wording.line("checkin.stopped"))
            return disposition
        if disposition not in CARE_NOW:
            conversation.say(self.wording.line("checkin.then_diary"))
            entry, _ = self.entry(intro=False, offer_screening=False, ask_change=True)
            self._record(CheckinRecord(start, week, self.session.today, "done", session_id))
            conversation.say(self.wording.line("checkin.done", weeks=week))
            self._advice(week, entry)
        else:
            self._record(CheckinRecord(start, week, self.session.today, "done", session_id))
        return disposition

    def _advice(self, week: int, entry: EntryResult) -> None:
        """From 4 weeks, pain not said to be better: see a GP or physiotherapist; at 12, afresh."""
        if week >= NEW_PRESENTATION_WEEKS:
            self.session.conversation.say(self.wording.line("checkin.new_presentation"))
        elif week >= SEEN_AFTER_WEEKS and entry.change not in BETTER:
            self.session.conversation.say(self.wording.line("checkin.see_someone"))

    def _record(self, record: CheckinRecord) -> None:
        with self._store() as store:
            if store is not None:
                store.add_checkin(self.session.person, record)
