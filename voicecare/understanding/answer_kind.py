"""``AnswerKind``: what kind of answer a question takes, the one vocabulary of prompts, events, grammars
and parsing (content files name the kinds by their values, e.g. ``kind = "yes_no"``)."""

from enum import Enum


class AnswerKind(Enum):
    """How the replies to a question are understood.

    ``NUMBER``: a whole number, an age in years unless the turn gives a range. ``DURATION``: a length of
    time in weeks ("six weeks", "about three months"); asked as a question of how many weeks, a bare
    number ("six") counts as weeks too (see ``TurnUnderstanding``). ``CHOICE``: one of the turn's options.
    ``FREE``: open speech, ended by "done".
    """

    YES_NO = "yes_no"
    NUMBER = "number"
    DURATION = "duration"
    CHOICE = "choice"
    FREE = "free"
