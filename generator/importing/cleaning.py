"""The one normalisation an article gets at import, so that every sentence can be quoted.

Curly quotes, dashes and letter case stay as the article has them: the matcher
(generator/text.py) already treats their variants as equal. What goes is what no
reader sees and what a quote typed or copied by a teacher would not carry.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible and never meaningful in running text: soft hyphens (browsers show them only at
# a line break), zero-width spaces, word joiners and byte-order marks. The zero-width
# joiner and non-joiner stay: Persian, Hindi and emoji sequences need them.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
# Spaces that only keep words on one line: a quote typed with a plain space must match.
_FIXED_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f"), " ")
_RUNS_OF_SPACE = re.compile(r"[^\S\n]+")


def clean_characters(text: str) -> str:
    """NFC, invisible characters removed, fixed spaces made plain, line endings '\\n'."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text.translate(_INVISIBLE).translate(_FIXED_SPACES))


def clean_paragraph(paragraph: str) -> str:
    """One paragraph on one line: its whitespace runs (line breaks included) made one space."""
    return " ".join(clean_characters(paragraph).split())


def squeeze_spaces(line: str) -> str:
    """Runs of spaces and tabs made one space, as justified PDF text spreads words apart."""
    return _RUNS_OF_SPACE.sub(" ", line).strip()
