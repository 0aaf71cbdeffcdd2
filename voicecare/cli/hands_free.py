"""Wiring the hands-free session (``voicecare`` with no command, and the demo) to a channel.

The menu loop is ``voicecare.dialogue.session_flow``; this module supplies its screening and exercise
runners, saves speech-rate changes as preferences, and keeps the audio bus reading the microphone
throughout an exercise (so commands are heard during narration) but, for a tape or the demo's simulated
person, only while listening during the screening.
"""

from dataclasses import dataclass, replace

from voicecare.cli.exercise_records import play_recorded
from voicecare.cli.exercise_session import EXERCISE_COMMANDS, exercise_stage
from voicecare.cli.session_io import SessionIO
from voicecare.dialogue.conversation import Conversation, SafetyStop
from voicecare.dialogue.events import EndEvent
from voicecare.dialogue.outcome_talk import fill
from voicecare.dialogue.prompt import Prompt
from voicecare.dialogue.safety_check import SelfHarmCheck
from voicecare.dialogue.screening_session import ScreeningSession
from voicecare.dialogue.session_flow import HandsFreeSession
from voicecare.errors import ConfigError
from voicecare.exercises.script import ExerciseOptions
from voicecare.exercises.timeline import ExerciseName, exercise_steps
from voicecare.narration.player import PlayEnd, Player
from voicecare.narration.warning_signs import SignAwareUnderstanding, load_warning_signs
from voicecare.records import NoRecorder, RecordStore, SessionRecorder
from voicecare.screening.content_files import load_screening_content
from voicecare.screening.findings import Tier
from voicecare.settings import Settings, save_preferences
from voicecare.speech.ports import SpeechSettings
from voicecare.understanding.answers import No
from voicecare.understanding.turn_understanding import TurnUnderstanding

EXERCISE_NAMES: dict[str, ExerciseName] = {
    "relax": "relaxation",
    "breathe": "breathing",
    "reframe": "reframing",
}


@dataclass
class HandsFree:
    """Runs the hands-free session on ``io``. Preferences and records are kept unless ``keep`` is False
    (the demo) or the settings say not to save (``--no-save``)."""

    io: SessionIO
    settings: Settings
    relax_groups: int = 16
    keep: bool = True

    def run(self) -> None:
        """The whole session; the event stream ends with ``end`` whatever happens."""
        self._content = load_screening_content(self.settings.region, self.settings.content_dir)
        region = self._content.region
        self._placeholders = {"emergency_number": region.emergency_number, "urgent_line": region.urgent_line}
        self._understanding = SignAwareUnderstanding(
            TurnUnderstanding(extra_commands=EXERCISE_COMMANDS), load_warning_signs()
        )
        conversation = Conversation(
            self.io.channel,
            self.io.events,
            self._understanding,
            speech=self.io.speech,
            timeout_s=self.settings.no_input_timeout_s,
            on_self_harm=SelfHarmCheck(region, self._content.safety),
            on_speech_change=self._remember_speech if self.keep and self.settings.save else None,
        )
        self._screened = False
        self._preferences_unwritable = False
        try:
            HandsFreeSession(conversation, self._screening, self._exercise).run()
        finally:
            self.io.events.emit(EndEvent())

    def _screening(self, conversation: Conversation) -> str:
        self._screened = True
        content = self._content
        result = ScreeningSession(
            conversation,
            self._placeholders,
            self._recorder(),
            content.screening,
            content.advice,
            content.startback,
            greeted=True,
        ).run()
        disposition = result.outcome.disposition
        if disposition is Tier.EMERGENCY:
            conversation.say(fill(content.screening.dispositions[disposition], self._placeholders))
        return disposition.value

    def _exercise(self, conversation: Conversation, choice: str) -> str | None:
        """Play the exercise ``choice``; the disposition of the screening it led to, if a warning sign did.

        After the self-harm check's crisis message nothing resumes: SafetyStop ends the session."""
        name = EXERCISE_NAMES[choice]
        options = ExerciseOptions(groups=self.relax_groups, standalone=not self._screened)
        stage = exercise_stage(self.io, self._understanding)
        speech = conversation.speech
        steps = exercise_steps(name, options, lambda text: stage.seconds(text, speech))
        bus = self.io.bus
        live = bus.live_input if bus is not None else False
        if bus is not None:
            bus.live_input = True
        try:
            player = Player(stage, conversation, self._understanding, pace=options.pace)
            end = play_recorded(player, steps, name, options, self.settings, keep=self.keep)
        finally:
            if bus is not None:
                bus.live_input = live
        if end is PlayEnd.SAFETY_STOP:
            raise SafetyStop
        return self._screening_after_sign(conversation) if end is PlayEnd.WARNING_SIGN else None

    def _screening_after_sign(self, conversation: Conversation) -> str | None:
        """Offer the screening after a warning sign; anything but a clear no starts it."""
        signs = self._understanding.signs
        if isinstance(conversation.ask(Prompt("offer_screening", signs.offer, kind="yes_no")), No):
            conversation.say(signs.declined)
            return None
        return self._screening(conversation)

    def _recorder(self) -> SessionRecorder:
        if self.keep and self.settings.save:
            return RecordStore(self.settings.data_dir).start("screening")
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
