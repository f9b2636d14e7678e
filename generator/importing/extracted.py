"""What an extractor gives back, shared by every stage of an import."""

from __future__ import annotations

from dataclasses import dataclass


class Refused(Exception):
    """The file cannot become an article; the message says why and what to do."""


@dataclass(frozen=True)
class Extracted:
    """An article's paragraphs (headings are paragraphs of their own) and what it says of itself."""

    paragraphs: tuple[str, ...]
    title: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY-MM-DD
    # The file's own text, for a text file taken as it is; else the paragraphs are joined.
    text: str | None = None

    @property
    def article(self) -> str:
        """The article file: paragraphs separated by a blank line, ending with one newline."""
        if self.text is not None:
            return self.text
        return "\n\n".join(self.paragraphs) + "\n" if self.paragraphs else ""
