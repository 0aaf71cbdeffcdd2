"""Shared set-up for the understanding tests: the package vocabulary, self-harm triggers from safety.toml."""

from functools import cache

from voicecare.understanding.vocabulary import Vocabulary, load_vocabulary

SELF_HARM_EXAMPLES = ["hurt myself", "end it", "kill myself", "no point going on"]
"""The examples docs/clinical.md, 'Self-harm check', names; safety.toml's triggers must catch every one."""


@cache
def vocabulary() -> Vocabulary:
    """The package vocabulary, loaded once for the test session."""
    return load_vocabulary()
