"""``voicecare home``: an always-on device that waits for its wake phrase, then runs the hands-free
session; also installs itself as a systemd user service."""

import argparse
import sys
from typing import Any

from voicecare.cli.session_arguments import add_session_arguments, mode_from, settings_from
from voicecare.exercises.script import GROUP_COUNTS
from voicecare.home import service
from voicecare.home.run import HomeOptions, run_home
from voicecare.home.settings import load_home_settings
from voicecare.recognition.wake import phrase_names


def register(sub: "argparse._SubParsersAction[Any]") -> None:
    parser = sub.add_parser(
        "home",
        help="a device at home: waits for its wake phrase, then the hands-free session",
        description="Waits quietly for the wake phrase; then an earcon, 'Yes?', and the spoken menu. Back to "
        "waiting after goodbye, a finished activity, or 8 s without an answer. With --text, type the wake "
        "phrase; --audio-in LONG.wav stands for the room.",
    )
    home = parser.add_argument_group("home")
    home.add_argument("--wake-phrase", metavar="PHRASE", help="the phrase to wake on (see --list-phrases)")
    home.add_argument("--wake-model", metavar="JSON", help="a microWakeWord model's .json file")
    home.add_argument("--list-phrases", action="store_true", help="print the wake phrases, the default first")
    home.add_argument("--no-wake", action="store_true", help="start a conversation at once")
    home.add_argument("--quiet-hours", metavar="HH:MM-HH:MM", help="nothing said unprompted in them")
    home.add_argument("--max-wakes", type=int, metavar="N", help="stop after N conversations")
    home.add_argument("--install", action="store_true", help="install and start the systemd user service")
    home.add_argument("--uninstall", action="store_true", help="stop and remove the systemd user service")
    home.add_argument("--status", action="store_true", help="say whether the service runs, and since when")
    parser.add_argument(
        "--groups", type=int, choices=GROUP_COUNTS, default=16, help="relaxation muscle groups"
    )
    add_session_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.list_phrases:
        print("\n".join(phrase_names()))
        return 0
    if args.status:
        print(service.status().describe())
        return 0
    if args.uninstall:
        print(f"removed {service.uninstall()}")
        return 0
    settings = settings_from(args)
    home = load_home_settings(
        settings.config_path,
        overrides={
            "wake_phrase": args.wake_phrase,
            "wake_model": args.wake_model,
            "quiet_hours": args.quiet_hours,
        },
    )
    if args.install:
        extra = [f"--wake-phrase={home.wake.phrase}"]
        if args.config is not None:
            extra.append(f"--config={args.config.resolve()}")
        path = service.install(service.home_command(extra))
        print(f"installed {path}; {service.status().describe()}")
        return 0
    options = HomeOptions(no_wake=args.no_wake, max_wakes=args.max_wakes, relax_groups=args.groups)
    print(f"voicecare: waiting for '{home.wake.phrase}'", file=sys.stderr)
    run_home(mode_from(args), settings, home, options)
    return 0
