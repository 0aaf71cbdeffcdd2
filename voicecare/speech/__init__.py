"""Speech synthesis behind one interface, producing PCM chunks for a speaker or a WAV file."""
