"""Tier 4: ``voicecare home`` as a real process on a private PulseAudio server's virtual devices: woken by
a phrase played into the room; PulseAudio stopped and started again under it (the devices gone, then
back): one line on stderr, no busy loop while they are gone, woken again once they are back; a second
``voicecare home`` on the same microphone refused; no microphone at all; and the systemd unit's own
command line run."""

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from voicecare.audio.pcm import SAMPLE_RATE, SAMPLE_WIDTH, silence
from voicecare.home import service
from voicecare.simulation.flite_speech import FliteSpeech
from voicecare.simulation.virtual_audio import PulseServer, start_pulse, stop_pulse
from voicecare.simulation.virtual_room import ROOM_MIC, ROOM_SPEAKER, VirtualRoom, add_room

ROOT = Path(__file__).resolve().parents[2]


def trimmed(pcm: bytes, floor: int = 200) -> bytes:
    from voicecare.audio.compat import audioop

    frame = SAMPLE_RATE // 100 * SAMPLE_WIDTH
    loud = [i for i in range(0, len(pcm) - frame + 1, frame) if audioop.rms(pcm[i : i + frame], 2) > floor]
    return pcm[loud[0] : loud[-1] + frame]


@contextlib.contextmanager
def room_server(folder: Path) -> Iterator[tuple[PulseServer, VirtualRoom]]:
    server = start_pulse(folder)
    try:
        add_room(server)
        server.pactl("set-default-sink", ROOM_SPEAKER)
        server.pactl("set-default-source", ROOM_MIC)
        yield server, VirtualRoom(server, folder=folder)
    finally:
        stop_pulse(server)


class Home:
    """``voicecare home --json`` running; its stdout events and stderr lines gathered as they come."""

    def __init__(self, env: dict[str, str], folder: Path, *flags: str) -> None:
        command = [sys.executable, "-m", "voicecare", "home", "--json", "--no-save", "--timeout", "2"]
        command += ["--config", str(folder / "config.toml"), *flags]
        env = {**env, "PYTHONPATH": str(ROOT), "XDG_RUNTIME_DIR": str(folder)}
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.events: queue.Queue[dict[str, object]] = queue.Queue()
        self.errors: list[str] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        out, err = self.process.stdout, self.process.stderr
        threading.Thread(
            target=lambda: [self.events.put(json.loads(line)) for line in out], daemon=True
        ).start()
        threading.Thread(
            target=lambda: [self.errors.append(line.strip()) for line in err], daemon=True
        ).start()

    def wait_for(self, wanted: str, limit_s: float = 30.0) -> dict[str, object]:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                event = self.events.get(timeout=0.2)
                if event["type"] == wanted:
                    return event
        raise AssertionError(f"no {wanted} event in {limit_s} s; stderr: {self.errors}")

    def wait_for_error(self, part: str, limit_s: float = 30.0) -> str:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            found = [line for line in self.errors if part in line]
            if found:
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"no stderr line with {part!r}; stderr: {self.errors}")

    def cpu_s(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def alexa(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return trimmed(FliteSpeech(tmp_path_factory.mktemp("flite")).pcm("alexa", "rms")) + silence(0.3)


def test_it_wakes_survives_pulseaudio_going_away_and_wakes_again_when_it_is_back(alexa: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="vc-home-") as name:
        folder = Path(name)
        with room_server(folder) as (server, room):
            home = Home(server.env, folder)
            try:
                home.wait_for_error("waiting for 'alexa'")
                time.sleep(1.0)
                room.say(alexa).wait()
                assert home.wait_for("wake")["phrase"] == "alexa"
                home.wait_for("end")
            except BaseException:
                home.stop()
                raise
        try:
            lost = home.wait_for_error("trying again every", limit_s=20)
            assert "microphone" in lost
            before, started = home.cpu_s(), time.monotonic()
            time.sleep(6.0)
            share = (home.cpu_s() - before) / (time.monotonic() - started)
            print(f"CPU while the devices are gone: {share:.2%} of a core")
            assert share < 0.05, f"{share:.1%} of a core while the devices are gone"
            assert len([line for line in home.errors if "trying again" in line]) == 1
            with room_server(folder) as (server, room):
                home.wait_for_error("the microphone is back", limit_s=30)
                time.sleep(1.0)
                room.say(alexa).wait()
                assert home.wait_for("wake")["phrase"] == "alexa"
        finally:
            home.stop()


def test_a_second_home_on_the_same_microphone_is_refused_with_exit_2(alexa: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="vc-home-") as name:
        folder = Path(name)
        with room_server(folder) as (server, _):
            first = Home(server.env, folder)
            try:
                first.wait_for_error("waiting for")
                second = Home(server.env, folder)
                assert second.process.wait(timeout=30) == 2
                time.sleep(0.2)
                lines = [line for line in second.errors if line.startswith("voicecare: another")]
                assert len(lines) == 1 and "already using" in lines[0], second.errors
            finally:
                first.stop()


def test_no_microphone_at_all_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path / 'nothing'}", "PYTHONPATH": str(ROOT)}
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "voicecare", "home", "--no-save", "--config", str(tmp_path / "c.toml")],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    lines = [
        line for line in done.stderr.splitlines() if line.startswith("voicecare: ") and "waiting" not in line
    ]
    assert len(lines) == 1 and ("microphone" in lines[0] or "device" in lines[0]), done.stderr


def test_the_units_command_line_runs_voicecare_home_and_tells_systemd_it_is_ready(alexa: bytes) -> None:
    import socket

    with tempfile.TemporaryDirectory(prefix="vc-home-") as name:
        folder = Path(name)
        command = service.home_command([f"--config={folder / 'config.toml'}", "--no-save"])
        text = service.unit_text(command)
        exec_start = next(line for line in text.splitlines() if line.startswith("ExecStart="))
        import shlex

        argv = shlex.split(exec_start.removeprefix("ExecStart="))
        with (
            room_server(folder) as (server, room),
            socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify,
        ):
            notify.bind(str(folder / "notify"))
            notify.settimeout(60)
            env = {**server.env, "PYTHONPATH": str(ROOT), "NOTIFY_SOCKET": str(folder / "notify")}
            env["XDG_RUNTIME_DIR"] = str(folder)
            process = subprocess.Popen([*argv, "--json"], env=env, stdout=subprocess.PIPE, text=True)
            try:
                message = notify.recv(200).decode()
                assert message.startswith("READY=1")
                time.sleep(1.0)
                room.say(alexa).wait()
                assert process.stdout is not None
                first = json.loads(process.stdout.readline())
                assert first["type"] == "wake"
            finally:
                process.terminate()
                process.wait(timeout=10)
