"""Hover: a fact id shows its value, and its quote in the article's paragraph with the
article's title; an article id shows the article's title, author and date."""

from __future__ import annotations

from lsprotocol import types

from . import context
from .project import Fact, Snapshot, Source, quote_place


def hover_text(snapshot: Snapshot, lines: list[str], row: int, column: int) -> str | None:
    line = lines[row] if row < len(lines) else ""
    word, _, _ = context.word_at(line, column)
    if not word:
        return None
    key = context.value_key(line, column)
    own_key = context.key_of_line(line)
    path = context.mapping_path(lines, row, own_key[1] if own_key else 0)
    facts = snapshot.facts
    if word in facts and (
        context.in_template(line, column)
        or key == "fact"
        or (own_key and own_key[0] == word and path == ("facts",))
    ):
        return fact_text(snapshot, facts[word])
    sources = snapshot.bank.sources
    if word in sources and (
        key == "source" or (own_key and own_key[0] == word and path == ("sources",))
    ):
        return source_text(sources[word])
    return None


def fact_text(snapshot: Snapshot, fact: Fact) -> str:
    parts = [f"**{fact.id}** = `{fact.value}`"]
    article = snapshot.articles.get(fact.source_id)
    place = quote_place(article, fact.quote) if article is not None else None
    if place is None:
        parts.append(f"> {fact.quote}")
    else:
        marked, position = [], 0
        for start, end in place.spans:
            marked += [place.paragraph[position:start], f"**{place.paragraph[start:end]}**"]
            position = end
        marked.append(place.paragraph[position:])
        parts.append("> " + "".join(marked).replace("\n", " "))
    source = snapshot.bank.sources.get(fact.source_id)
    parts.append(f"— {source.citation}" if source else f"— unknown source '{fact.source_id}'")
    return "\n\n".join(parts)


def source_text(source: Source) -> str:
    parts = [f"**{source.title}**"]
    if source.author:
        parts.append(f"by {source.author}")
    if source.published:
        parts.append(f"published {source.published}")
    parts.append(f"`{source.path.name}`")
    return "\n\n".join(parts)


def markdown(text: str) -> types.MarkupContent:
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
