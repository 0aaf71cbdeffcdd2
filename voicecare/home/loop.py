"""The home device's state machine: waiting for the wake phrase, awake (a conversation), muted.

::

    WAITING --wake phrase--> AWAKE --goodbye / an activity done / 8 s of silence / stop--> WAITING
    AWAKE --"stop listening" (for a while)--> MUTED --the while is over--> WAITING
    any state --the input is over for good (end of a tape, of typed input)--> ENDED

Every detection is emitted as a ``wake`` event with the session time. What happens while awake is the
``Woken`` callable's business (``home.woken``); the loop only knows how it ended.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from voicecare.dialogue.event_sinks import EventSink
from voicecare.dialogue.events import WakeEvent
from voicecare.home.waiting import Waiter
from voicecare.recognition.wake import Detection


class HomeState(StrEnum):
    WAITING = "waiting"
    AWAKE = "awake"
    MUTED = "muted"
    ENDED = "ended"


@dataclass(frozen=True)
class Awake:
    """How a conversation ended: ``mute_s`` when the person asked voicecare to stop listening."""

    mute_s: float | None = None


Woken = Callable[[Detection | None], Awake]
"""Runs the conversation after a wake (None: started at once, ``--no-wake``); how it ended."""


@dataclass
class HomeLoop:
    """Waits with ``waiter``, runs ``woken`` on each wake, mutes when asked; until the input ends.

    ``on_waiting`` is called each time waiting begins (readiness for systemd, the first time);
    ``unmuted`` says the line for the end of a mute, unless ``quiet`` (quiet hours at session time ``t``).
    ``max_wakes`` stops after that many conversations (tests, benchmarks).
    """

    waiter: Waiter
    woken: Woken
    events: EventSink
    start_awake: bool = False
    on_waiting: Callable[[], None] = lambda: None
    unmuted: Callable[[], None] = lambda: None
    quiet: Callable[[float], bool] = lambda t_s: False
    max_wakes: int | None = None
    wakes: list[Detection] = field(default_factory=list)
    _state: HomeState = field(default=HomeState.WAITING, init=False)
    _found: Detection | None = field(default=None, init=False)
    _mute_s: float = field(default=0.0, init=False)

    @property
    def state(self) -> HomeState:
        return self._state

    def run(self) -> None:
        """Until the input is over (or ``max_wakes`` conversations)."""
        if self.start_awake:
            self._state = HomeState.AWAKE
        while self._state is not HomeState.ENDED:
            self.step()

    def step(self) -> None:
        """One transition."""
        match self._state:
            case HomeState.WAITING:
                self._wait()
            case HomeState.AWAKE:
                self._awake()
            case HomeState.MUTED:
                self._muted()

    def _wait(self) -> None:
        if self.max_wakes is not None and len(self.wakes) >= self.max_wakes:
            self._state = HomeState.ENDED
            return
        self.on_waiting()
        found = self.waiter.wake()
        if found is None:
            self._state = HomeState.ENDED
            return
        self.wakes.append(found)
        self.events.emit(WakeEvent(round(self.waiter.t_s, 3), found.phrase))
        self._found, self._state = found, HomeState.AWAKE

    def _awake(self) -> None:
        ended = self.woken(self._found)
        if self.waiter.ended:
            self._state = HomeState.ENDED
        elif ended.mute_s:
            self._mute_s, self._state = ended.mute_s, HomeState.MUTED
        else:
            self._state = HomeState.WAITING

    def _muted(self) -> None:
        self.waiter.rest(self._mute_s)
        if self.waiter.ended:
            self._state = HomeState.ENDED
            return
        if not self.quiet(self.waiter.t_s):
            self.unmuted()
        self._state = HomeState.WAITING
