"""Cutting text into short pieces a synthesiser speaks one at a time, so the first audio comes early.

Text is cut into sentences; a sentence longer than ``max_chars`` is cut again at clause punctuation
(commas, semicolons, colons, dashes) and, as a last resort, between words. Pieces keep their
punctuation, so the synthesiser still pauses and intones as it would for the whole text.
"""

import re

MAX_PIECE_CHARS = 120
"""Default longest piece, in characters: well under the ~200 characters where pyttsx3 files go wrong."""

ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "e.g", "i.e", "etc", "vs", "approx", "no", "fig", "min", "max"}
)
"""Lower-case words (without their final dot) after which a full stop does not end a sentence."""

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n\s*\n|\s*\n\s*(?=[-*•])")
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+|\s+(?=[-\u2013\u2014]\s)")


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _ends_with_abbreviation(piece: str) -> bool:
    words = piece.rstrip().split()
    if not words:
        return False
    last = words[-1].lower().rstrip(".")
    return words[-1].endswith(".") and (last in ABBREVIATIONS or (len(last) == 1 and last.isalpha()))


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, whitespace collapsed, in order; empty text gives an empty list.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by a space (not after a known abbreviation
    or a single initial), at a blank line, or before a bulleted line.
    """
    sentences: list[str] = []
    pending = ""
    position = 0
    for match in _SENTENCE_END.finditer(text):
        piece = pending + text[position : match.start()] + match.group(0)
        position = match.end()
        if _ends_with_abbreviation(piece) and "\n" not in match.group(0):
            pending = piece
            continue
        pending = ""
        if piece.strip():
            sentences.append(_normalise(piece))
    last = _normalise(pending + text[position:])
    if last:
        sentences.append(last)
    return sentences


def _pack(parts: list[str], max_chars: int) -> list[str]:
    """Join neighbouring ``parts`` with spaces while the result stays within ``max_chars``."""
    pieces: list[str] = []
    for part in parts:
        if pieces and len(pieces[-1]) + 1 + len(part) <= max_chars:
            pieces[-1] = f"{pieces[-1]} {part}"
        else:
            pieces.append(part)
    return pieces


def _split_long(sentence: str, max_chars: int) -> list[str]:
    if len(sentence) <= max_chars:
        return [sentence]
    clauses = [clause for clause in _CLAUSE_END.split(sentence) if clause]
    parts: list[str] = []
    for clause in clauses:
        parts.extend([clause] if len(clause) <= max_chars else _pack(clause.split(" "), max_chars))
    return _pack(parts, max_chars)


def split_for_speech(text: str, max_chars: int = MAX_PIECE_CHARS) -> list[str]:
    """``text`` as pieces of at most ``max_chars`` characters (a single longer word stays whole).

    Every sentence starts a new piece; a long sentence is cut at clause punctuation first, then between
    words. Joining the pieces with single spaces gives back the text with its whitespace collapsed.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    pieces: list[str] = []
    for sentence in split_sentences(text):
        pieces.extend(_split_long(sentence, max_chars))
    return pieces
