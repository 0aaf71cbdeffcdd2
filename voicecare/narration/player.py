"""The exercise player: narrates a script on the channel's session clock and obeys commands throughout.

On the audio bus the same code paces a real speaker in real time and renders a tape or a simulated
session as fast as the machine allows; on the text channel it prints. While it speaks or waits, whatever
the person says goes to ``_judge``: a command, a warning sign ("my legs are numb") or words of self-harm
interrupt the output at once. The grammar under the narration holds only the short commands, warning-sign
phrases and the few spoken self-harm phrases of safety.toml (``spoken``), so voicecare's own narration
heard through the microphone is mostly rejected rather than obeyed; other wordings of self-harm are caught
when typed or in an answer. Measured limits: docs/measurements.md, "Commands under the narration".
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from voicecare.dialogue.conversation import Conversation, FlowInterrupted, SafetyStop, StopRequested
from voicecare.dialogue.events import AskEvent, CueEvent, HeardEvent, SayEvent
from voicecare.dialogue.port import Channel, Interruption, Listening, Turn
from voicecare.dialogue.prompt import Prompt
from voicecare.exercises.script import Ask, Cue, Pause, Say, SayBack, Step, step_seconds
from voicecare.narration.warning_signs import SignAwareUnderstanding, WarningSign
from voicecare.narration.wording import PlayerWording, load_player_wording
from voicecare.recognition.listening import settled_phrases
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import (
    Answer,
    Command,
    CommandName,
    Done,
    FreeText,
    Number,
    SelfHarm,
    Yes,
)
from voicecare.understanding.trust import believed

PACE_STEP = 1.25
"""Factor on paced silences for "slower" (and its inverse for "faster")."""
PACE_RANGE = (0.5, 2.0)
HOLD_REMINDER_S = 60.0
"""While paused, how often (seconds) the person is reminded how to go on."""
COMMANDS = Prompt("exercise_command", "", kind=AnswerKind.FREE)
"""The listening turn under the narration: commands (and warning signs) only."""


class PlayEnd(Enum):
    """How an exercise ended."""

    COMPLETED = "completed"
    STOPPED = "stopped"
    SAFETY_STOP = "safety_stop"
    """The self-harm check gave its crisis message; the exercise does not resume."""
    WARNING_SIGN = "warning_sign"
    """A warning sign was mentioned; the screening should be offered."""
    INPUT_ENDED = "input_ended"
    """The input (microphone, tape, typed lines) ended while the exercise waited for the person (paused)."""


class _InputEnded(StopRequested):
    """Nobody can say resume any more: the exercise stops as if the person had said stop."""


class _SignMentioned(FlowInterrupted):
    def __init__(self, sign: WarningSign) -> None:
        super().__init__(sign.id)
        self.sign = sign


Found = Answer | WarningSign


NARRATION_COMMANDS = (
    "help",
    "repeat",
    "stop",
    "pause",
    "resume",
    "continue",
    "slower",
    "faster",
    "skip",
    "how long is left",
)
"""The one phrasing of each command listened for under the narration ("continue" too, for resume)."""
NARRATION_SIGN_WORDS = 3
"""Under the narration only warning-sign phrases of up to three words are listened for."""


def command_grammar(understanding: SignAwareUnderstanding) -> tuple[list[str], frozenset[str]]:
    """The phrases listened for under the narration, and those that may end an utterance early.

    Only commands, warning signs and the spoken self-harm phrases, and of those the short forms (self-harm
    phrases need ``SURE_CONFIDENCE`` here like the rest): a small grammar is heard far more reliably than
    one with every phrasing (docs/measurements.md). Typed text still accepts every phrasing.
    """
    phrases = []
    for phrase in understanding.phrases(COMMANDS):
        words = len(phrase.split())
        if understanding.signs.spot(phrase) is not None:
            if words <= NARRATION_SIGN_WORDS:
                phrases.append(phrase)
        else:
            answer = understanding.turns.parse(phrase, COMMANDS)
            if isinstance(answer, SelfHarm) or (phrase in NARRATION_COMMANDS and isinstance(answer, Command)):
                phrases.append(phrase)

    def meaning(text: str) -> object:
        sign = understanding.signs.spot(text)
        return sign.id if sign is not None else understanding.turns.parse(text, COMMANDS)

    return phrases, settled_phrases(phrases, meaning)


@dataclass
class Player:
    """Plays exercise steps through ``conversation`` and its channel, listening under the narration.

    ``pace`` scales paced silences; "slower" and "faster" change it and the speech rate.
    ``one_line_answers``: a typed reply to a free question is the whole answer (text mode).
    """

    conversation: Conversation
    understanding: SignAwareUnderstanding
    wording: PlayerWording = field(default_factory=load_player_wording)
    pace: float = 1.0
    one_line_answers: bool = False
    stopped_at_s: float | None = None
    """Session time (seconds) at which a stop silenced the output."""
    sign: WarningSign | None = None
    """The warning sign that ended the exercise, if one did."""
    _ratings: dict[str, int] = field(default_factory=dict)
    _listening: Listening = field(init=False)
    _deaf: Listening = field(init=False)

    def __post_init__(self) -> None:
        phrases, finishing = command_grammar(self.understanding)
        turn = Turn(phrases, finishing)
        self._listening = Listening(turn, self._judge)
        self._deaf = Listening(turn, None)

    @property
    def channel(self) -> Channel:
        """The channel the exercise is played on."""
        return self.conversation.channel

    def run(self, steps: Sequence[Step]) -> PlayEnd:
        """Play ``steps`` to the end, or until stopped; no exception of the flow escapes."""
        with self.channel.along_the_clock():
            return self._play(steps)

    def _play(self, steps: Sequence[Step]) -> PlayEnd:
        try:
            self._run(list(steps))
        except _InputEnded:
            self.say(self.wording["stopped"], listen=False)
            return PlayEnd.INPUT_ENDED
        except StopRequested:
            self.say(self.wording["stopped"], listen=False)
            return PlayEnd.STOPPED
        except SafetyStop:
            return PlayEnd.SAFETY_STOP
        except _SignMentioned as mentioned:
            self.sign = mentioned.sign
            self.say(self.understanding.signs.stopped, listen=False)
            return PlayEnd.WARNING_SIGN
        return PlayEnd.COMPLETED

    def rating(self, ask_id: str) -> int | None:
        """The number given to the ask ``ask_id`` (held within its range), if one was."""
        return self._ratings.get(ask_id)

    def say(self, text: str, listen: bool = True) -> Interruption | None:
        """Speak ``text``, listening for interruptions when ``listen``."""
        self.conversation.events.emit(SayEvent(text))
        return self.channel.say(text, self.conversation.speech, self._listening if listen else self._deaf)

    def _run(self, steps: list[Step]) -> None:
        index = 0
        pause_left: float | None = None
        while index < len(steps):
            step = steps[index]
            if isinstance(step, Pause):
                seconds = pause_left if pause_left is not None else self._pause_seconds(step)
                started = self.channel.t_s
                interruption = self.channel.wait(seconds, self._listening)
                pause_left = max(0.0, seconds - (self.channel.t_s - started))
            else:
                pause_left = None
                interruption = self._perform(step, steps, index)
            if interruption is None:
                index, pause_left = index + 1, None
                continue
            after = self._obey(interruption, steps, index)
            if after != index:
                index, pause_left = after, None

    def _pause_seconds(self, step: Pause) -> float:
        return step.seconds * (self.pace if step.paced else 1.0)

    def _perform(self, step: Step, steps: list[Step], index: int) -> Interruption | None:
        if isinstance(step, Cue):
            self.conversation.events.emit(CueEvent(step.cue, step.group, round(self.channel.t_s, 3)))
            return self.say(step.text)
        if isinstance(step, Say):
            return self.say(step.text)
        if isinstance(step, SayBack):
            before, after = self._ratings.get(step.before_id), self._ratings.get(step.after_id)
            return None if before is None or after is None else self.say(step.text(before, after))
        if isinstance(step, Ask):
            self._ask(step, steps, index)
        return None

    def _ask(self, step: Ask, steps: list[Step], index: int) -> None:
        prompt = Prompt(step.id, step.text, kind=step.kind, help=step.help)
        if step.kind is AnswerKind.FREE:
            self._free(step, prompt)
            return
        answer = self.conversation.ask(prompt)
        self._check_sign(answer)
        if isinstance(answer, Number):
            self._ratings[step.id] = max(step.low, min(step.high, answer.value))
        elif isinstance(answer, Yes) and step.on_yes:
            steps[index + 1 : index + 1] = list(step.on_yes)

    def _free(self, step: Ask, prompt: Prompt) -> None:
        """A step the person works through aloud or silently; "done" or a quiet spell goes on."""
        conversation = self.conversation
        conversation.events.emit(AskEvent(step.id, None, AnswerKind.FREE, step.text))
        self.channel.say(step.text, conversation.speech, self._deaf)
        if self.channel.ended:
            self.channel.wait(step.quiet_s, self._deaf)
            return
        while True:
            heard = conversation.listen(self.understanding.phrases(prompt), step.quiet_s)
            if heard.timed_out:
                return
            if heard.rejected:
                continue
            answer = believed(self.understanding.parse(heard.text, prompt), heard.confidence)
            if isinstance(answer, SelfHarm):
                self._self_harm()
                self.say(step.text, listen=False)
                continue
            self._check_sign(answer)
            if isinstance(answer, Done) or (self.one_line_answers and isinstance(answer, FreeText)):
                return
            if isinstance(answer, Command):
                self._free_command(answer.name, step)

    def _free_command(self, name: CommandName, step: Ask) -> None:
        if name is CommandName.STOP:
            raise StopRequested
        if name is CommandName.HELP:
            self.say(f"{step.help} {self.wording['done_hint']}", listen=False)
        elif name is CommandName.PAUSE:
            if not self.conversation.pause():
                raise _InputEnded
        elif name is CommandName.SLOWER or name is CommandName.FASTER:
            self._change_pace(slower=name is CommandName.SLOWER)
        else:
            self.say(step.text, listen=False)

    def _judge(self, text: str) -> Found | None:
        """What heard or typed ``text`` means under the narration, when it should interrupt; what
        interrupts is also a ``heard`` event (without the words, for self-harm)."""
        found = self._meaning(text)
        if found is not None:
            label = found.label if isinstance(found, SelfHarm) else _found_label(found)
            shown = "" if isinstance(found, SelfHarm) else text
            self.conversation.events.emit(HeardEvent("exercise", shown, label))
        return found

    def _meaning(self, text: str) -> Found | None:
        answer = self.understanding.turns.parse(text, COMMANDS)
        if isinstance(answer, SelfHarm):
            return answer
        sign = self.understanding.signs.spot(text)
        if sign is not None:
            return sign
        return answer if isinstance(answer, Command) else None

    def _check_sign(self, answer: Answer) -> None:
        if isinstance(answer, FreeText):
            sign = self.understanding.signs.spot(answer.text)
            if sign is not None:
                raise _SignMentioned(sign)

    def _self_harm(self) -> None:
        """The self-harm check; it raises SafetyStop unless the answer was a clear no."""
        check = self.conversation.on_self_harm
        if check is None:
            raise SafetyStop
        check(self.conversation)

    def _obey(self, interruption: Interruption, steps: list[Step], index: int) -> int:
        """Carry out what interrupted; the index to go on from."""
        found = interruption.found
        if isinstance(found, WarningSign):
            raise _SignMentioned(found)
        if isinstance(found, SelfHarm):
            self._self_harm()
            return index
        if not isinstance(found, Command):
            return index
        match found.name:
            case CommandName.STOP:
                self.stopped_at_s = interruption.at_s
                raise StopRequested
            case CommandName.PAUSE:
                self._hold()
            case CommandName.SLOWER | CommandName.FASTER:
                self._change_pace(slower=found.name is CommandName.SLOWER)
            case CommandName.SKIP:
                self.say(self.wording["skipped"], listen=False)
                return _next_part(steps, index)
            case CommandName.HELP:
                self.say(self.wording["help"], listen=False)
            case CommandName.TIME_LEFT:
                self.say(self.wording.time_left(self._seconds_left(steps, index)), listen=False)
            case CommandName.REPEAT:
                return _last_spoken(steps, index)
            case CommandName.RESUME:
                pass
        return index

    def _change_pace(self, slower: bool) -> None:
        factor = PACE_STEP if slower else 1 / PACE_STEP
        self.pace = min(PACE_RANGE[1], max(PACE_RANGE[0], self.pace * factor))
        self.say(self.wording["slower" if slower else "faster"], listen=False)
        self.conversation.change_rate(slower, announce=False)

    def _hold(self) -> None:
        """Paused: the exercise's clock stands still until the person says resume."""
        self.say(self.wording["paused"], listen=False)
        while self.channel.can_hear:
            interruption = self.channel.wait(HOLD_REMINDER_S, self._listening)
            if interruption is None:
                self.say(self.wording["still_paused"], listen=False)
                continue
            found = interruption.found
            if isinstance(found, WarningSign):
                raise _SignMentioned(found)
            if isinstance(found, SelfHarm):
                self._self_harm()
            elif isinstance(found, Command) and found.name is CommandName.STOP:
                self.stopped_at_s = interruption.at_s
                raise StopRequested
            elif isinstance(found, Command) and found.name is CommandName.RESUME:
                self.say(self.wording["resumed"], listen=False)
                return
        raise _InputEnded

    def _seconds_left(self, steps: list[Step], index: int) -> float:
        speech = self.conversation.speech

        def estimate(text: str) -> float:
            return self.channel.seconds(text, speech)

        return sum(step_seconds(s, estimate, self.pace) for s in steps[index:] if not isinstance(s, Ask))


def _found_label(found: object) -> str:
    """The ``heard`` event's answer for what interrupted the narration."""
    if isinstance(found, Command):
        return f"command:{found.name.value}"
    if isinstance(found, WarningSign):
        return f"warning_sign:{found.id}"
    return "unclear"


def _next_part(steps: list[Step], index: int) -> int:
    """The next step that starts a part (an "attend" line), else the closing, else the next step."""
    for role in ("attend", "closing"):
        for later in range(index + 1, len(steps)):
            step = steps[later]
            if isinstance(step, Say) and step.role == role:
                return later
    return min(index + 1, len(steps))


def _last_spoken(steps: list[Step], index: int) -> int:
    """The step to say again: this one, or the last spoken one before a silence."""
    for earlier in range(index, -1, -1):
        if isinstance(steps[earlier], Say | Cue | SayBack):
            return earlier
    return index
