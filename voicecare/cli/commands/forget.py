"""``voicecare forget``: delete everything kept about one person (``--person``; without it, every record
kept with no name): screenings, answers, pain diary, exercises and check-ins, and the name. Asks first on
a terminal; ``--yes`` for scripts."""

import argparse
import sys
from typing import Any

from voicecare.cli.commands.report import add_record_arguments, record_settings
from voicecare.errors import ConfigError
from voicecare.records import RecordStore


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser(
        "forget",
        help="delete everything voicecare keeps about a person",
        description="Deletes one person's records for good (by voice: say forget everything about me).",
    )
    add_record_arguments(parser)
    parser.add_argument("--yes", action="store_true", help="do not ask first (for scripts)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = record_settings(args)
    who = settings.person or "the records kept with no name"
    if not (settings.data_dir / "records.sqlite3").exists():
        print(f"voicecare: there are no records in {settings.data_dir}; nothing to forget.", file=sys.stderr)
        return 0
    store = RecordStore(settings.data_dir)
    try:
        store.check()
        person = None if settings.person is None else store.find_person(settings.person)
        if settings.person is not None and person is None:
            print(
                f"voicecare: there are no records for {settings.person}; nothing to forget.", file=sys.stderr
            )
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                raise ConfigError(
                    f"voicecare forget would delete everything about {who}", "add --yes to do it"
                )
            reply = input(f"Delete everything voicecare keeps about {who}? It cannot be undone. Type yes: ")
            if reply.strip().lower() != "yes":
                print("voicecare: nothing deleted.", file=sys.stderr)
                return 0
        deleted = store.forget(person)
    finally:
        store.close()
    print(f"voicecare: deleted everything kept about {who} ({deleted} records).", file=sys.stderr)
    return 0
