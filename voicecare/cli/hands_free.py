"""Wiring the hands-free session (``voicecare`` with no command, and the demo) to a channel.

The menu loop is ``voicecare.dialogue.session_flow``; this module supplies its screening and exercise
runners, saves speech-rate changes as preferences, and keeps the audio bus reading the microphone
throughout an exercise (so commands are heard during narration) but, for a tape or the demo's simulated
person, only while listening during the screening.
"""

from dataclasses import dataclass, replace

from voicecare.cli.exercise_session import EXERCISE_COMMANDS, _offer_screening, _stage
from voicecare.cli.session_io import SessionIO
from voicecare.dialogue.conversation import Conversation
from voicecare.dialogue.events import EndEvent
from voicecare.dialogue.outcome_talk import fill
from voicecare.dialogue.safety_check import self_harm_check
from voicecare.dialogue.screening_session import ScreeningSession
from voicecare.dialogue.session_flow import HandsFreeSession
from voicecare.exercises.script import ExerciseOptions
from voicecare.exercises.timeline import ExerciseName, exercise_steps
from voicecare.narration.player import PlayEnd, Player
from voicecare.narration.warning_signs import SignAwareUnderstanding, load_warning_signs
from voicecare.records import NoRecorder, RecordStore, SessionRecorder
from voicecare.screening.findings import Tier, load_screening
from voicecare.screening.regions import region as load_region
from voicecare.settings import Settings, save_preferences
from voicecare.speech.ports import SpeechSettings
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
        region = load_region(self.settings.region)
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
            on_self_harm=self_harm_check(region),
            on_speech_change=self._remember_speech if self.keep and self.settings.save else None,
        )
        self._screened = False
        try:
            HandsFreeSession(conversation, self._screening, self._exercise).run()
        finally:
            self.io.events.emit(EndEvent())

    def _screening(self, conversation: Conversation) -> str:
        self._screened = True
        result = ScreeningSession(conversation, self._placeholders, self._recorder(), greeted=True).run()
        disposition = result.outcome.disposition
        if disposition is Tier.EMERGENCY:
            screening = load_screening()
            conversation.say(fill(screening.dispositions[disposition], self._placeholders))
        return disposition.value

    def _exercise(self, conversation: Conversation, choice: str) -> None:
        name = EXERCISE_NAMES[choice]
        options = ExerciseOptions(groups=self.relax_groups, standalone=not self._screened)
        stage = _stage(self.io, self._understanding)
        speech = conversation.speech
        steps = exercise_steps(name, options, lambda text: stage.seconds(text, speech))
        bus = self.io.bus
        live = bus.live_input if bus is not None else False
        if bus is not None:
            bus.live_input = True
        try:
            end = Player(stage, conversation, self._understanding, pace=options.pace).run(steps)
        finally:
            if bus is not None:
                bus.live_input = live
        if end is PlayEnd.WARNING_SIGN:
            _offer_screening(
                conversation, self._understanding, load_region(self.settings.region), self.settings
            )

    def _recorder(self) -> SessionRecorder:
        if self.keep and self.settings.save:
            return RecordStore(self.settings.data_dir).start("screening")
        return NoRecorder()

    def _remember_speech(self, speech: SpeechSettings) -> None:
        self.settings = replace(self.settings, rate_wpm=speech.rate_wpm)
        save_preferences(self.settings)
