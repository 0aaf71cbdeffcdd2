"""How sure a recogniser must be before an answer is believed: doubt is never resolved towards "no".

A recogniser's confidence (0 to 1, ``Heard.confidence``) is weighed against what believing a wrong answer
would cost. A wrong "no" clears a warning sign, and a wrong command changes the session (stops it,
pauses it, changes the speech rate), so both need ``SURE_CONFIDENCE``. Any other accepted answer counts:
a yes to a warning sign is read back, a number is read back, a doubt counts as possible, and a repeat or
help only says something again.
"""

from voicecare.recognition.ports import SURE_CONFIDENCE
from voicecare.understanding.answers import UNCLEAR, Answer, Command, CommandName, No

HARMLESS_COMMANDS = frozenset({CommandName.HELP, CommandName.REPEAT, CommandName.TIME_LEFT})
"""Commands that only say something again, believed as soon as they are accepted."""


def needs_sure(answer: Answer) -> bool:
    """True when believing ``answer`` wrongly would end doubt or change the session."""
    if isinstance(answer, No):
        return True
    return isinstance(answer, Command) and answer.name not in HARMLESS_COMMANDS


def believed(answer: Answer, confidence: float) -> Answer:
    """``answer``, or ``UNCLEAR`` (ask again) when it needs a sure hearing and ``confidence`` is below
    ``SURE_CONFIDENCE``."""
    return UNCLEAR if needs_sure(answer) and confidence < SURE_CONFIDENCE else answer
