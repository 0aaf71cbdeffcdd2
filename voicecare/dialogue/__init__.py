"""The dialogue: one conversation, run the same way over a microphone, a WAV tape or typed text."""
