"""``voicecare home`` as a systemd user service: the unit, installing and removing it, its status, and
readiness told to systemd (``Type=notify``) with the ``NOTIFY_SOCKET`` datagram protocol (sd_notify),
in a few lines rather than a dependency.

On a Raspberry Pi, as the user who will talk to it::

    voicecare home --install
    loginctl enable-linger "$USER"     # keep it running when nobody is logged in
"""

import os
import shlex
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from voicecare.errors import VoicecareError

UNIT_NAME = "voicecare-home.service"


def unit_dir() -> Path:
    """Where systemd looks for the user's units."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def home_command(extra: list[str] | None = None) -> list[str]:
    """The command line the unit runs: this Python running ``voicecare home``."""
    return [sys.executable, "-m", "voicecare", "home", *(extra or [])]


def unit_text(command: list[str], environment: dict[str, str] | None = None) -> str:
    """The unit: started with the user's session, restarted on failure, ready when waiting."""
    lines = [
        "[Unit]",
        "Description=voicecare home: waits for its wake phrase, then talks you through your back pain",
        "After=pipewire-pulse.service pulseaudio.service sound.target",
        "",
        "[Service]",
        "Type=notify",
        "NotifyAccess=main",
        f"ExecStart={shlex.join(command)}",
        "Restart=on-failure",
        "RestartSec=5",
        "RestartPreventExitStatus=2",
    ]
    lines += [f"Environment={shlex.quote(f'{k}={v}')}" for k, v in sorted((environment or {}).items())]
    lines += ["", "[Install]", "WantedBy=default.target", ""]
    return "\n".join(lines)


def _systemctl(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("systemctl") is None:
        raise VoicecareError("systemctl is not installed", "run voicecare home from a terminal instead")
    return subprocess.run(["systemctl", "--user", *args], capture_output=True, text=True, timeout=30)


def install(command: list[str], environment: dict[str, str] | None = None, enable: bool = True) -> Path:
    """Write the unit and (``enable``) enable and start it; the unit's path."""
    path = unit_dir() / UNIT_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(unit_text(command, environment))
    if enable:
        for args in (("daemon-reload",), ("enable", "--now", UNIT_NAME)):
            done = _systemctl(*args)
            if done.returncode != 0:
                raise VoicecareError(
                    f"the unit is written ({path}) but 'systemctl --user {' '.join(args)}' failed: "
                    f"{done.stderr.strip() or done.stdout.strip()}",
                    "check that a systemd user session runs (loginctl enable-linger $USER)",
                )
    return path


def uninstall(disable: bool = True) -> Path:
    """Stop and disable the service and remove its unit; the path it had."""
    path = unit_dir() / UNIT_NAME
    if disable and shutil.which("systemctl") is not None:
        _systemctl("disable", "--now", UNIT_NAME)
    path.unlink(missing_ok=True)
    if disable and shutil.which("systemctl") is not None:
        _systemctl("daemon-reload")
    return path


@dataclass(frozen=True)
class ServiceStatus:
    installed: bool
    active: str
    since: str

    def describe(self) -> str:
        if not self.installed:
            return "voicecare home is not installed as a service (voicecare home --install)"
        if self.active == "active":
            return f"voicecare home is running, since {self.since}"
        return f"voicecare home is installed but not running ({self.active or 'unknown'})"


def status() -> ServiceStatus:
    """Whether the service is installed and running, and since when (systemd's own words)."""
    installed = (unit_dir() / UNIT_NAME).exists()
    if not installed:
        return ServiceStatus(False, "", "")
    try:
        done = _systemctl("show", UNIT_NAME, "--property=ActiveState,ActiveEnterTimestamp")
    except VoicecareError:
        return ServiceStatus(True, "systemctl not available", "")
    values = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    return ServiceStatus(True, values.get("ActiveState", ""), values.get("ActiveEnterTimestamp", ""))


def notify(message: str, environ: dict[str, str] | None = None) -> bool:
    """Send ``message`` (e.g. ``READY=1``) to systemd's ``$NOTIFY_SOCKET``; False when there is none."""
    address = (os.environ if environ is None else environ).get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
        try:
            sock.connect(address)
            sock.sendall(message.encode())
        except OSError:
            return False
    return True
