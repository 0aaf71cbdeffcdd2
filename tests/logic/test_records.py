"""Tier 1: session records are owner-only, whole or marked incomplete, and never half-written.

A session whose process is killed is proven in a real process in tests/dialogues/test_records_killed.py."""

import os
import stat
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
