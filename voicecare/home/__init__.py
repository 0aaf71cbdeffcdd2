"""``voicecare home``: an always-on device that waits for its wake phrase, then runs the hands-free session.

Above the session layer: ``settings`` (the home's own keys of the config file), ``waiting`` (hearing the
wake phrase on the audio bus, or a typed one), ``loop`` (the named state machine: waiting, awake, muted),
``woken`` (what happens once woken: the earcon, "Yes?", the menu with the device's settings by voice and
the people of the device), ``service`` (the systemd user unit and readiness) and ``instance`` (one
``voicecare home`` per device).
"""
