"""``voicecare demo``: a whole session with a simulated person speaking through the real recogniser."""
