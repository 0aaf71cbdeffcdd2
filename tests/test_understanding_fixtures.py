"""Shared set-up for the understanding tests: the vocabulary, with self-harm phrases from safety.toml.

Until content/safety.toml exists (another engineer writes it), a test-only list of the phrases named in
the clinical notes stands in.
"""

from functools import cache

from voicecare.understanding.vocabulary import CONTENT_DIR, Vocabulary, load_vocabulary

RED_FLAGS_SELF_HARM = ["hurt myself", "end it", "kill myself", "no point going on"]
"""The examples named by shared/clinical/RED_FLAGS.md; any trigger list must catch these."""


@cache
def vocabulary() -> Vocabulary:
    """The package vocabulary; the RED_FLAGS examples stand in for safety.toml while it is missing."""
    if (CONTENT_DIR / "safety.toml").exists():
        return load_vocabulary()
    return load_vocabulary(self_harm=RED_FLAGS_SELF_HARM)
