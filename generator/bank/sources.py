"""The articles: reading seeds/sources.yaml, pinning each file by hash, and finding quotes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..paths import display
from . import files, schema, yamlfile
from .model import Location, Problem, Source
from .text import find_pieces, normalise, normalise_mapped, quote_pieces

SOURCES_FILE = "sources.yaml"
MAX_ARTICLE_BYTES = 8 * 1024 * 1024
TOO_BIG = "a news article is far smaller; is this the right file?"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class QuoteMatch:
    paragraph: int
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Passage:
    """The passage of an article nearest to a quote that was not found."""

    text: str
    similarity: float


class Article:
    """A source with its text split into paragraphs, each normalised once."""

    def __init__(self, source: Source) -> None:
        self.source = source

    @cached_property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in _PARAGRAPH_BREAK.split(self.source.text) if p.strip()]

    @cached_property
    def normalised_paragraphs(self) -> list[str]:
        return [normalise(p) for p in self.paragraphs]

    def find(self, quote: str) -> QuoteMatch | None:
        """Where the quote occurs, each '...'-separated piece in order within one paragraph."""
        pieces = quote_pieces(quote)
        if not pieces:
            return None
        for index, paragraph in enumerate(self.normalised_paragraphs):
            if pieces[0] not in paragraph:
                continue
            spans = find_pieces(paragraph, pieces)
            if spans is not None:
                return QuoteMatch(index, tuple(spans))
        return None

    def partial_word(self, quote: str) -> str | None:
        """Why a quote that is not found would be found but for a cut word, if that is why."""
        pieces = quote_pieces(quote)
        if not pieces:
            return None
        for index, paragraph in enumerate(self.normalised_paragraphs):
            spans = find_pieces(paragraph, pieces, whole_words=False)
            if spans is None:
                continue
            original = self.paragraphs[index]
            origin = normalise_mapped(original).origin
            for start, end in spans:
                if start > 0 and paragraph[start - 1].isalnum() and paragraph[start].isalnum():
                    cut, word = _word_around(original, origin[start], origin[end - 1] + 1)
                    return f"the quote starts inside a word: {cut!r} is part of {word!r}"
                if (
                    end < len(paragraph)
                    and paragraph[end - 1].isalnum()
                    and paragraph[end].isalnum()
                ):
                    cut, word = _word_around(
                        original, origin[start], origin[end - 1] + 1, at_end=True
                    )
                    return f"the quote ends inside a word: {cut!r} is part of {word!r}"
        return None

    def closest(self, quote: str) -> Passage | None:
        """The passage most like the quote, to show in the error message."""
        # Imported here: only a quote that is not found needs it, and a clean check
        # starts faster without it.
        from rapidfuzz import fuzz

        target = " ".join(quote_pieces(quote))
        best: tuple[float, int, int, int] | None = None
        for index, paragraph in enumerate(self.normalised_paragraphs):
            alignment = fuzz.partial_ratio_alignment(target, paragraph)
            if alignment is None:
                continue
            if best is None or alignment.score > best[0]:
                best = (alignment.score, index, alignment.dest_start, alignment.dest_end)
        if best is None:
            return None
        score, index, start, end = best
        mapped = normalise_mapped(self.paragraphs[index])
        if start >= len(mapped.origin):
            return None
        paragraph = self.paragraphs[index]
        original_start = mapped.origin[start]
        original_end = mapped.origin[end - 1] + 1 if end > start else original_start
        # Widen to whole words: the alignment may cut one, which would look like a difference.
        while (
            0 < original_start < len(paragraph)
            and paragraph[original_start - 1 : original_start + 1].isalnum()
        ):
            original_start -= 1
        while (
            0 < original_end < len(paragraph)
            and paragraph[original_end - 1 : original_end + 1].isalnum()
        ):
            original_end += 1
        return Passage(paragraph[original_start:original_end].strip(), round(score))


def _word_around(text: str, start: int, end: int, *, at_end: bool = False) -> tuple[str, str]:
    """The cut fragment at one edge of text[start:end], and the whole word it belongs to."""
    edge = end - 1 if at_end else start
    word_start = edge
    while word_start > 0 and text[word_start - 1].isalnum():
        word_start -= 1
    word_end = edge + 1
    while word_end < len(text) and text[word_end].isalnum():
        word_end += 1
    cut = text[word_start:end] if at_end else text[start:word_end]
    return cut, text[word_start:word_end]


@dataclass(frozen=True)
class Seeds:
    """The articles that could be read, and why the others could not."""

    articles: dict[str, Article]
    problems: list[Problem]
    # Ids that sources.yaml lists but whose entry or article has a problem (reported).
    unreadable: frozenset[str] = frozenset()
    # False when sources.yaml itself could not be read: then no id is known.
    index_read: bool = True


def load_sources(seeds_dir: Path) -> Seeds:
    """Read sources.yaml and every article it names; problems are returned, never raised."""
    index_path = seeds_dir / SOURCES_FILE
    shown = display(index_path)
    document = yamlfile.load(index_path, shown)
    problems = list(document.problems)
    if document.data is None:
        return Seeds({}, problems, index_read=False)
    validation = schema.validate(document.data, schema.SOURCES_FILE, Location(shown))
    entries = document.data.get("sources") if isinstance(document.data, dict) else None
    root = seeds_dir.resolve()
    problems += _with_sha256_to_paste(validation.problems, entries, seeds_dir, root)
    if problems and not isinstance(entries, yamlfile.Mapping):
        return Seeds({}, problems, index_read=False)

    articles: dict[str, Article] = {}
    unreadable: set[str] = set()
    for source_id, entry in entries.items():
        unreadable.add(source_id)  # until its article is read
        if not validation.is_valid("sources", source_id):
            continue
        where = entries.value_locations[source_id]
        article_path = _confined(seeds_dir, root, entry["file"])
        if article_path is None:
            problems.append(
                Problem(
                    entry.value_locations["file"],
                    f"source '{source_id}': file {entry['file']!r} is outside "
                    f"{display(seeds_dir)}/: "
                    "articles must live in the seeds folder (no '..', absolute paths or "
                    "links that lead out)",
                )
            )
            continue
        shown = display(article_path)
        raw = files.read_bytes(article_path, shown, MAX_ARTICLE_BYTES, TOO_BIG)
        text = raw if isinstance(raw, Problem) else files.decode(raw, shown)
        if isinstance(text, Problem):
            # Reported where sources.yaml names the file; the article's own line is in the text.
            place = shown if text.location == Location(shown) else str(text.location)
            problems.append(
                Problem(
                    entry.value_locations["file"], f"source '{source_id}': {place} {text.message}"
                )
            )
            continue
        actual = hashlib.sha256(raw).hexdigest()
        if actual != entry["sha256"]:
            problems.append(
                Problem(
                    entry.value_locations["sha256"],
                    f"source '{source_id}': {display(article_path)} has changed since its "
                    "sha256 was recorded. Re-check every fact that cites "
                    f"'{source_id}' against the new text, then set sha256: {actual}",
                )
            )
        unreadable.discard(source_id)
        articles[source_id] = Article(
            Source(
                id=source_id,
                path=article_path,
                title=entry["title"],
                text=text,
                location=where,
                author=entry.get("author"),
                published=entry.get("published"),
            )
        )
    return Seeds(articles, problems, frozenset(unreadable))


def _with_sha256_to_paste(
    problems: list[Problem], entries: object, seeds_dir: Path, root: Path
) -> list[Problem]:
    """The schema's problems, where a missing sha256 also gives the value to paste.

    A teacher who adds an article by hand cannot be expected to hash it herself, and the
    value is the article's hash as it is now, which is what the entry is meant to pin.
    """
    if not isinstance(entries, yamlfile.Mapping):
        return problems
    missing = {}
    for source_id, entry in entries.items():
        if (
            not isinstance(entry, dict)
            or "sha256" in entry
            or not isinstance(entry.get("file"), str)
        ):
            continue
        article_path = _confined(seeds_dir, root, entry["file"])
        if article_path is None or not article_path.is_file():
            continue
        raw = files.read_bytes(article_path, display(article_path), MAX_ARTICLE_BYTES, TOO_BIG)
        if isinstance(raw, bytes):
            missing[entries.value_locations[source_id]] = (
                f"add the line 'sha256: {hashlib.sha256(raw).hexdigest()}' "
                f"(the sha256 of {display(article_path)} as it is now)"
            )
    return [
        Problem(
            problem.location,
            f"{problem.message.split(': this entry needs')[0]}: " + missing[problem.location],
        )
        if problem.location in missing and "missing 'sha256'" in problem.message
        else problem
        for problem in problems
    ]


def _confined(seeds_dir: Path, root: Path, name: str) -> Path | None:
    """The article's path if it resolves inside the seeds folder, links followed.

    root is seeds_dir resolved, once for all the articles.
    """
    candidate = Path(name)
    if candidate.is_absolute():
        return None
    resolved = (root / candidate).resolve()
    if not resolved.is_relative_to(root) or resolved == root:
        return None
    return seeds_dir / candidate
