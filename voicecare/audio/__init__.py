"""Audio in and out: fixed-size PCM chunks from microphones and files, to speakers and files."""
