"""How messages name things: a field counted from 1, and a did-you-mean for a near miss.

Loading, templates and the rules all report problems in the same words, so they share
these; the stage that reads the bank owns them, and the later stages import them.
"""

from __future__ import annotations

import difflib
import re

_INDEXED = re.compile(r"(wrong|pairs)\[(\d+)\](?:\[(\d)\])?")


def field_label(name: str) -> str:
    """A field as messages name it, counted from 1: 'wrong[1]' → 'wrong option 2'."""
    match = _INDEXED.fullmatch(name)
    if match is None:
        return name
    kind, index, side = match.groups()
    if kind == "wrong":
        return f"wrong option {int(index) + 1}"
    return f"pair {int(index) + 1}, {'left' if side == '0' else 'right'} side"


def did_you_mean(word: str, options: list[str]) -> str:
    """'did you mean 'x'?' for the closest option, or '' when none is close."""
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
