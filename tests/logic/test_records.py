"""Tier 1: session records are owner-only, whole or marked incomplete, and never half-written."""

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from voicecare.errors import ConfigError
from voicecare.records import RecordStore
from voicecare.screening.findings import Tier


def test_a_finished_session_is_kept_whole_with_owner_only_permissions(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = RecordStore(data_dir)
    session = store.start("screening")
    session.answer("cancer_history", "cancer_history", "no")
    session.answer("age", "age", "52")
    session.finish(Tier.SOON, ["age"], [])
    [stored] = RecordStore(data_dir).sessions()
    assert (stored.status, stored.disposition, stored.reasons) == ("complete", "soon", ["age"])
    assert stored.answers == [("cancer_history", "cancer_history", "no"), ("age", "age", "52")]
    assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600


def test_a_killed_session_is_marked_incomplete_when_the_store_is_next_opened(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from voicecare.records import RecordStore
        session = RecordStore(Path({str(tmp_path)!r})).start("screening")
        session.answer("cancer_history", "cancer_history", "yes")
        print("ready", flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGKILL)
    child.wait()
    [stored] = RecordStore(tmp_path).sessions()
    assert stored.status == "incomplete"
    assert stored.disposition is None
    assert stored.answers == [("cancer_history", "cancer_history", "yes")]


def test_an_abandoned_session_is_marked_incomplete_at_once(tmp_path: Path) -> None:
    store = RecordStore(tmp_path)
    store.start("screening").abandon()
    assert [s.status for s in store.sessions()] == ["incomplete"]


def test_an_unusable_data_directory_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(ConfigError, match="records file"):
        RecordStore(blocker / "data")


def test_a_data_folder_that_already_exists_keeps_its_permissions(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    store = RecordStore(shared)
    store.start("screening").finish(Tier.SELF_CARE, [], [])
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o755
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
