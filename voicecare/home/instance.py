"""One ``voicecare home`` per microphone: a lock file held while it runs (released by the kernel when the
process ends, however it ends)."""

import fcntl
import os
import re
import tempfile
from pathlib import Path
from typing import IO

from voicecare.errors import AudioDeviceError


def lock_path(device: str | None) -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", device or "default")
    return Path(runtime) / f"voicecare-home-{name}.lock"


def hold_device(device: str | None) -> IO[str]:
    """Take the device's lock; AudioDeviceError naming the other process when it is taken. Keep the
    returned file open while running."""
    path = lock_path(device)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        other = handle.read().strip() or "?"
        handle.close()
        raise AudioDeviceError(
            f"another voicecare home (pid {other}) is already using the {device or 'default'} microphone",
            "stop it first (voicecare home --status), or give this one --input-device",
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
