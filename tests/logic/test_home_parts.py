"""The home device's pure parts: the wake phrases, the refractory period, quiet hours, the volume said as
1 to 10, the systemd unit and readiness (a real unix datagram socket), one instance per microphone, and
the state machine's transitions."""

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

import pytest

from voicecare.dialogue.event_sinks import RecordingSink
from voicecare.dialogue.events import WakeEvent, to_json
from voicecare.errors import AudioDeviceError, ConfigError
from voicecare.home import service
from voicecare.home.instance import hold_device
from voicecare.home.loop import Awake, HomeLoop, HomeState
from voicecare.home.settings import QuietHours, load_home_settings, parse_quiet_hours
from voicecare.home.woken import load_home_talk, say_duration, volume_level
from voicecare.recognition.wake import (
    Detection,
    Refractory,
    load_wake_catalogue,
    phrase_names,
    wake_phrase_for,
)
from voicecare.settings import load_settings, save_preferences


def test_the_default_phrase_comes_first_and_every_phrase_is_listed_once() -> None:
    catalogue = load_wake_catalogue()
    names = list(phrase_names())
    assert names[0] == catalogue.default.phrase == "alexa"
    assert len(names) == len(set(names))
    assert {"alexa", "hey jarvis", "hey mycroft", "okay nabu", "hey voice care"} == set(names)


def test_a_phrase_is_found_however_it_is_written_and_an_unknown_one_is_a_custom_keyphrase() -> None:
    assert wake_phrase_for("Hey_Jarvis").model == "hey_jarvis"
    custom = wake_phrase_for("hello there computer")
    assert (custom.engine, custom.phrase) == ("keyphrase", "hello there computer")
    with pytest.raises(ConfigError, match="unknown wake phrase"):
        wake_phrase_for("hey 9000!")


def test_a_missing_or_broken_wake_model_is_one_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no wake model"):
        wake_phrase_for(None, str(tmp_path / "absent.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{}")
    with pytest.raises(ConfigError, match="not a microWakeWord model"):
        wake_phrase_for(None, str(broken))


def test_the_config_names_the_phrase_and_quiet_hours_and_the_other_settings_ignore_them(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('wake_phrase = "hey mycroft"\nquiet_hours = "22:00-07:00"\nrate_wpm = 150\n')
    home = load_home_settings(config, environ={})
    assert home.wake.phrase == "hey mycroft"
    assert home.quiet_hours == QuietHours(time(22, 0), time(7, 0))
    settings = load_settings(config, environ={})
    assert settings.rate_wpm == 150
    save_preferences(settings)
    assert 'wake_phrase = "hey mycroft"' in config.read_text()
    assert (
        load_home_settings(config, environ={}, overrides={"wake_phrase": "okay nabu"}).wake.phrase
        == "okay nabu"
    )


def test_an_unknown_wake_phrase_in_the_config_names_the_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('wake_phrase = "hey ###"\n')
    with pytest.raises(ConfigError, match=str(config)):
        load_home_settings(config, environ={})


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("22:00-07:00", [time(23, 30), time(0, 0), time(6, 59)], [time(7, 0), time(12, 0), time(21, 59)]),
        ("13:00-14:30", [time(13, 0), time(14, 29)], [time(12, 59), time(14, 30)]),
    ],
)
def test_quiet_hours_span_midnight_or_not(text: str, inside: list[time], outside: list[time]) -> None:
    quiet = parse_quiet_hours(text, "test")
    assert quiet is not None and str(quiet) == text
    assert all(moment in quiet for moment in inside)
    assert not any(moment in quiet for moment in outside)


@pytest.mark.parametrize("bad", ["22-07", "25:00-07:00", "22:00", "ten to six"])
def test_bad_quiet_hours_are_one_config_error_with_the_form(bad: str) -> None:
    with pytest.raises(ConfigError, match="22:00-07:00"):
        parse_quiet_hours(bad, "the command line")


@dataclass
class FiringDetector:
    """Fires on every chunk listed in ``fire_on`` (a real detector fires on many frames of one phrase)."""

    fire_on: set[int]
    seen: int = 0
    resets: int = 0

    @property
    def phrase(self) -> str:
        return "alexa"

    def feed(self, chunk: bytes) -> Detection | None:
        self.seen += 1
        return Detection("alexa", self.seen * 0.1, 0.9) if self.seen in self.fire_on else None

    def reset(self) -> None:
        self.resets += 1

    def close(self) -> None:
        return None


def test_a_detection_is_acted_on_once_within_the_refractory_period() -> None:
    detector = Refractory(FiringDetector({3, 4, 5, 6, 20, 21, 50}), refractory_s=2.0)
    fired = [i + 1 for i in range(60) if detector.feed(bytes(3200)) is not None]
    assert fired == [3, 50]


def test_the_volume_is_said_as_one_to_ten_and_a_mute_as_minutes_or_hours() -> None:
    assert [volume_level(v) for v in (0.0, 0.05, 0.3, 0.55, 1.0)] == [1, 1, 3, 6, 10]
    assert [say_duration(m) for m in (10, 30, 60, 120)] == ["10 minutes", "30 minutes", "one hour", "2 hours"]


def test_the_home_wording_loads_with_names_and_mute_choices() -> None:
    talk = load_home_talk()
    assert talk.line("yes") == "Yes?"
    assert "sam" in talk.names
    assert [o.id for o in talk.mute_minutes] == ["10", "30", "60", "120", "480"]


def test_the_wake_event_is_one_json_line_with_type_first() -> None:
    assert to_json(WakeEvent(12.3, "alexa")) == '{"type": "wake", "t": 12.3, "phrase": "alexa"}'


def test_the_unit_restarts_on_failure_notifies_readiness_and_runs_voicecare_home() -> None:
    text = service.unit_text(["/usr/bin/python3", "-m", "voicecare", "home", "--wake-phrase=hey jarvis"])
    assert "Type=notify" in text and "Restart=on-failure" in text and "WantedBy=default.target" in text
    assert "ExecStart=/usr/bin/python3 -m voicecare home '--wake-phrase=hey jarvis'" in text
    assert "RestartPreventExitStatus=2" in text


def test_readiness_is_one_datagram_on_the_notify_socket(tmp_path: Path) -> None:
    address = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(address)
        assert service.notify("READY=1", {"NOTIFY_SOCKET": address})
        assert listener.recv(100) == b"READY=1"
    assert not service.notify("READY=1", {})


def test_a_second_instance_on_the_same_microphone_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    first = hold_device("pulse")
    try:
        with pytest.raises(AudioDeviceError, match=f"pid {os.getpid()}"):
            hold_device("pulse")
        hold_device("another").close()
    finally:
        first.close()
    hold_device("pulse").close()


@dataclass
class ScriptedWaiter:
    """Wakes at the listed session times, then the input ends."""

    wakes: list[float]
    t_s: float = 0.0
    rested: list[float] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return not self.wakes

    def wake(self, until_s: float | None = None) -> Detection | None:
        if not self.wakes:
            return None
        self.t_s = self.wakes.pop(0)
        return Detection("alexa", self.t_s, 1.0)

    def rest(self, seconds: float) -> None:
        self.rested.append(seconds)
        self.t_s += seconds


def test_the_loop_waits_wakes_mutes_and_says_nothing_unprompted_in_quiet_hours() -> None:
    waiter = ScriptedWaiter([5.0, 100.0, 4000.0, 9000.0])
    endings = iter([Awake(), Awake(mute_s=600.0), Awake(mute_s=600.0), Awake()])
    states: list[str] = []
    unmuted: list[float] = []
    events = RecordingSink()

    def woken(found: Detection | None) -> Awake:
        states.append(loop.state)
        return next(endings)

    loop = HomeLoop(
        waiter, woken, events, unmuted=lambda: unmuted.append(waiter.t_s), quiet=lambda t: t > 4000
    )
    loop.run()
    assert states == [HomeState.AWAKE] * 4
    assert loop.state is HomeState.ENDED
    assert waiter.rested == [600.0, 600.0]
    assert unmuted == [700.0]
    assert [e.t for e in events.events if isinstance(e, WakeEvent)] == [5.0, 100.0, 4000.0, 9000.0]


def test_a_microphone_that_goes_away_is_one_line_and_is_tried_again_without_a_busy_loop() -> None:
    import io

    from voicecare.audio.bus import AudioBus
    from voicecare.home.room import NullSink
    from voicecare.home.waiting import RETRY_S, AudioWaiter

    def dead() -> Iterator[bytes]:
        yield bytes(3200)
        raise AudioDeviceError("the microphone sent no audio for 5 s", "check it is still connected")

    opened: list[int] = []

    def reopen() -> Iterator[bytes]:
        opened.append(1)
        if len(opened) < 4:
            raise AudioDeviceError("cannot open the default microphone", "check it")
        return iter([bytes(3200)] * 30 + [b"\x01" * 3200])

    slept: list[float] = []
    notes = io.StringIO()
    bus = AudioBus(NullSink(), dead(), live_input=True)
    detector = FiringDetector({32})
    waiter = AudioWaiter(bus, detector, reopen=reopen, notes=notes, sleep=slept.append)
    found = waiter.wake()
    assert found is not None
    lines = notes.getvalue().splitlines()
    assert lines == [
        "voicecare: the microphone sent no audio for 5 s; trying again every 2 s until it is back",
        "voicecare: the microphone is back; waiting for the wake phrase",
    ]
    assert slept == [RETRY_S] * 3


def test_a_muted_microphone_is_closed_for_the_time_chosen_and_opened_again() -> None:
    from voicecare.audio.bus import AudioBus
    from voicecare.home.room import NullSink
    from voicecare.home.waiting import AudioWaiter

    events: list[str] = []
    slept: list[float] = []
    bus = AudioBus(NullSink(), iter([bytes(3200)] * 5), live_input=True)
    waiter = AudioWaiter(
        bus,
        FiringDetector(set()),
        reopen=lambda: events.append("open") or iter([bytes(3200)] * 5),  # type: ignore[func-returns-value]
        close_input=lambda: events.append("close"),  # type: ignore[func-returns-value]
        sleep=slept.append,
    )
    waiter.rest(150.0)
    assert events == ["close", "open"]
    assert slept == [60.0, 60.0, 30.0]
    assert bus.t_s == pytest.approx(150.0)
