"""The exercise player: narrates a script on the session clock and obeys spoken commands throughout.

Everything runs on the audio bus, so the same code paces a real speaker in real time and renders a
tape or a simulated session as fast as the machine allows. While it speaks or waits, every input
chunk goes to a command listener whose grammar holds only the commands (voicecare's own narration is
not in it, and the rejection path drops it); a command interrupts the output at once.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from voicecare.audio.endpointing import Endpointer, EndpointSettings
from voicecare.audio.pcm import Chunk
from voicecare.dialogue.conversation import Conversation, StopRequested
from voicecare.dialogue.events import AskEvent, CueEvent, SayEvent
from voicecare.dialogue.prompt import Prompt
from voicecare.exercises.script import Ask, Cue, Pause, Say, SayBack, Step, step_seconds
from voicecare.exercises.timeline import words_estimator
from voicecare.narration.bus import AudioBus
from voicecare.narration.wording import PlayerWording, load_player_wording
from voicecare.recognition.listening import UtteranceListener
from voicecare.recognition.ports import Recognizer
from voicecare.speech.ports import Synthesizer
from voicecare.speech.speakable import speakable
from voicecare.understanding.answers import Answer, Command, CommandName, Done, Number, SelfHarm, Yes
from voicecare.understanding.turn_understanding import TurnUnderstanding

COMMAND_EARLY_END_S = 0.15
"""Silence after a complete command phrase that ends it (seconds): keeps "stop" quick."""
PACE_STEP = 1.25
PACE_RANGE = (0.5, 2.0)
NEVER_S = 1e9


class PlayEnd(Enum):
    """How an exercise ended."""

    COMPLETED = "completed"
    STOPPED = "stopped"


@dataclass
class _Interrupt:
    answer: Answer
    at_s: float


@dataclass
class Player:
    """Plays exercise steps through ``conversation`` (whose channel speaks on ``bus``).

    ``recognizer`` is None when nothing can be heard (rendering to a file): the script then simply
    plays out. ``pace`` scales paced silences; "slower" and "faster" change it and the speech rate.
    """

    bus: AudioBus
    synthesizer: Synthesizer
    conversation: Conversation
    recognizer: Recognizer | None
    understanding: TurnUnderstanding
    wording: PlayerWording = field(default_factory=load_player_wording)
    pace: float = 1.0
    stopped_at_s: float | None = None
    """Session time (seconds) at which a spoken stop silenced the output."""
    _interrupt: _Interrupt | None = None
    _listener: UtteranceListener | None = None
    _endpointer: Endpointer = field(
        default_factory=lambda: Endpointer(EndpointSettings(no_speech_timeout_s=NEVER_S))
    )
    _ratings: dict[str, int] = field(default_factory=dict)

    def run(self, steps: Sequence[Step]) -> PlayEnd:
        """Play ``steps`` to the end or until the person stops; StopRequested never escapes."""
        try:
            self._run(list(steps))
        except StopRequested:
            self.say(self.wording["stopped"], listen=False)
            return PlayEnd.STOPPED
        return PlayEnd.COMPLETED

    def say(self, text: str, listen: bool = True) -> bool:
        """Speak ``text`` while listening for commands; True if a command interrupted it."""
        self.conversation.events.emit(SayEvent(text))
        speech = self.synthesizer.speak(speakable(text), self.conversation.speech)
        return self.bus.play(speech, self._take if listen else None)

    def _run(self, steps: list[Step]) -> None:
        index = 0
        pause_left: float | None = None
        while index < len(steps):
            step = steps[index]
            if isinstance(step, Pause):
                seconds = (
                    pause_left
                    if pause_left is not None
                    else step.seconds * (self.pace if step.paced else 1.0)
                )
                started = self.bus.t_s
                interrupted = self.bus.wait(seconds, self._take if self._can_hear else None)
                pause_left = max(0.0, seconds - (self.bus.t_s - started)) if interrupted else None
            else:
                pause_left = None
                interrupted = self._perform(step, steps, index)
            if not interrupted:
                index += 1
                continue
            index = self._obey(steps, index)
            if index < 0:
                return
        self.say(self.wording["finished"], listen=False)

    @property
    def _can_hear(self) -> bool:
        return self.recognizer is not None and self.bus.can_listen

    def _perform(self, step: Step, steps: list[Step], index: int) -> bool:
        if isinstance(step, Cue):
            self.conversation.events.emit(CueEvent(step.cue, step.group, round(self.bus.t_s, 3)))
            return self.say(step.text, listen=self._can_hear)
        if isinstance(step, Say):
            return self.say(step.text, listen=self._can_hear)
        if isinstance(step, SayBack):
            before, after = self._ratings.get(step.before_id), self._ratings.get(step.after_id)
            if before is None or after is None:
                return False
            return self.say(step.text(before, after), listen=self._can_hear)
        if isinstance(step, Ask):
            self._ask(step, steps, index)
        return False

    def _ask(self, step: Ask, steps: list[Step], index: int) -> None:
        prompt = Prompt(step.id, step.text, kind=step.kind, help=step.help)
        if step.kind == "free":
            self._free(step, prompt)
            return
        answer = self.conversation.ask(prompt)
        if isinstance(answer, Number):
            self._ratings[step.id] = max(step.low, min(step.high, answer.value))
        elif isinstance(answer, Yes) and step.on_yes:
            steps[index + 1 : index + 1] = list(step.on_yes)

    def _free(self, step: Ask, prompt: Prompt) -> None:
        """A step the person works through aloud or silently; "done" or a quiet spell goes on."""
        conversation = self.conversation
        conversation.events.emit(AskEvent(step.id, None, "free", step.text))
        self.say(step.text, listen=False)
        if not self._can_hear:
            self.bus.wait(step.quiet_s)
            return
        while True:
            heard = conversation.channel.hear(self.understanding.phrases(prompt), step.quiet_s)
            if heard.timed_out:
                return
            if heard.rejected:
                continue
            answer = self.understanding.parse(heard.text, prompt)
            if isinstance(answer, Done):
                return
            if isinstance(answer, SelfHarm) and conversation.on_self_harm is not None:
                conversation.on_self_harm(conversation)
                self.say(step.text, listen=False)
            elif isinstance(answer, Command):
                if answer.name is CommandName.STOP:
                    raise StopRequested
                if answer.name is CommandName.HELP:
                    self.say(f"{step.help} {self.wording['done_hint']}", listen=False)
                elif answer.name is CommandName.PAUSE:
                    self._hold()
                else:
                    self.say(step.text, listen=False)

    def _take(self, chunk: Chunk) -> bool:
        """The command listener: True when a command (or words of self-harm) should interrupt."""
        if self.recognizer is None:
            return False
        if self._listener is None:
            phrases = self.understanding.phrases(_COMMANDS)
            self._listener = UtteranceListener(
                self.recognizer, phrases, self._endpointer, COMMAND_EARLY_END_S
            )
        heard = self._listener.push(chunk)
        if heard is None:
            return False
        self._listener = None
        if not heard.accepted:
            return False
        answer = self.understanding.parse(heard.text, _COMMANDS)
        if isinstance(answer, Command | SelfHarm):
            self._interrupt = _Interrupt(answer, self.bus.t_s)
            return True
        return False

    def _obey(self, steps: list[Step], index: int) -> int:
        """Carry out the interrupting command; the index to go on from (-1 to end)."""
        interrupt, self._interrupt = self._interrupt, None
        if interrupt is None:
            return index
        answer = interrupt.answer
        if isinstance(answer, SelfHarm):
            if self.conversation.on_self_harm is not None:
                self.conversation.on_self_harm(self.conversation)
            return index
        if not isinstance(answer, Command):
            return index
        match answer.name:
            case CommandName.STOP:
                self.stopped_at_s = interrupt.at_s
                raise StopRequested
            case CommandName.PAUSE:
                self._hold()
            case CommandName.SLOWER | CommandName.FASTER:
                slower = answer.name is CommandName.SLOWER
                factor = PACE_STEP if slower else 1 / PACE_STEP
                self.pace = min(PACE_RANGE[1], max(PACE_RANGE[0], self.pace * factor))
                self.say(self.wording["slower" if slower else "faster"], listen=False)
                self.conversation.change_rate(slower, announce=False)
            case CommandName.SKIP:
                self.say(self.wording["skipped"], listen=False)
                return _next_group(steps, index)
            case CommandName.HELP:
                self.say(self.wording["help"], listen=False)
            case CommandName.TIME_LEFT:
                self.say(self.wording.time_left(self._seconds_left(steps, index)), listen=False)
            case CommandName.REPEAT:
                return _last_spoken(steps, index)
            case CommandName.RESUME:
                pass
        return index

    def _hold(self) -> None:
        """Paused: the clock of the exercise stands still until the person says resume."""
        self.say(self.wording["paused"], listen=False)
        while self._can_hear:
            if not self.bus.wait(60.0, self._take):
                self.say(self.wording["still_paused"], listen=False)
                continue
            interrupt, self._interrupt = self._interrupt, None
            answer = interrupt.answer if interrupt else None
            if isinstance(answer, SelfHarm) and self.conversation.on_self_harm is not None:
                self.conversation.on_self_harm(self.conversation)
            if isinstance(answer, Command) and answer.name is CommandName.STOP:
                self.stopped_at_s = interrupt.at_s if interrupt else None
                raise StopRequested
            if isinstance(answer, Command) and answer.name is CommandName.RESUME:
                self.say(self.wording["resumed"], listen=False)
                return
        raise StopRequested

    def _seconds_left(self, steps: list[Step], index: int) -> float:
        estimate = words_estimator(self.conversation.speech.rate_wpm)
        return sum(
            step_seconds(step, estimate, self.pace) for step in steps[index:] if not isinstance(step, Ask)
        )


_COMMANDS = Prompt("exercise_command", "", kind="free")


def _next_group(steps: list[Step], index: int) -> int:
    """The index of the next step that starts a new part (an "attend" line), or the next step."""
    for later in range(index + 1, len(steps)):
        step = steps[later]
        if isinstance(step, Say) and step.role == "attend":
            return later
    return min(index + 1, len(steps))


def _last_spoken(steps: list[Step], index: int) -> int:
    """The index of the step to say again: this one, or the last spoken one before a silence."""
    for earlier in range(index, -1, -1):
        if isinstance(steps[earlier], Say | Cue | SayBack):
            return earlier
    return index
