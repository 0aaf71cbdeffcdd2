"""``voicecare report``: one person's records as a report for their doctor or physiotherapist: an
accessible HTML page, plain text (for a screen reader or printing), or a FHIR R4 Bundle (JSON). Written to
``--out`` (owner-only) or stdout; nothing leaves the machine unless the person sends the file."""

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from voicecare.diary.fhir import bundle, check_bundle
from voicecare.diary.render import as_html, as_text
from voicecare.diary.report import gather, report_tables
from voicecare.diary.wording import load_diary_wording
from voicecare.errors import ConfigError
from voicecare.records import RecordStore
from voicecare.screening.content_files import load_screening_content
from voicecare.settings import Settings, load_settings

FORMATS = ("html", "text", "fhir")


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser(
        "report",
        help="a summary of your records for your doctor or physiotherapist",
        description="Screening outcomes and their reasons, STarT Back results, weekly pain, better-or-worse "
        "answers, exercise sessions and check-ins, as HTML, text or a FHIR R4 Bundle.",
    )
    add_record_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="html", help="html (default), text or fhir")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="only records from this day on")
    parser.add_argument("--out", type=Path, metavar="PATH", help="write here (owner-only) instead of stdout")
    parser.set_defaults(run=run)


def add_record_arguments(parser: argparse.ArgumentParser) -> None:
    """``--person``, ``--date`` and ``--config``, as on the dialogue commands."""
    parser.add_argument(
        "--person", metavar="NAME", help="whose records (also VOICECARE_PERSON); none: unnamed"
    )
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="the day that stands for today")
    parser.add_argument("--config", type=Path, metavar="PATH", help="config file (where records are)")


def record_settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config, overrides={"person": args.person, "today": args.date})


def since_day(text: str | None, today: date) -> date | None:
    """``--since`` as a day; ConfigError when it cannot be read or lies after today."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text.strip()) if len(text.strip()) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ConfigError(f"--since '{text}' is not a day of the calendar", "give it as YYYY-MM-DD")
    if day > today:
        raise ConfigError(
            f"--since {day.isoformat()} is after today ({today.isoformat()})", "give a day in the past"
        )
    return day


def run(args: argparse.Namespace) -> int:
    settings = record_settings(args)
    since = since_day(args.since, settings.today)
    if not (settings.data_dir / "records.sqlite3").exists():
        print(f"voicecare: there are no records yet in {settings.data_dir}.", file=sys.stderr)
        return 0
    store = RecordStore(settings.data_dir)
    try:
        store.check()
        person = None if settings.person is None else store.find_person(settings.person)
        if settings.person is not None and person is None:
            print(f"voicecare: there are no records for {settings.person}.", file=sys.stderr)
            return 0
        report = gather(store, person, settings.today, since)
    finally:
        store.close()
    if report.empty:
        who = settings.person or "the unnamed person"
        print(f"voicecare: there are no records for {who}.", file=sys.stderr)
        return 0
    wording = load_diary_wording()
    content = load_screening_content(settings.region, settings.content_dir)
    if args.format == "fhir":
        resource = bundle(report, content.screening)
        problems = check_bundle(resource, settings.today)
        if problems:
            raise ConfigError(f"the FHIR bundle made is not right ({problems[0]})", "report this as a bug")
        text = json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
    else:
        tables = report_tables(report, wording, content.screening, content.startback.notice)
        text = as_html(report, tables, wording) if args.format == "html" else as_text(report, tables, wording)
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_private(args.out, text)
    return 0


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (0600), replacing it whole."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as error:
        raise ConfigError(
            f"cannot write {path} ({error.strerror or error})", "give --out a path you can write to"
        ) from None
