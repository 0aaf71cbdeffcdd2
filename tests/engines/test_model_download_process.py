"""Tier 3: Ctrl-C (SIGINT) in a real ``voicecare models download`` process, mid-transfer, exits 130 and
leaves nothing in the models folder. The server and helpers are those of tests/logic/test_model_download.py,
where every other download case runs in-process."""

import hashlib
import signal
import subprocess
import sys
from pathlib import Path

from tests.logic import test_model_download as downloads
from tests.logic.test_model_download import GOOD_ZIP, Server, leftovers, write_manifest

server = downloads.server
"""The test HTTP server fixture, shared with the in-process download tests."""


def test_ctrl_c_in_a_real_download_process_exits_130_and_leaves_nothing(
    server: Server, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    manifest = write_manifest(tmp_path / "manifest.toml", hashlib.sha256(GOOD_ZIP).hexdigest())
    command = [
        sys.executable,
        "-m",
        "voicecare",
        "models",
        "download",
        "fake",
        "--url",
        f"{server.url}/stall.zip",
        "--dest",
        str(models),
        "--manifest",
        str(manifest),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stderr or []:
            if "%" in line:
                break
        assert any(name.endswith(".zip.part") for name in leftovers(models))
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "stopped" in err
    assert leftovers(models) == []
