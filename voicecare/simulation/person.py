"""The simulated person of the demo: an audio source that answers what voicecare asks, in its own voice.

It watches the session's events (it is an event sink) to know the question being asked and the cues of
an exercise, and speaks (it is the microphone): answers are queued when a question is asked and come out
when voicecare next listens; lines during an exercise are timed on the person's own clock, which is the
session clock while the microphone is read throughout.
"""

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from voicecare.audio.pcm import CHUNK_BYTES, CHUNK_MS, Chunk, silence, split_chunks
from voicecare.content.reader import CONTENT_DIR, read_table
from voicecare.dialogue.events import AskEvent, CueEvent, Event, HeardEvent, asked_kind
from voicecare.speech.ports import SpeechSettings, Synthesizer

CHUNK_S = CHUNK_MS / 1000
TRAIL_S = 1.0
"""Silence after each thing the person says, in seconds."""


@dataclass(frozen=True)
class TimedLine:
    """Something said during an exercise: after the ``after_cue``-th "tense" cue plus ``delay_s``, or
    ``after_previous_s`` after the previous line ended."""

    say: str
    after_cue: int | None
    delay_s: float


@dataclass(frozen=True)
class PersonScript:
    """Who the person is: their voice and what they answer (see ``content/demo_person.toml``)."""

    voice: str
    rate_wpm: int
    lead_in_s: float
    answers: dict[str, tuple[str, ...]]
    menu: tuple[str, ...]
    during_exercise: tuple[TimedLine, ...]


def load_person_script() -> PersonScript:
    """Read and validate ``content/demo_person.toml``."""
    path = CONTENT_DIR / "demo_person.toml"
    root = read_table(path)
    root.only(("voice", "rate_wpm", "lead_in_s", "answers", "menu", "during_exercise"))
    answers = root.table("answers")
    lines = []
    for line in root.tables("during_exercise"):
        line.only(("say",), ("after_cue", "delay_s", "after_previous_s"))
        delay = line.data.get("delay_s", line.data.get("after_previous_s", 0.0))
        if not isinstance(delay, int | float):
            raise line.fail("delay_s", "must be a number of seconds", "write a number such as 1.5")
        lines.append(TimedLine(line.text("say"), line.optional_integer("after_cue"), float(delay)))
    lead_in = root.data.get("lead_in_s")
    if not isinstance(lead_in, int | float):
        raise root.fail("lead_in_s", "must be a number of seconds", "write a number such as 0.6")
    return PersonScript(
        voice=root.text("voice"),
        rate_wpm=root.integer("rate_wpm"),
        lead_in_s=float(lead_in),
        answers={key: answers.texts(key) for key in answers.data},
        menu=root.table("menu").texts("replies"),
        during_exercise=tuple(lines),
    )


@dataclass
class SimulatedPerson:
    """Speaks ``script`` with ``synthesizer``; use ``chunks()`` as the microphone and ``emit`` as a sink."""

    synthesizer: Synthesizer
    script: PersonScript = field(default_factory=load_person_script)
    said: list[str] = field(default_factory=list)
    """Everything the person said, in order (for the transcript)."""
    _clock_s: float = 0.0
    _speaking: deque[Chunk] = field(default_factory=deque)
    _answer: str | None = None
    _timed: list[tuple[float, str]] = field(default_factory=list)
    _menu_index: int = 0
    _times_asked: dict[str, int] = field(default_factory=dict)
    """How often each question was put again after the person's answer to it was heard."""
    _answered: set[str] = field(default_factory=set)
    """Questions whose answer was heard since they were last put."""
    _cues: int = 0
    _line_index: int = 0
    _last_end_s: float = 0.0

    def emit(self, event: Event) -> None:
        """Watch the session: a question queues its answer; a cue may time the next exercise line."""
        if isinstance(event, AskEvent):
            self._answer = self._reply(event)
        elif isinstance(event, HeardEvent):
            self._answered.add(event.id)
            if event.id == "menu" and event.answer == "choice":
                self._menu_index += 1
        elif isinstance(event, CueEvent) and event.cue == "tense":
            self._cues += 1
            self._schedule()

    def chunks(self) -> Iterator[Chunk]:
        """The microphone: the person's speech when they speak, silence otherwise; never ends."""
        quiet = bytes(CHUNK_BYTES)
        while True:
            if not self._speaking:
                self._start_next()
            chunk = self._speaking.popleft() if self._speaking else quiet
            self._clock_s += CHUNK_S
            yield chunk

    def close(self) -> None:
        """Nothing to release."""

    def _reply(self, ask: AskEvent) -> str:
        """The reply to ``ask``; asked the same question again after answering it, the person says it
        another way (a question cut short and put again is answered as the first time)."""
        if ask.id in self._answered:
            self._times_asked[ask.id] = self._times_asked.get(ask.id, 0) + 1
            self._answered.discard(ask.id)
        asked_again = self._times_asked.get(ask.id, 0)
        answers = self.script.answers
        if ask.id == "menu":
            return self.script.menu[min(self._menu_index, len(self.script.menu) - 1)]
        if ask.readback:
            replies = answers["number_readback" if ask.finding in ("age", "pain_weeks") else "readback"]
        else:
            replies = answers.get(ask.id) or answers.get(asked_kind(ask.kind)) or answers["yes_no"]
        return replies[min(asked_again, len(replies) - 1)]

    def _schedule(self) -> None:
        """Time the exercise lines that wait for this cue."""
        lines = self.script.during_exercise
        while self._line_index < len(lines) and lines[self._line_index].after_cue == self._cues:
            line = lines[self._line_index]
            self._timed.append((self._clock_s + line.delay_s, line.say))
            self._line_index += 1

    def _schedule_following(self) -> None:
        """Time the line that follows the one just started, when it is timed from that one's end."""
        lines = self.script.during_exercise
        if self._line_index < len(lines) and lines[self._line_index].after_cue is None:
            self._timed.append(
                (self._last_end_s + lines[self._line_index].delay_s, lines[self._line_index].say)
            )
            self._line_index += 1

    def _start_next(self) -> None:
        text: str | None = None
        timed = False
        if self._timed and self._timed[0][0] <= self._clock_s:
            text, timed = self._timed.pop(0)[1], True
        elif self._answer is not None:
            text, self._answer = self._answer, None
        if text is None:
            return
        self.said.append(text)
        settings = SpeechSettings(rate_wpm=self.script.rate_wpm, voice=self.script.voice)
        speech = b"".join(self.synthesizer.speak(text, settings))
        audio = silence(self.script.lead_in_s) + speech + silence(TRAIL_S)
        self._speaking.extend(split_chunks(audio))
        self._last_end_s = self._clock_s + len(audio) / (CHUNK_BYTES / CHUNK_S)
        if timed:
            self._schedule_following()
