"""The pain diary's spoken flows over the one ``Conversation``: a diary entry (the 0-10 ratings, each read
back and saved before "Saved" is said; the weekly better-or-worse question; whether anything new has
started), the trend in plain words, the offer of a check-in, the report's summary read aloud, and
"forget everything about me" with its read-back.

Nothing here opens the records: what is kept goes through a ``DiaryKeeper``, which commits each entry
before returning (or keeps nothing under ``--no-save``). Words the person says are never kept.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.prompt import Option, Prompt
from voicecare.diary.days import spoken_day
from voicecare.diary.entries import EntryPlan
from voicecare.diary.trend import Trend, trend
from voicecare.diary.wording import CHECKIN_CHOICES, DiaryWording, load_diary_wording
from voicecare.records import CHANGE_ANSWERS, ChangeAnswer, Measure, Rating
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Choice, No, Number, Silence, Unclear, Unsure, Yes

RATING_RANGE = (0, 10)
NUMBER_TRIES = 3
"""How often a rating is asked before nothing is saved (each time read back)."""
READBACK_TRIES = 2
CheckinReply = Literal["yes", "not_now", "tomorrow", "no_answer"]


class DiaryKeeper(Protocol):
    """Where the diary's entries go; each call returns once the entry is committed."""

    def add_rating(self, on: date, measure: Measure, rating: int) -> None: ...

    def add_change(self, on: date, answer: ChangeAnswer) -> None: ...


class KeepNothing:
    """``--no-save``: nothing is kept."""

    def add_rating(self, on: date, measure: Measure, rating: int) -> None:
        return None

    def add_change(self, on: date, answer: ChangeAnswer) -> None:
        return None


@dataclass(frozen=True)
class EntryResult:
    """What one entry gave: the ratings saved, the weekly answer, whether something new has started (yes
    or not sure, or an answer still not understood: doubt never counts as no), and the trend with today's
    rating."""

    back: int | None
    leg: int | None
    change: ChangeAnswer | None
    new_symptom: bool
    trend: Trend | None

    @property
    def offer_screening_because(self) -> str | None:
        """``new`` (a new symptom), ``worse`` (2 points or more worse than the week before), or None."""
        if self.new_symptom:
            return "new"
        if self.trend is not None and self.trend.offers_screening:
            return "worse"
        return None


@dataclass
class DiaryTalk:
    """The diary's flows through ``conversation``, saving through ``keeper``."""

    conversation: Conversation
    keeper: DiaryKeeper = field(default_factory=KeepNothing)
    saving: bool = True
    """False under ``--no-save``: the person is told nothing was kept."""
    wording: DiaryWording = field(default_factory=load_diary_wording)

    def entry(self, plan: EntryPlan, intro: bool = True, ask_new_symptom: bool = True) -> EntryResult:
        """One diary entry for ``plan.today``."""
        if intro:
            self.conversation.say(self._line("entry.intro"))
        back = self._rating("back_pain", plan.today)
        leg = self._rating("leg_pain", plan.today) if plan.leg_pain else None
        change = self._change(plan.today) if plan.change_question else None
        new_symptom = self._new_symptom() if ask_new_symptom else False
        ratings = list(plan.earlier)
        if back is not None:
            ratings.append(Rating(plan.today, "back_pain", back))
        return EntryResult(
            back, leg, change, new_symptom, trend(ratings, plan.today) if back is not None else None
        )

    def offer_screening(self, because: str, points: int | None = None) -> bool:
        """Offer the screening again (``because`` ``new`` or ``worse``); True when the person takes it."""
        key = "entry.offer_screening_new" if because == "new" else "entry.offer_screening_worse"
        prompt = Prompt(
            "diary.offer_screening",
            self._line(key, points=points or 0),
            help=self._line("entry.offer_screening_help"),
        )
        if isinstance(self.conversation.ask(prompt), No):
            self.conversation.say(self._line("entry.screening_declined"))
            return False
        return True

    def offer_entry(self) -> bool:
        """After an exercise: would the person like to log their pain? True for a clear yes."""
        prompt = Prompt(
            "diary.after_exercise",
            self._line("entry.after_exercise"),
            help=self._line("entry.after_exercise_help"),
        )
        return isinstance(self.conversation.ask(prompt), Yes)

    def say_trend(self, ratings: Sequence[Rating], today: date) -> Trend | None:
        """Say how the pain has been: this week's average, against the week before when both weeks have 3
        ratings, the worst day, the leg pain; None when there is no rating this week."""
        result = trend(ratings, today)
        week = result.this_week
        if week.average is None or week.worst is None:
            self.conversation.say(self._line("trend.nothing"))
            return None
        say = self.conversation.say
        say(self._line("trend.this_week", average=week.average, count=week.count))
        if result.change is None or result.week_before.average is None:
            say(self._line("trend.too_few"))
        else:
            say(self._line(f"trend.{result.change.value}", before=result.week_before.average))
        say(self._line("trend.worst_day", day=spoken_day(week.worst.on, today), rating=week.worst.rating))
        leg = trend(ratings, today, "leg_pain").this_week
        if leg.average is not None:
            say(self._line("trend.leg", average=leg.average))
        say(self._line("trend.weeks_advice"))
        return result

    def offer_checkin(self, weeks: int) -> CheckinReply:
        """Offer the check-in ``weeks`` weeks into the episode: yes, not now, remind me tomorrow, or no
        answer (silence or not understood), each said back."""
        options = tuple(Option(choice, self.wording.checkin_phrases[choice]) for choice in CHECKIN_CHOICES)
        prompt = Prompt(
            "checkin.offer",
            self._line("checkin.offer", weeks=weeks),
            kind=AnswerKind.CHOICE,
            help=self._line("checkin.offer_help"),
            reask=self._line("checkin.offer_reask"),
            options=options,
        )
        answer = self.conversation.ask(prompt)
        reply: CheckinReply = "no_answer"
        if isinstance(answer, Choice) and answer.id in ("yes", "not_now", "tomorrow"):
            reply = "yes" if answer.id == "yes" else "not_now" if answer.id == "not_now" else "tomorrow"
        if reply != "yes":
            self.conversation.say(self._line(f"checkin.{reply}"))
        return reply

    def read_summary(self, lines: Sequence[str], empty: bool) -> None:
        """Say the report's summary ("read my report")."""
        if empty:
            self.conversation.say(self._line("report.read_nothing"))
            return
        self.conversation.say(self._line("report.read_intro"))
        for line in lines:
            self.conversation.say(line)
        self.conversation.say(self._line("report.read_export"))

    def confirm_forget(self, who: str | None) -> bool:
        """Ask, then read back, before everything about the person is deleted; True only for two clear
        yeses. ``who`` None: "you"."""
        name = who or self._line("forget.you")
        ask = Prompt(
            "forget.confirm",
            self._line("forget.confirm", who=name),
            help=self._line("forget.confirm_help", who=name),
        )
        if isinstance(self.conversation.ask(ask), Yes):
            check = Prompt(
                "forget.readback",
                self._line("forget.readback", who=name),
                help=self._line("forget.confirm_help", who=name),
                readback=True,
            )
            if isinstance(self.conversation.ask(check), Yes):
                return True
        self.conversation.say(self._line("forget.kept"))
        return False

    def _rating(self, measure: Measure, today: date) -> int | None:
        """Ask a 0-10 rating, read it back, and save it before saying so; None when no number was sure."""
        stem = "back" if measure == "back_pain" else "leg"
        prompt = Prompt(
            f"diary.{measure}",
            self._line(f"entry.{stem}_question"),
            kind=AnswerKind.NUMBER,
            help=self._line(f"entry.{stem}_help"),
            reask=self._line(f"entry.{stem}_reask"),
            number_range=RATING_RANGE,
        )
        for _ in range(NUMBER_TRIES):
            answer = self.conversation.ask(prompt)
            if not isinstance(answer, Number):
                break
            check = Prompt(
                f"diary.{measure}.readback",
                self._line(f"entry.{stem}_readback", number=answer.value),
                help=self._line("entry.readback_help"),
                readback=True,
            )
            confirmed = self._confirmed(check)
            if confirmed is True:
                self.keeper.add_rating(today, measure, answer.value)
                self._saved(measure, answer.value, today)
                return answer.value
            if confirmed is None:
                break
        self.conversation.say(self._line("entry.not_taken"))
        return None

    def _saved(self, measure: Measure, value: int, today: date) -> None:
        if not self.saving:
            self.conversation.say(self._line("entry.not_saved"))
            return
        day = self._line("entry.today")
        self.conversation.say(
            self._line("entry.saved", measure=self._line(f"entry.{measure}"), number=value, day=day)
        )

    def _confirmed(self, check: Prompt) -> bool | None:
        """A clear yes (True) or no (False) to a read-back, asked at most ``READBACK_TRIES`` times; None
        for anything else, so a misheard number is never kept."""
        for _ in range(READBACK_TRIES):
            answer = self.conversation.ask(check)
            if isinstance(answer, Yes):
                return True
            if isinstance(answer, No):
                return False
            if isinstance(answer, Silence):
                return None
        return None

    def _change(self, today: date) -> ChangeAnswer | None:
        options = tuple(Option(answer, self.wording.change_phrases[answer]) for answer in CHANGE_ANSWERS)
        prompt = Prompt(
            "diary.change",
            self._line("entry.change_question"),
            kind=AnswerKind.CHOICE,
            help=self._line("entry.change_help"),
            reask=self._line("entry.change_reask"),
            options=options,
        )
        answer = self.conversation.ask(prompt)
        if not isinstance(answer, Choice):
            return None
        chosen = next(a for a in CHANGE_ANSWERS if a == answer.id)
        self.keeper.add_change(today, chosen)
        if self.saving:
            self.conversation.say(
                self._line("entry.change_saved", answer=self._line(f"change_answers.{chosen}"))
            )
        else:
            self.conversation.say(self._line("entry.not_saved"))
        return chosen

    def _new_symptom(self) -> bool:
        prompt = Prompt(
            "diary.new_symptom",
            self._line("entry.new_symptom_question"),
            help=self._line("entry.new_symptom_help"),
            reask=self._line("entry.new_symptom_reask"),
        )
        answer = self.conversation.ask(prompt)
        return isinstance(answer, Yes | Unsure | Unclear)

    def _line(self, key: str, **values: object) -> str:
        return self.wording.line(key, **values)
