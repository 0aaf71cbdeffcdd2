"""Real-time narration: speech and silences on a session clock, listening for commands throughout."""
