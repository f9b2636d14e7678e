"""Go to definition: from a fact id (in '{{ }}' or after `fact:`) to the fact, and from a
fact's `source:` to the place of its quote in the article file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import context
from .project import Snapshot, quote_place


@dataclass(frozen=True)
class Target:
    """A place to jump to: a file, and 0-based (line, code-point column) start and end."""

    path: Path
    start: tuple[int, int]
    end: tuple[int, int]


def definition(snapshot: Snapshot, lines: list[str], row: int, column: int) -> Target | None:
    line = lines[row] if row < len(lines) else ""
    word, _, _ = context.word_at(line, column)
    key = context.value_key(line, column)
    facts = snapshot.facts
    if word in facts and (context.in_template(line, column) or key == "fact"):
        where = snapshot.fact_keys.get(word, facts[word].location)
        start = (where.line - 1, where.column - 1)
        return Target(Path(where.path), start, (start[0], start[1] + len(word)))
    own_key = context.key_of_line(line)
    if own_key and own_key[0] == "source":
        path = context.mapping_path(lines, row, own_key[1])
        if len(path) == 2 and path[0] == "facts" and path[1] in facts:
            return _quote_target(snapshot, path[1])
    return None


def _quote_target(snapshot: Snapshot, fact_id: str) -> Target | None:
    fact = snapshot.facts[fact_id]
    article = snapshot.articles.get(fact.source_id)
    if article is None:
        return None
    place = quote_place(article, fact.quote)
    if place is None:
        return Target(article.source.path, (0, 0), (0, 0))  # the quote is not there (yet)
    return Target(place.path, (place.line, place.column), (place.end_line, place.end_column))
