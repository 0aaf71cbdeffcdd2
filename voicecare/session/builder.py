"""One session, built from settings: understanding, conversation, self-harm check and records, over the
channel of a ``SessionIO``; and the activities run on it (the screening, an exercise, the offer of a
screening after a warning sign). Preferences and records are kept unless ``keep`` is False (the demo) or
the settings say not to save (``--no-save``).

The session is with ``settings.person`` (``--person``) on ``settings.today`` (``--date``). When records
are kept and a person is named, the person is found in the records (or named there) and their dated
history loaded (``Session.history``); each screening answer is remembered in it, dated today, and each
session is stored with the person and the day. Under ``--no-save`` nothing is read or written.

With no ``--person``, when saving, the first screening of a session finds out who is speaking
(``identify``): on a device with nobody stored it asks a name ("What name shall I remember you by?") and
reads it back; with one person stored it is that person (R0 asks whether it is them); with several it asks
"Who am I speaking with?"."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from voicecare.dialogue.conversation import Conversation, SafetyStop, StopRequested
from voicecare.dialogue.events import EndEvent
from voicecare.dialogue.naming import ask_name, load_naming_talk, who_is_speaking
from voicecare.dialogue.outcome_talk import fill
from voicecare.dialogue.prompt import Prompt
from voicecare.dialogue.safety_check import SelfHarmCheck
from voicecare.dialogue.screening import ScreeningResult
from voicecare.dialogue.screening_session import ScreeningSession
from voicecare.dialogue.screening_talk import load_screening_talk
from voicecare.errors import ConfigError
from voicecare.exercises.script import ExerciseOptions
from voicecare.exercises.timeline import ExerciseName, exercise_steps
from voicecare.narration.player import PlayEnd, Player
from voicecare.narration.warning_signs import SignAwareUnderstanding, load_warning_signs
from voicecare.records import NoRecorder, Person, PersonHistory, RecordStore, SessionRecorder
from voicecare.screening.content_files import ScreeningContent, load_screening_content
from voicecare.screening.return_visit import VisitPlan, plan_visit
from voicecare.session.exercise_records import play_recorded
from voicecare.session.io import Mode, SessionIO, open_io
from voicecare.settings import Settings, save_preferences
from voicecare.speech.ports import SpeechSettings
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import EXERCISE_COMMANDS, No, Yes
from voicecare.understanding.names import NameBook
from voicecare.understanding.turn_understanding import TurnUnderstanding


@dataclass
class Session:
    """A conversation over ``io`` with everything a flow needs. ``exercises``: the session plays exercises
    (commands such as skip, and warning signs spotted in what is said); else it is a screening only."""

    io: SessionIO
    settings: Settings
    exercises: bool = False
    keep: bool = True
    content: ScreeningContent = field(init=False)
    understanding: SignAwareUnderstanding | TurnUnderstanding = field(init=False)
    conversation: Conversation = field(init=False)
    person: Person | None = field(default=None, init=False)
    """The person named (``--person``) as stored in the records; None with no person, under
    ``--no-save`` and when nothing is kept (the demo)."""
    history: PersonHistory | None = field(default=None, init=False)
    """The person's remembered answers and last screening as of ``today``; None when ``person`` is.
    Empty for someone new, and when the stored history could not be trusted (one line on ``notes``)."""
    last_screening_id: int | None = field(default=None, init=False)
    """The record of the last screening run in this session (None: none, or nothing kept)."""
    _preferences_unwritable: bool = field(default=False, init=False)
    _screened: bool = field(default=False, init=False)
    _identified: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        settings = self.settings
        self.content = load_screening_content(settings.region, settings.content_dir)
        self.understanding = (
            SignAwareUnderstanding(TurnUnderstanding(extra_commands=EXERCISE_COMMANDS), load_warning_signs())
            if self.exercises
            else TurnUnderstanding()
        )
        self.conversation = Conversation(
            self.io.channel,
            self.io.events,
            self.understanding,
            speech=self.io.speech,
            timeout_s=settings.no_input_timeout_s,
            on_self_harm=SelfHarmCheck(self.content.region, self.content.safety),
            on_speech_change=self._remember_speech if self.keep and settings.save else None,
        )
        self.load_history()

    @property
    def today(self) -> date:
        """The day that stands for today (``--date``, ``VOICECARE_TODAY``, else the real date)."""
        return self.settings.today

    @property
    def saving(self) -> bool:
        """Records are kept: not the demo and not ``--no-save``."""
        return self.keep and self.settings.save

    def load_history(self) -> PersonHistory | None:
        """(Re)load ``person`` and ``history`` from the records (after a screening, to see its answers).
        A history that was ignored says so in one line on the session's notes (stderr).
        Raises ConfigError when the records file cannot be opened."""
        name = self.settings.person
        if not self.saving or name is None:
            self.person, self.history = None, None
            return None
        store = RecordStore(self.settings.data_dir)
        try:
            self.person, history = store.person_history(name, self.today)
        finally:
            store.close()
        if history.notice is not None:
            print(history.notice, file=self.io.notes)
        self.history = None if self.person is None else history
        return self.history

    def forgotten(self) -> None:
        """The person's records were deleted: nothing more is kept or read in this session (the name is
        not stored again)."""
        self.person, self.history = None, None
        self.settings = replace(self.settings, save=False)

    def stored_names(self) -> list[str]:
        """The names of everyone stored on the device; none when records are not kept."""
        if not self.saving:
            return []
        store = RecordStore(self.settings.data_dir)
        try:
            return [person.name for person in store.people()]
        finally:
            store.close()

    def name_book(self) -> NameBook:
        """The names listened for: the household's and the common first names."""
        return NameBook.for_household(self.stored_names())

    def identify(self, greeted: bool = True) -> bool:
        """Who is speaking, once per session, when saving with no ``--person``: a name asked and read back
        on a device with nobody stored; the one person stored (R0 on a return visit asks whether it is
        them, and on the first-visit route, which has no R0, it is asked here: anything but a clear yes
        asks a name); or a choice among several ("someone new" asks a name). The person found is named in
        the records and their history loaded; with no name the visit is kept with no person. The greeting
        is said first (unless ``greeted``) before a question. True when the greeting was said here."""
        if not self.saving or self.settings.person is not None or self._identified:
            return False
        self._identified = True
        stored = self.stored_names()
        if len(stored) == 1:
            self._name(stored[0])
            if self.visit_plan().returning:
                return False
        if not greeted:
            self.conversation.say(load_screening_talk().greeting)
        talk, book = load_naming_talk(), NameBook.for_household(stored)
        if len(stored) == 1:
            name: str | None = stored[0] if self._is(stored[0]) else ask_name(self.conversation, book, talk)
        elif stored:
            name = who_is_speaking(self.conversation, stored, book, talk)
        else:
            name = ask_name(self.conversation, book, talk)
        if name is None:
            self.conversation.say(talk.talk["unnamed"])
        self._name(name)
        return not greeted

    def _is(self, name: str) -> bool:
        """R0's question ("Am I speaking with Sam?"): True only for a clear yes."""
        who, filled = self.content.return_visit.who, {"name": name}
        help_text, reask = fill(who.help, filled), fill(who.reask, filled)
        prompt = Prompt(who.id, fill(who.text, filled), help=help_text, reask=reask)
        return isinstance(self.conversation.ask(prompt), Yes)

    def _name(self, name: str | None) -> None:
        """The session is with ``name`` (named in the records if new), or with no person."""
        self.settings = replace(self.settings, person=name)
        if name is None:
            self.person, self.history = None, None
        else:
            self.load_history()

    def rename_person(self, name: str) -> Person | None:
        """The person is now called ``name`` (said by voice): renamed in the records, their history
        kept. Raises ConfigError when someone else has the name. With no person yet, the person called
        ``name`` (named in the records if new, when saving); None when not saving."""
        if self.person is not None:
            store = RecordStore(self.settings.data_dir)
            try:
                self.person = store.rename_person(self.person.id, name)
            finally:
                store.close()
        self.settings = replace(self.settings, person=name.strip())
        if self.person is None:
            self.load_history()
        return self.person

    @property
    def placeholders(self) -> dict[str, str]:
        """The region's numbers, for the wording's ``{emergency_number}`` and ``{urgent_line}``."""
        region = self.content.region
        return {"emergency_number": region.emergency_number, "urgent_line": region.urgent_line}

    def visit_plan(self) -> VisitPlan:
        """The route of a screening now (``screening.return_visit.plan_visit`` on the person's history
        and today): the first-visit route with no person or under ``--no-save``."""
        content = self.content
        return plan_visit(self.history, self.today, content.screening, content.advice, content.return_visit)

    def screen(self, greeted: bool = False) -> ScreeningResult:
        """The screening, its outcome and the self-care advice, on the route the person's history allows
        (a return visit within 12 weeks); recorded unless not kept."""
        if self._screened:
            self.load_history()
        self._screened = True
        greeted = self.identify(greeted) or greeted
        content = self.content
        return ScreeningSession(
            self.conversation,
            self.placeholders,
            self._recorder(),
            content.screening,
            content.advice,
            content.startback,
            greeted=greeted,
            plan=self.visit_plan(),
            returning=content.return_visit,
        ).run()

    def play(
        self, exercise: ExerciseName, options: ExerciseOptions, one_line_answers: bool = False
    ) -> PlayEnd:
        """Play ``exercise``; how it ended. A run is recorded unless not kept."""
        signs = self._sign_aware()
        speech = self.conversation.speech
        channel = self.io.channel
        steps = exercise_steps(exercise, options, lambda text: channel.seconds(text, speech))
        player = Player(self.conversation, signs, pace=options.pace, one_line_answers=one_line_answers)
        return play_recorded(
            player, steps, exercise, options, self.settings, keep=self.keep, person=self.person
        )

    def offer_screening(self, greeted: bool = False) -> ScreeningResult | None:
        """After a warning sign: offer the screening; anything but a clear no starts it."""
        signs = self._sign_aware().signs
        answer = self.conversation.ask(Prompt("offer_screening", signs.offer, kind=AnswerKind.YES_NO))
        if isinstance(answer, No):
            self.conversation.say(signs.declined)
            return None
        return self.screen(greeted=greeted)

    def end(self) -> None:
        """The event stream ends with ``end``, whatever happened."""
        self.io.events.emit(EndEvent())

    def _sign_aware(self) -> SignAwareUnderstanding:
        if not isinstance(self.understanding, SignAwareUnderstanding):
            raise TypeError("exercises need a session built with exercises=True")
        return self.understanding

    def _recorder(self) -> SessionRecorder:
        """The screening's record, with the person (whose history each answer is remembered in) and
        today's date; nothing under ``--no-save``."""
        if self.saving:
            stored = RecordStore(self.settings.data_dir).start("screening", self.person, self.today)
            self.last_screening_id = stored.id
            return stored
        self.last_screening_id = None
        return NoRecorder()

    def _remember_speech(self, speech: SpeechSettings) -> None:
        """Keep the new rate in the config file; if it cannot be written, say so once and carry on."""
        self.settings = replace(self.settings, rate_wpm=speech.rate_wpm)
        if self._preferences_unwritable:
            return
        try:
            save_preferences(self.settings)
        except ConfigError as error:
            print(f"voicecare: {error.one_line()}", file=self.io.notes)
            self._preferences_unwritable = True


@contextmanager
def open_session(mode: Mode, settings: Settings, exercises: bool = False) -> Iterator[Session]:
    """Open the channel ``mode`` asks for and build the session on it; on exit the events end with
    ``end`` and everything opened is closed."""
    with ExitStack() as stack:
        session = Session(open_io(mode, settings, stack), settings, exercises=exercises)
        try:
            yield session
        finally:
            session.end()


def play_exercise(session: Session, exercise: ExerciseName, options: ExerciseOptions, typed: bool) -> None:
    """A standalone exercise (``relax``, ``breathe``, ``reframe``): after a warning sign the screening is
    offered; stop and the safety check's crisis message end it quietly."""
    try:
        if session.play(exercise, options, one_line_answers=typed) is PlayEnd.WARNING_SIGN:
            session.offer_screening()
    except (StopRequested, SafetyStop):
        pass
