"""An article's id: given, or made from its title (or author), and unique in the bank."""

from __future__ import annotations

import re
from collections.abc import Collection

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # as sources.schema.json says
MAX_ID_LENGTH = 32
# Words that make an id longer without making it easier to recognise.
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "his",
        "her",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "this",
        "that",
        "to",
        "was",
        "were",
        "will",
        "with",
    ]
)


def derive_id(title: str | None, author: str | None, taken: Collection[str]) -> str:
    """A short, readable id from the title's first words (else the author's surname)."""
    from slugify import slugify

    words = [w for w in slugify(title or "").split("-") if w and w not in _SMALL_WORDS]
    base = ""
    for word in words:
        if base and len(base) + 1 + len(word) > MAX_ID_LENGTH:
            break
        base = f"{base}-{word}" if base else word
        if base.count("-") == 3:  # four words name an article well enough
            break
    if not base and author:
        base = slugify(author).split("-")[-1]
    return unique_id(base[:MAX_ID_LENGTH].strip("-") or "article", taken)


def unique_id(base: str, taken: Collection[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
