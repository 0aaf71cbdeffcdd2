#!/usr/bin/env python3
"""Diary benchmark: a year of daily entries for 4 people in one records store, then the figures a person
meets: how long a trend takes to say (the query and the computation), how long each report format takes
to make and how large it is, and how large the store grows.

Run from the project root: ``.venv/bin/python scripts/bench_diary.py [--days N] [--people N] [--repeat N]``.
Prints a table (``--json`` for JSON). Everything goes through the real ``RecordStore`` (each entry its own
committed transaction, as in use) in a temporary folder.

Each person has a screening with a STarT Back questionnaire every 12 weeks (the first-visit answers of a
healthy adult), a back pain rating every day and a leg pain rating on most days (two of the four), a
weekly better-or-worse answer, the check-ins at 2, 4, 6 and 12 weeks, and an exercise about every third
day.

Targets: a trend in under 50 ms; any report in under 2 s; the store under 5 MB.
"""

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from voicecare.diary.fhir import bundle, check_bundle
from voicecare.diary.render import as_html, as_text
from voicecare.diary.report import gather, report_tables
from voicecare.diary.trend import trend
from voicecare.diary.wording import load_diary_wording
from voicecare.records import CHANGE_ANSWERS, DATABASE_NAME, CheckinRecord, RecordStore
from voicecare.screening.content_files import load_screening_content
from voicecare.screening.findings import Tier

START = date(2025, 1, 6)
STARTBACK = ["disagree"] * 8 + ["slightly"]


def lay_down(store: RecordStore, name: str, days: int, legs: bool, chance: random.Random) -> None:
    person = store.person(name, START)
    questions = load_screening_content("uk").screening.asking_order()
    for day in range(days):
        on = START + timedelta(days=day)
        if day % 84 == 0:
            screening = store.start("screening", person, on)
            for question in questions:
                screening.answer(question, question.split(".")[0], "45" if question == "age" else "no")
            screening.finish(Tier.SELF_CARE, [], [])
            for number, answer in enumerate(STARTBACK, start=1):
                screening.answer(f"startback.{number}", "startback", answer)
        pain = max(0, min(10, round(6 - 4 * day / days + chance.gauss(0, 1.2))))
        store.add_rating(person, on, "back_pain", pain)
        if legs and chance.random() < 0.8:
            store.add_rating(person, on, "leg_pain", max(0, pain - 2))
        if day % 7 == 6:
            store.add_change(person, on, CHANGE_ANSWERS[chance.randrange(5)])
        if day % 84 in (14, 28, 42, 84 - 1):
            week = {14: 2, 28: 4, 42: 6}.get(day % 84, 12)
            store.add_checkin(person, CheckinRecord(on - timedelta(days=day % 84), week, on, "done"))
        if day % 3 == 0:
            run = store.start_exercise("breathing", None, 5, person, on)
            run.finish_exercise("finished", 300.0)


def timed(repeat: int, action: "object") -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--people", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    chance = random.Random(14)
    wording = load_diary_wording()
    content = load_screening_content("uk")
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        store = RecordStore(data)
        started = time.perf_counter()
        for index in range(args.people):
            lay_down(store, f"Person {index + 1}", args.days, legs=index % 2 == 0, chance=chance)
        laying_s = time.perf_counter() - started
        today = START + timedelta(days=args.days - 1)
        person = store.find_person("Person 1")
        ratings_n = len(store.ratings(person))
        trend_s, _ = timed(args.repeat, lambda: trend(store.ratings(person), today))
        gather_s, report = timed(args.repeat, lambda: gather(store, person, today))
        figures: dict[str, object] = {
            "people": args.people,
            "days": args.days,
            "ratings_person_1": ratings_n,
            "lay_down_s": round(laying_s, 2),
            "trend_ms": round(trend_s * 1000, 2),
            "gather_ms": round(gather_s * 1000, 1),
        }

        def make(kind: str) -> str:
            made = gather(store, person, today)
            if kind == "fhir":
                resource = bundle(made, content.screening)
                assert check_bundle(resource, today) == []
                return json.dumps(resource, indent=2)
            tables = report_tables(made, wording, content.screening, content.startback.notice)
            return as_html(made, tables, wording) if kind == "html" else as_text(made, tables, wording)

        for kind in ("html", "text", "fhir"):
            seconds, text = timed(args.repeat, lambda kind=kind: make(kind))
            assert isinstance(text, str)
            figures[f"report_{kind}_ms"] = round(seconds * 1000, 1)
            figures[f"report_{kind}_kb"] = round(len(text.encode()) / 1024, 1)
        store.close()
        figures["store_kb"] = round((data / DATABASE_NAME).stat().st_size / 1024, 1)
        assert report is not None
    if args.json:
        print(json.dumps(figures))
    else:
        width = max(len(key) for key in figures)
        for key, value in figures.items():
            print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
