"""A .txt or .md file → the article, taken as it is: only its characters are normalised."""

from __future__ import annotations

import re

from .cleaning import clean_characters
from .extracted import Extracted, Refused

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")


def extract_plain(text: str, *, markdown: bool) -> Extracted:
    """The text as it is, lines kept; the title is its first line (or Markdown heading)."""
    cleaned = "\n".join(line.rstrip() for line in clean_characters(text).split("\n")).strip()
    if not cleaned:
        raise Refused("is empty: there is no article text to add")
    paragraphs = tuple(p.strip("\n") for p in _PARAGRAPH_BREAK.split(cleaned) if p.strip())
    first_line = paragraphs[0].split("\n", 1)[0].strip()
    heading = _MARKDOWN_HEADING.match(first_line) if markdown else None
    title = heading.group(1) if heading else first_line[:200]
    return Extracted(paragraphs, title=title, text=cleaned + "\n")
