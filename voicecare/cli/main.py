"""Entry point of the ``voicecare`` command: builds the parser from each command module and runs one."""

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from voicecare.cli import commands
from voicecare.errors import VoicecareError

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"voicecare: {message}. Run '{self.prog} --help' for the options.\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser, one subcommand per module in ``voicecare.cli.commands``."""
    parser = OneLineParser(
        prog="voicecare",
        description="An offline voice assistant for back pain: screening, self-care advice and exercises. "
        "With no command it starts the hands-free session.",
    )
    sub = parser.add_subparsers(dest="command", parser_class=OneLineParser, metavar="COMMAND")
    for module in commands.ALL:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code.

    With no command, or options only (``voicecare --text``), it is the hands-free session.
    """
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (arguments[0].startswith("-") and arguments[0] not in ("-h", "--help")):
        arguments.insert(0, "session")
    args = parser.parse_args(arguments)
    try:
        code: int = args.run(args)
        return code
    except VoicecareError as error:
        print(f"voicecare: {error.one_line()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("voicecare: stopped.", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
