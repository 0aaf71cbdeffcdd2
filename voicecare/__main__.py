"""Lets ``python -m voicecare`` run the command line."""

from voicecare.cli.main import main

raise SystemExit(main())
