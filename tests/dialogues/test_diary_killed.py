"""Tier 2: a process killed at any moment while writing the diary loses no entry it had already confirmed.

A writer process keeps adding ratings, weekly answers and check-ins, printing "saved N" after each write
returns (the moment voicecare would tell the person it is saved); it is killed outright (SIGKILL) at a
random moment, many times over one store. Every entry it confirmed must be in the store, the store must
pass SQLite's integrity check, and it must open and take more entries. The same is checked once through the
real ``voicecare diary --json`` command, killed right after its "Saved" line.
"""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from voicecare.records import Rating, RecordStore

KILLS = 30
WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date, timedelta
    from pathlib import Path
    from voicecare.records import CHANGE_ANSWERS, CheckinRecord, RecordStore
    store = RecordStore(Path(sys.argv[1]))
    person = store.person("Ann", date(2026, 1, 1))
    first = int(sys.argv[2])
    print("ready", flush=True)
    for n in range(first, first + 100000):
        day = date(2026, 1, 1) + timedelta(days=n)
        store.add_rating(person, day, "back_pain", n % 11)
        if n % 7 == 0:
            store.add_change(person, day, CHANGE_ANSWERS[n % 5])
        if n % 13 == 0:
            store.add_checkin(person, CheckinRecord(date(2026, 1, 1), 2, day, "tomorrow"))
        print(f"saved {n}", flush=True)
    """
)


def run_and_kill(data: Path, first: int, after_s: float) -> list[int]:
    """Start a writer numbering its entries from ``first``, kill it ``after_s`` seconds after it is ready;
    the entries it confirmed."""
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data), str(first)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    confirmed: list[int] = []

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("saved "):
                confirmed.append(int(line.split()[1]))

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(after_s)
    child.send_signal(signal.SIGKILL)
    child.wait()
    reader.join(timeout=10)
    return list(confirmed)


def test_a_writer_killed_at_random_moments_loses_no_confirmed_entry(tmp_path: Path) -> None:
    chance = random.Random(14)
    first = 0
    expected: dict[date, int] = {}
    for _ in range(KILLS):
        confirmed = run_and_kill(tmp_path, first, chance.uniform(0.0, 0.4))
        expected.update({date(2026, 1, 1) + timedelta(days=n): n % 11 for n in confirmed})
        store = RecordStore(tmp_path)
        try:
            store.check()
            ann = store.find_person("Ann")
            kept = {r.on: r.rating for r in store.ratings(ann)}
            missing = [day for day, rating in expected.items() if kept.get(day) != rating]
            assert not missing, f"confirmed entries lost: {missing[:5]}"
            changes = {c.on for c in store.changes(ann)}
            assert {d for d in expected if (d - date(2026, 1, 1)).days % 7 == 0} <= changes
        finally:
            store.close()
        first = max(confirmed, default=first) + 2
    assert len(expected) > KILLS, "the writers confirmed entries before they were killed"


def test_voicecare_diary_killed_after_saying_saved_keeps_the_entry(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\n')
    command = [sys.executable, "-m", "voicecare", "diary", "--text", "--json", "--config", str(config)]
    child = subprocess.Popen(
        [*command, "--person", "Ann", "--date", "2026-03-01"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write("7\nyes\n")
    child.stdin.flush()
    for line in child.stdout:
        event = json.loads(line)
        if event["type"] == "say" and event["text"].startswith("Saved:"):
            child.send_signal(signal.SIGKILL)
            break
    else:
        raise AssertionError("voicecare diary never said Saved")
    child.wait()
    assert child.returncode == -signal.SIGKILL
    store = RecordStore(tmp_path / "data")
    store.check()
    assert store.ratings(store.find_person("Ann")) == [Rating(date(2026, 3, 1), "back_pain", 7)]
