"""How the dialogue reaches the person: typed text, or speech over a microphone or WAV tapes."""
