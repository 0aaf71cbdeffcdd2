"""What the home device does once woken: the earcon at once, "Yes?" (or "Yes, Sam?"), then the menu of the
hands-free session with the device's own choices: louder, quieter, volume one to ten, stop listening
(for a while the person chooses), who am I, this is (a name), I'm new. One activity, then back to waiting.

Everything said is in ``content/home.toml``. The volume is the synthesiser's (0.1 to 1.0, said as 1 to
10) and, like the speech rate, is kept in the config file (``save_preferences``) unless nothing is saved.

People: "this is Sam" makes Sam the person whose records and history the next activities use (named in
the records if new); "who am I?" says who voicecare thinks it is speaking with. ``confirm_person`` is the
seam for the return-visit route's "Am I speaking with {name}?" (R0): it is asked the person's name when
woken and returns the name to use.
"""

import contextlib
import ctypes
import gc
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from voicecare.content.reader import CONTENT_DIR, read_table
from voicecare.dialogue.channels.voice import VoiceChannel
from voicecare.dialogue.conversation import Conversation, StopRequested
from voicecare.dialogue.events import SayEvent
from voicecare.dialogue.port import Listening, Turn
from voicecare.dialogue.prompt import Option, Prompt
from voicecare.dialogue.session_flow import SessionTalk, load_session_talk
from voicecare.errors import ConfigError
from voicecare.home.loop import Awake
from voicecare.home.settings import HomeSettings
from voicecare.recognition.engines import unload_recognizers
from voicecare.recognition.ports import Recognizer
from voicecare.recognition.wake import Detection
from voicecare.records import Person, RecordStore
from voicecare.session.builder import Session
from voicecare.session.hands_free import HandsFree
from voicecare.session.io import SessionIO
from voicecare.settings import Settings, save_preferences
from voicecare.speech.earcons import Earcon, EarconSettings, earcon_pcm
from voicecare.understanding.answer_kind import AnswerKind
from voicecare.understanding.answers import Choice

_LINES = (
    "yes", "yes_name", "menu", "back_to_waiting", "louder", "quieter", "volume", "loudest", "quietest",
    "mute_how_long", "mute_not_understood", "muted", "unmuted", "who_am_i_known", "who_am_i_unknown",
    "this_is", "new_person", "name_question", "name_not_understood",
)  # fmt: skip
_CHOICES = ("louder", "quieter", "stop_listening", "who_am_i", "new_person")
NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
LEVELS = 10
"""The volume is said as 1 to LEVELS: the synthesiser's volume times LEVELS."""


@dataclass(frozen=True)
class HomeTalk:
    """The lines of ``content/home.toml``, its menu choices, the mute's choices (minutes) and the names
    the recogniser can hear for "this is" and "I'm new"."""

    lines: dict[str, str]
    choices: dict[str, tuple[str, ...]]
    mute_minutes: tuple[Option, ...]
    names: tuple[str, ...]

    def line(self, key: str, **values: str) -> str:
        return self.lines[key].format(**values)


def load_home_talk() -> HomeTalk:
    """Read and validate ``content/home.toml``."""
    root = read_table(CONTENT_DIR / "home.toml")
    root.only((*_LINES, "choices", "mute_choices", "names"))
    choices = root.table("choices")
    choices.only(_CHOICES)
    mutes = root.table("mute_choices")
    for key in mutes.data:
        if not key.isdigit() or int(key) <= 0:
            raise mutes.fail(key, "is not a number of minutes", "use keys such as 10 or 60")
    return HomeTalk(
        {key: root.text(key) for key in _LINES},
        {key: choices.texts(key) for key in _CHOICES},
        tuple(Option(key, mutes.texts(key)) for key in mutes.data),
        tuple(name.lower() for name in root.texts("names")),
    )


def volume_level(volume: float) -> int:
    """The synthesiser's volume (0.0 to 1.0) said as 1 to 10."""
    return max(1, min(LEVELS, round(volume * LEVELS)))


def say_duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return "one hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"


PersonCheck = Callable[[Conversation, str], str | None]
"""The return-visit route's seam (R0, "Am I speaking with {name}?"): asked with the person's name after
"Yes?", returns the name to use (None: nobody known)."""


@dataclass
class HomeVisit:
    """Runs one conversation each time the device is woken, over ``io`` (one channel for the whole run).

    ``started`` is the wall-clock time session time 0 stands for (quiet hours, the end of a mute).
    ``settings`` is kept up to date with what the person changes by voice (volume, rate, who is speaking).
    """

    io: SessionIO
    settings: Settings
    home: HomeSettings
    started: datetime = field(default_factory=datetime.now)
    talk: HomeTalk = field(default_factory=load_home_talk)
    confirm_person: PersonCheck | None = None
    load_recognizer: Callable[[], Recognizer] | None = None
    asleep: Callable[[], None] | None = None
    """Called after each conversation (a device closes its speaker while waiting)."""
    """Loads the recogniser when woken (it is dropped again after); None: the channel keeps its own."""
    relax_groups: int = 16
    session_talk: SessionTalk = field(init=False)
    _session: Session | None = field(default=None, init=False)
    _mute_s: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        earcon_pcm(Earcon.LISTENING, EarconSettings(enabled=self.settings.earcons))  # rendered once, now
        base = load_session_talk()
        self.session_talk = replace(base, lines={**base.lines, "menu": self.talk.line("menu")})

    def now(self) -> datetime:
        """The wall-clock time the session clock stands at."""
        return self.started + timedelta(seconds=self.io.channel.t_s)

    def earcon(self) -> None:
        """The wake earcon, at once (before anything is built), queued whole: it plays while the
        recogniser loads."""
        if self.io.bus is not None:
            self.io.bus.play_now(earcon_pcm(Earcon.LISTENING, EarconSettings(enabled=self.settings.earcons)))

    def __call__(self, found: Detection | None) -> Awake:
        if found is not None:
            self.earcon()
        self._mute_s = None
        self.io.settings = self.settings
        name = self.settings.person
        self._answer(self.talk.line("yes_name", name=name.title()) if name else self.talk.line("yes"))
        self._hold_recognizer(True)
        try:
            return self._converse()
        finally:
            self._hold_recognizer(False)
            if self.asleep is not None:
                self.asleep()

    def _hold_recognizer(self, hold: bool) -> None:
        """With ``load_recognizer`` (a device), the recogniser is loaded only while awake: waiting, the
        process holds the wake detector alone, and the recogniser's memory goes back to the system."""
        channel = self.io.channel
        if self.load_recognizer is None or not isinstance(channel, VoiceChannel):
            return
        if hold:
            self.io.recognizer = self.load_recognizer()
            channel.use_recognizer(self.io.recognizer)
            return
        channel.use_recognizer(None)
        self.io.recognizer = None
        unload_recognizers()
        gc.collect()
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)

    def _answer(self, text: str) -> None:
        """ "Yes?" at once, before the recogniser and the session are ready (nothing is listened for under
        it); on the voice channel from the cache filled when the device started."""
        self.io.events.emit(SayEvent(text))
        channel = self.io.channel
        if isinstance(channel, VoiceChannel):
            channel.say(text, self.io.speech, Listening(Turn(()), None))
        else:
            channel.say(text, self.io.speech)

    def warm_up(self) -> None:
        """Make the answers to a wake before the first one (so "Yes?" starts at once)."""
        channel = self.io.channel
        if isinstance(channel, VoiceChannel):
            channel.seconds(self.talk.line("yes"), self.io.speech)

    def _converse(self) -> Awake:
        session = self._session = Session(self.io, self.settings, exercises=True)
        conversation = session.conversation
        conversation.commands_under_speech = self.io.bus is not None
        name = self.settings.person
        if self.confirm_person is not None and name is not None:
            self.settings = replace(self.settings, person=self.confirm_person(conversation, name))
        flow = HandsFree(
            session,
            relax_groups=self.relax_groups,
            opening="",
            one_activity=True,
            talk=self.session_talk,
            more=self._more(),
        )
        ended_by = flow.run()
        self._keep_speech(conversation)
        if ended_by in ("screen", "relax", "breathe", "reframe"):
            self._say_quietly(self.talk.line("back_to_waiting", phrase=self.home.wake.phrase))
        return Awake(self._mute_s)

    def _more(self) -> dict[str, tuple[Option, Callable[[], None]]]:
        choices = self.talk.choices
        more: dict[str, tuple[Option, Callable[[], None]]] = {
            "louder": (Option("louder", choices["louder"]), lambda: self._step_volume(+1)),
            "quieter": (Option("quieter", choices["quieter"]), lambda: self._step_volume(-1)),
            "stop_listening": (Option("stop_listening", choices["stop_listening"]), self._stop_listening),
            "who_am_i": (Option("who_am_i", choices["who_am_i"]), self._who_am_i),
            "new_person": (Option("new_person", choices["new_person"]), self._new_person),
        }
        for level, word in enumerate(NUMBER_WORDS, start=1):
            option = Option(f"volume_{level}", (f"volume {word}",))
            more[option.id] = (option, lambda level=level: self._set_volume(level))  # type: ignore[misc]
        for name in self._names():
            option = Option(f"this_is_{name}", (f"this is {name}",))
            more[option.id] = (option, lambda name=name: self._this_is(name))  # type: ignore[misc]
        return more

    def _names(self) -> list[str]:
        """The names "this is" can be said with: the device's people, then the names of ``home.toml``."""
        known = [person.name.lower() for person in self._people()]
        return list(
            dict.fromkeys(name for name in (*known, *self.talk.names) if name.replace(" ", "").isalpha())
        )

    def _people(self) -> list[Person]:
        if not self.settings.save:
            return []
        store = RecordStore(self.settings.data_dir)
        try:
            return list(store.people())
        except ConfigError:
            return []
        finally:
            store.close()

    @property
    def conversation(self) -> Conversation:
        assert self._session is not None
        return self._session.conversation

    def _set_volume(self, level: int, key: str = "volume") -> None:
        level = max(1, min(LEVELS, level))
        conversation = self.conversation
        conversation.speech = replace(conversation.speech, volume=level / LEVELS)
        self.settings = replace(self.settings, volume=level / LEVELS)
        self._save()
        conversation.say(self.talk.line(key, level=str(level)))

    def _step_volume(self, step: int) -> None:
        level = volume_level(self.conversation.speech.volume)
        if level + step > LEVELS or level + step < 1:
            self._set_volume(level, "loudest" if step > 0 else "quietest")
        else:
            self._set_volume(level + step, "louder" if step > 0 else "quieter")

    def _say_quietly(self, text: str) -> None:
        """Say ``text`` unless stop is said over it."""
        with contextlib.suppress(StopRequested):
            self.conversation.say(text)

    def _keep_speech(self, conversation: Conversation) -> None:
        """The rate (slower, faster) changed in this conversation stays for the next."""
        self.settings = replace(self.settings, rate_wpm=conversation.speech.rate_wpm)

    def _save(self) -> None:
        if not self.settings.save:
            return
        try:
            save_preferences(self.settings)
        except ConfigError as error:
            print(f"voicecare: {error.one_line()}", file=self.io.notes)

    def _stop_listening(self) -> None:
        conversation = self.conversation
        prompt = Prompt(
            "mute_for",
            self.talk.line("mute_how_long"),
            kind=AnswerKind.CHOICE,
            options=self.talk.mute_minutes,
            reprompt_on_silence=False,
        )
        answer = conversation.ask(prompt)
        if not isinstance(answer, Choice):
            conversation.say(self.talk.line("mute_not_understood"))
            return
        minutes = int(answer.id)
        until = self.now() + timedelta(minutes=minutes)
        conversation.say(self.talk.line("muted", duration=say_duration(minutes), until=f"{until:%H:%M}"))
        self._mute_s = minutes * 60.0

    def _who_am_i(self) -> None:
        name = self.settings.person
        line = (
            self.talk.line("who_am_i_known", name=name.title())
            if name
            else self.talk.line("who_am_i_unknown")
        )
        self.conversation.say(line)

    def _this_is(self, name: str) -> None:
        known = any(person.name.lower() == name for person in self._people())
        self.settings = replace(self.settings, person=name.title())
        key = "this_is" if known or not self.settings.save else "new_person"
        self._named(key)

    def _new_person(self) -> None:
        options = tuple(Option(name, (name,)) for name in self._names())
        prompt = Prompt("name", self.talk.line("name_question"), kind=AnswerKind.CHOICE, options=options)
        answer = self.conversation.ask(prompt)
        if not isinstance(answer, Choice):
            self.conversation.say(self.talk.line("name_not_understood"))
            return
        self._this_is(answer.id)

    def _named(self, key: str) -> None:
        """The person is now ``settings.person``: their records are found (or made) and the line said."""
        assert self._session is not None
        self._session.settings = self.settings
        self._session.load_history()
        self.conversation.say(self.talk.line(key, name=self.settings.person or ""))

    def unmuted(self) -> None:
        """Said when a mute ends (unprompted: not in quiet hours; the loop checks)."""
        if self._session is not None:
            self._say_quietly(self.talk.line("unmuted", phrase=self.home.wake.phrase))
