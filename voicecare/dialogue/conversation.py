"""Asking one question well, in any mode: global commands, reprompts on silence, re-asks when unclear.

The flows (screening, exercises, the session menu) call ``ask`` and get a typed answer back: a real
answer, ``Silence`` after the second silence, or ``Unclear`` after two re-asks. ``stop`` raises
``StopRequested``; words of self-harm hand over to the safety check before anything else.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from voicecare.dialogue.event_sinks import EventSink
from voicecare.dialogue.events import AskEvent, HeardEvent, SayEvent
from voicecare.dialogue.port import Channel, Interruption, Listening, Revised, Turn
from voicecare.dialogue.prompt import Prompt
from voicecare.dialogue.wording import Wording, load_wording
from voicecare.recognition.listening import settled_phrases
from voicecare.recognition.ports import Heard
from voicecare.speech.ports import SpeechSettings
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import (
    SILENCE,
    UNCLEAR,
    Answer,
    Command,
    CommandName,
    No,
    SelfHarm,
    Silence,
    Unclear,
)
from voicecare.understanding.trust import believed

RATE_STEP = 1.2
"""Factor by which "slower" and "faster" change the speech rate."""
MIN_RATE_WPM, MAX_RATE_WPM = 80, 320


class FlowInterrupted(Exception):
    """The one kind of exception a flow ends or turns back with; each kind below says why. Only the
    flows raise and catch these: the channel reports interruptions as ``port.Interruption`` values."""


class StopRequested(FlowInterrupted):
    """The person said stop."""


class AnswerRevised(FlowInterrupted):
    """A reply to ``prompt_id`` taken provisionally did not stand (see ``port.Revised``).

    Raised from whatever the conversation was doing next (that speech is cut short). The flow forgets
    the answer it had for ``prompt_id`` and asks it again: that ``ask`` takes the whole reply as heard,
    without putting the question again.
    """

    def __init__(self, prompt_id: str) -> None:
        super().__init__(prompt_id)
        self.prompt_id = prompt_id


class SafetyStop(FlowInterrupted):
    """The self-harm check gave its crisis message: everything stops and nothing resumes."""


class Understanding(Protocol):
    """Turns a reply into a typed answer, and says which phrases a recogniser should listen for."""

    def phrases(self, prompt: Prompt) -> list[str]:
        """Every phrase accepted for ``prompt`` plus the global commands."""
        ...

    def parse(self, text: str, prompt: Prompt) -> Answer:
        """The answer ``text`` gives to ``prompt``; ``Unclear`` when it gives none."""
        ...


@dataclass
class Conversation:
    """Says things and asks questions through a channel, emitting every step as an event."""

    channel: Channel
    events: EventSink
    understanding: Understanding
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    timeout_s: float = 8.0
    """Seconds to wait for a reply before reprompting."""
    wording: Wording = field(default_factory=load_wording)
    on_self_harm: Callable[["Conversation"], None] | None = None
    """The safety check, run when words of self-harm are heard; it raises SafetyStop to end the session.
    Without one, ``ask`` returns the ``SelfHarm`` answer to its caller."""
    on_speech_change: Callable[[SpeechSettings], None] | None = None
    """Told when the person changes the speech rate by voice, so it can be remembered."""
    pause_reminder_s: float = 60.0
    """While paused, seconds of quiet after which the person is reminded how to go on."""
    commands_under_speech: bool = False
    """Listen for the global commands while saying anything (a device across the room: "stop" works
    while voicecare talks). A command heard cuts the line short and is obeyed; the line is then said
    again, except after stop, which raises ``StopRequested``."""
    _endings: dict[tuple[object, ...], tuple[frozenset[str], dict[str, object]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _provisional: str | None = field(default=None, init=False)
    """The id of the prompt whose reply was last taken provisionally."""
    _revised: tuple[str, Heard] | None = field(default=None, init=False)
    _command_turn: Turn | None = field(default=None, init=False)
    """What is listened for under speech (``commands_under_speech``): the commands alone, a small grammar."""
    """A prompt's id and the whole reply the person gave it, in place of a provisional one."""

    def say(self, text: str) -> None:
        """Say ``text`` (not a question), once the reply before it is checked."""
        self._check(self.channel.checked())
        self.events.emit(SayEvent(text))
        self._speak(text, _STATEMENT)

    def _speak(self, text: str, prompt: Prompt) -> None:
        """Say ``text`` through the channel; under ``commands_under_speech``, obey a command heard over it
        and say the line again (stop raises)."""
        while True:
            listening = self._under_speech()
            interruption = (
                self.channel.say(text, self.speech)
                if listening is None
                else self.channel.say(text, self.speech, listening)
            )
            self._check(interruption)
            if interruption is None or not isinstance(interruption.found, Command):
                return
            self.events.emit(HeardEvent(prompt.id, "", _label(interruption.found)))
            if not self._obey(interruption.found.name, prompt):
                return

    def _under_speech(self) -> Listening | None:
        if not self.commands_under_speech:
            return None

        def judge(text: str) -> object | None:
            answer = self.understanding.parse(text, _STATEMENT)
            return answer if isinstance(answer, Command) else None

        if self._command_turn is None:
            phrases = self.understanding.phrases(_STATEMENT)
            self._command_turn = Turn([p for p in phrases if judge(p) is not None])
        return Listening(self._command_turn, judge)

    def settle(self) -> None:
        """Wait until the last reply is final; raises ``AnswerRevised`` if it did not stand."""
        self._check(self.channel.settle())

    def listen(self, phrases: Sequence[str], timeout_s: float) -> Heard:
        """Hear one reply under ``phrases`` without asking anything (a pause, a step worked through
        aloud), once the last reply is final."""
        self.settle()
        return self.channel.hear(Turn(phrases), timeout_s)

    def ask(self, prompt: Prompt) -> Answer:
        """Ask ``prompt`` until it gets an answer, or ``Silence``/``Unclear`` once the retries are spent.

        After ``AnswerRevised`` for this prompt, the question is not put again: the whole reply the
        person gave is taken as the first one, and no reply is taken provisionally again, so a person whose
        replies keep being revised is asked again at most as often as any other."""
        revised = self._revised[1] if self._revised and self._revised[0] == prompt.id else None
        self._revised = None
        phrases = self.understanding.phrases(prompt)
        finishing, revisable = self._quick_endings(prompt, phrases)
        turn = Turn(phrases, finishing, {} if revised is not None else revisable)
        if revised is None:
            self._put(prompt, prompt.text, turn)
        silences = unclear = 0
        while True:
            heard = revised or self._hear(prompt, turn)
            revision, revised = revised is not None, None
            if heard.timed_out:
                silences += 1
                if silences >= (2 if prompt.reprompt_on_silence else 1) or self.channel.ended:
                    self.events.emit(HeardEvent(prompt.id, "", SILENCE.label))
                    return SILENCE
                self._put(prompt, self.wording.line("silence.reprompt", prompt.text), turn)
                continue
            parsed = UNCLEAR if heard.rejected else self.understanding.parse(heard.text, prompt)
            answer = believed(parsed, heard.confidence)
            shown = "" if isinstance(answer, SelfHarm) else heard.text
            self.events.emit(HeardEvent(prompt.id, shown, _label(answer), revision))
            if isinstance(answer, Unclear):
                unclear += 1
                if unclear > 2:
                    return UNCLEAR
                key = "unclear.first" if unclear == 1 else "unclear.second"
                self._put(prompt, self.wording.line(key, prompt.reask or prompt.text), turn)
                continue
            final = self._act_on(answer, prompt, turn)
            if final is not None:
                return final

    def _act_on(self, answer: Answer, prompt: Prompt, turn: Turn) -> Answer | None:
        """What ``ask`` returns for ``answer``; None when it was acted on (the safety check, a command)
        and the question has been put again."""
        if isinstance(answer, SelfHarm):
            if self.on_self_harm is None:
                return answer
            self.on_self_harm(self)
        elif isinstance(answer, Command):
            if not self._obey(answer.name, prompt):
                return SILENCE
        else:
            return answer
        self._put(prompt, prompt.text, turn)
        return None

    def _hear(self, prompt: Prompt, turn: Turn) -> Heard:
        self.settle()
        heard = self.channel.hear(turn, self.timeout_s)
        self._provisional = prompt.id if heard.provisional else None
        return heard

    def _check(self, interruption: Interruption | None) -> None:
        """Turns the channel's ``Revised`` into ``AnswerRevised`` for the prompt it belongs to."""
        if interruption is not None and isinstance(interruption.found, Revised):
            prompt_id, self._provisional = self._provisional or "", None
            self._revised = (prompt_id, interruption.found.heard)
            raise AnswerRevised(prompt_id)

    def _quick_endings(self, prompt: Prompt, phrases: list[str]) -> tuple[frozenset[str], dict[str, object]]:
        """The phrases after which a spoken reply may end at once, and those after which it may end
        provisionally (see ``Prompt.revisable``), with their meanings. At once: those whose meaning no
        longer phrase changes, except a no, which waits the full silence in case the person goes on
        ("no... yes"). A bare "no" is never among them anyway: "no idea" and "no i don't know" are doubts.
        Provisionally, for a revisable prompt: every reply (not a command, nor words of self-harm)."""
        key = (prompt.kind, tuple(phrases), tuple(o.id for o in prompt.options), prompt.revisable)
        if key not in self._endings:

            def meaning(text: str) -> object:
                return self.understanding.parse(text, prompt)

            settled = settled_phrases(phrases, meaning)
            finishing = frozenset(p for p in settled if not isinstance(meaning(p), No))
            meanings = {p: meaning(p) for p in phrases} if prompt.revisable else {}
            revisable = {p: m for p, m in meanings.items() if not isinstance(m, Command | SelfHarm | Unclear)}
            self._endings[key] = (finishing, revisable)
        return self._endings[key]

    def _put(self, prompt: Prompt, text: str, turn: Turn) -> None:
        """Ask ``text`` for a reply under ``turn``. The reply before it is checked first, so a reply that
        did not stand is taken again before this question is begun (questions stay in order); a reply
        begun over the question stops it, and the next ``hear`` takes it."""
        self._check(self.channel.checked())
        self.events.emit(AskEvent(prompt.id, prompt.finding, prompt.kind, text, prompt.readback))
        if self.commands_under_speech:
            self._speak(text, prompt)
        else:
            self._check(self.channel.say(text, self.speech, question=turn))

    def _obey(self, command: CommandName, prompt: Prompt) -> bool:
        """Carry out a global command; False when the person went away during a pause."""
        match command:
            case CommandName.STOP:
                raise StopRequested
            case CommandName.HELP:
                hint = self.wording.line(prompt.help_key)
                self.say(" ".join(p for p in (prompt.help, hint, self.wording.line("help.commands")) if p))
            case CommandName.SLOWER | CommandName.FASTER:
                self.change_rate(slower=command is CommandName.SLOWER)
            case CommandName.PAUSE:
                return self.pause()
            case CommandName.SKIP:
                self.say(self.wording.line("commands.cannot_skip"))
            case CommandName.TIME_LEFT:
                self.say(self.wording.line("commands.no_time_left"))
            case CommandName.REPEAT | CommandName.RESUME:
                pass
        return True

    def change_rate(self, slower: bool, announce: bool = True) -> None:
        """Speak about 20% slower or faster, within 80 to 320 words per minute, and say so if ``announce``."""
        factor = 1 / RATE_STEP if slower else RATE_STEP
        rate = round(min(MAX_RATE_WPM, max(MIN_RATE_WPM, self.speech.rate_wpm * factor)))
        self.speech = replace(self.speech, rate_wpm=rate)
        if self.on_speech_change is not None:
            self.on_speech_change(self.speech)
        if announce:
            self.say(self.wording.line("commands.slower" if slower else "commands.faster"))

    def pause(self) -> bool:
        """Wait until the person says resume (or stop), reminding them now and then; False if the input
        ends while paused."""
        self.say(self.wording.line("commands.paused"))
        pause = Prompt("pause", self.wording.line("commands.still_paused"), kind=AnswerKind.FREE)
        while True:
            heard = self.listen(self.understanding.phrases(pause), self.pause_reminder_s)
            if heard.timed_out:
                if self.channel.ended:
                    return False
                self.say(pause.text)
                continue
            answer = believed(self.understanding.parse(heard.text, pause), heard.confidence)
            if isinstance(answer, SelfHarm) and self.on_self_harm is not None:
                self.on_self_harm(self)
            if isinstance(answer, Command) and answer.name is CommandName.STOP:
                raise StopRequested
            if isinstance(answer, Command) and answer.name is CommandName.RESUME:
                self.say(self.wording.line("commands.resumed"))
                return True


_STATEMENT = Prompt("statement", "", kind=AnswerKind.FREE)
"""What is listened for under a line that asks nothing: the commands."""


def _label(answer: Answer) -> str:
    if isinstance(answer, Command):
        return f"command:{answer.name.value}"
    if isinstance(answer, Silence):
        return "silence"
    return answer.label
