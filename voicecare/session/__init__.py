"""Building a session from settings, in one place: the channel for the mode chosen, the understanding,
the conversation, the self-harm check and the records, and running a screening, an exercise or the
hands-free menu on it. Every dialogue command and the demo use it; the CLI only parses and runs."""
