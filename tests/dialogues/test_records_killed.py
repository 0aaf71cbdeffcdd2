"""Tier 2: a session record whose process is killed outright (no code of it runs on) is found incomplete.

Only a real process can be killed this way, so this test starts one; the rest of the records are proven
in-process in tests/logic/test_records.py."""

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from voicecare.records import RecordStore


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
