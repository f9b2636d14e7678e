"""How paths are shown in messages: relative to where the user stands, so editors can open them."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

MAX_SLUG = 60
# The stem of the files a build names after the project (quizgen.apkg, quizgen.lock.json,
# quizgen.moodle.xml, …): quizgen.toml's `[package] name`, or `--package`.
DEFAULT_PACKAGE = "quizgen"
PACKAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def display(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def package_file(package: str, suffix: str, deck: str | None = None) -> str:
    """'quizgen' + '.apkg' → 'quizgen.apkg'; for one deck, 'quizgen-<deck slug>.apkg'."""
    return f"{package}{suffix}" if deck is None else f"{package}-{deck_slug(deck)}{suffix}"


def slug(text: str, max_length: int = MAX_SLUG) -> str:
    """A file-name-safe form of a name: ASCII letters, digits and hyphens, cut at a word."""
    return _slugify(text, max_length) or _fallback(text)


def deck_slug(deck: str) -> str:
    """'Sessions::Leopold — wrong' → 'sessions--leopold-wrong': each subdeck kept apart."""
    parts = (_slugify(part, 0) for part in deck.split("::"))
    return "--".join(part for part in parts if part) or _fallback(deck)


def _slugify(text: str, max_length: int) -> str:
    from slugify import slugify  # only writers name files; keeps `check` start-up short

    return slugify(text, max_length=max_length, word_boundary=True)


def _fallback(text: str) -> str:
    # A name with no letters or digits still needs a distinct, stable file name.
    return "deck-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
