"""Find a phrase in the articles and hand back a fact that check will accept as it is.

Matching is check's own: `highlight_spans` compares in answer form (case,
spacing, typographic variants, and numbers as digits, so "9" finds "nine"),
at word boundaries. A phrase that is not in any article still finds the
sentences most like it, ranked by rapidfuzz, so a half-remembered phrase
leads to its sentence.

Every fact offered is proved before it is offered: its quote is found with
`Article.find` and its value inside the quote with `find_word`, exactly as
check does. near.py ranks the near misses; formatting.py prints the result,
with the YAML dumped by PyYAML and read back before it is shown.
"""

from __future__ import annotations

import difflib
import keyword
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..bank.model import Bank, Problem
from ..bank.passages import Paragraph, Sentence, answer_form, paragraphs, quoted_spans
from ..bank.sources import Article
from ..bank.text import find_word, highlight_spans, normalise, normalise_answer
from ..paths import display
from .near import nearest

# A sentence this long or shorter is quoted whole; a longer one is cut to the
# clauses around the match, grown to at least MIN_QUOTE characters, so the quote
# proves the value without copying a paragraph-long sentence.
MAX_SENTENCE_QUOTE = 200
MIN_QUOTE = 80
DEFAULT_LIMIT = 10
CLOSE_LIMIT = 5
# Clauses end at punctuation, dashes, or before a word that opens a subordinate clause.
_CLAUSE_BREAK = re.compile(
    r"[,;:]\s+|\s+[—–]\s*|—|\s+--\s+"
    r"|\s+(?=(?:unless|because|although|though|whereas|while|which|but)\s)",
    re.IGNORECASE,
)
_EDGE_PUNCTUATION = ",;:—–- "
_ID_WORDS = 4


@dataclass(frozen=True)
class Hit:
    """A passage that contains the phrase (or, for a near miss, resembles it)."""

    source_id: str
    paragraph: int  # 1-based, as Article.paragraphs counts them
    line: int  # 1-based line of the sentence in the article file
    sentence: str  # the sentence(s) holding the match, exactly as the article has them
    marks: tuple[tuple[int, int], ...]  # where the match is inside `sentence`
    fact_id: str
    quote: str
    value: str
    similarity: int | None = None  # None for an exact match
    path: str = ""  # the article's file, as messages show paths
    quoted_by: tuple[str, ...] = ()  # facts of the bank that already quote this sentence

    @property
    def line_label(self) -> str:
        return f"{self.path}:{self.line}" if self.path else f"line {self.line}"

    @property
    def fact(self) -> dict[str, str]:
        return {"source": self.source_id, "quote": self.quote, "value": self.value}


@dataclass(frozen=True)
class FindResult:
    query: str
    hits: tuple[Hit, ...]  # exact matches, at most `limit`
    total: int  # all exact matches, shown or not
    close: tuple[Hit, ...]  # the nearest passages, when there is no exact match
    home: dict[str, str]  # source id -> the question file that holds most of its facts

    @property
    def found(self) -> bool:
        return bool(self.hits)


@dataclass(frozen=True)
class FindOutcome:
    """What `quizgen find` reports: a result, or why there is none."""

    result: FindResult | None
    problems: tuple[Problem, ...] = ()  # from loading the seeds and the question files
    usage_error: str | None = None


def run(
    bank: Bank,
    articles: dict[str, Article],
    problems: Iterable[Problem],
    query: str,
    source_id: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> FindOutcome:
    """Search one article or all of them, after checking what the user asked for."""
    problems = tuple(problems)
    if not normalise(query):
        return FindOutcome(None, problems, "give the words to find, for example: quizgen find nine")
    if source_id is not None and source_id not in articles:
        known = sorted(articles)
        close = difflib.get_close_matches(source_id, known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        listing = ", ".join(known) if known else "none could be read"
        return FindOutcome(
            None, problems, f"unknown source '{source_id}'{hint}; the sources are: {listing}"
        )
    if not articles:
        return FindOutcome(None, problems)
    chosen = {source_id: articles[source_id]} if source_id is not None else articles
    return FindOutcome(search(bank, chosen, query, limit=limit), problems)


def search(
    bank: Bank,
    articles: dict[str, Article],
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    close_limit: int = CLOSE_LIMIT,
) -> FindResult:
    """Every sentence of the given articles that contains the query, else the nearest ones."""
    ids = _IdMaker(bank)
    home = _homes(bank)
    quoted = _quoted(bank, articles)
    hits: list[Hit] = []
    total = 0
    for article in articles.values():
        for paragraph in paragraphs(article):
            for start, end, marks in _exact_matches(paragraph, query):
                total += 1
                if len(hits) < limit:
                    hits.append(_hit(paragraph, start, end, marks, ids, quoted, None))
    close: list[Hit] = []
    if not hits:
        for score, paragraph, sentence, span in nearest(articles, query, close_limit):
            start, end = sentence.start + span[0], sentence.start + span[1]
            hit = _hit(paragraph, start, end, [(start, end)], ids, quoted, score)
            close.append(hit)
    return FindResult(query, tuple(hits), total, tuple(close), home)


def _exact_matches(
    paragraph: Paragraph, query: str
) -> Iterator[tuple[int, int, list[tuple[int, int]]]]:
    """(start, end) of the first match in each sentence, and all the matches there."""
    if normalise_answer(query) not in answer_form(paragraph.text):
        return  # the cheap test first: highlight_spans maps every character back
    spans = highlight_spans(paragraph.text, query)
    by_sentence: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for start, end in spans:
        first, last = _covering(paragraph.sentences, start, end)
        by_sentence.setdefault((first.start, last.end), []).append((start, end))
    for marks in by_sentence.values():
        yield marks[0][0], marks[0][1], marks


def _covering(sentences: list[Sentence], start: int, end: int) -> tuple[Sentence, Sentence]:
    """The first and last sentence that a span touches (a phrase may cross a full stop)."""
    touching = [s for s in sentences if s.start < end and start < s.end]
    if not touching:
        return Sentence(start, end), Sentence(start, end)
    return touching[0], touching[-1]


def _hit(
    paragraph: Paragraph,
    start: int,
    end: int,
    marks: Iterable[tuple[int, int]],
    ids: _IdMaker,
    quoted: dict[tuple[str, int], list[tuple[int, int, str]]],
    similarity: int | None,
) -> Hit:
    first, last = _covering(paragraph.sentences, start, end)
    sentence_start, sentence_end = min(first.start, start), max(last.end, end)
    value = squash(paragraph.text[start:end])
    quote = _proved_quote(paragraph, sentence_start, sentence_end, start, end, value)
    source_id = paragraph.article.source.id
    quoted_by = {
        fact_id
        for start, end, fact_id in quoted.get((source_id, paragraph.index), [])
        if start < sentence_end and sentence_start < end
    }
    return Hit(
        source_id=source_id,
        paragraph=paragraph.index + 1,
        line=paragraph.line_of(sentence_start),
        sentence=paragraph.text[sentence_start:sentence_end],
        marks=tuple((s - sentence_start, e - sentence_start) for s, e in marks),
        fact_id=ids.suggest(value, source_id),
        quote=quote,
        value=value,
        similarity=similarity,
        path=display(paragraph.article.source.path),
        quoted_by=tuple(sorted(quoted_by)),
    )


def _quoted(
    bank: Bank, articles: dict[str, Article]
) -> dict[tuple[str, int], list[tuple[int, int, str]]]:
    """Where the bank's facts quote each paragraph, so a hit can say it is already used."""
    quoted: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for fact in bank.facts.values():
        article = articles.get(fact.source_id)
        found = quoted_spans(article, fact.quote) if article is not None else None
        if found is not None:
            paragraph, spans = found
            quoted.setdefault((fact.source_id, paragraph), []).extend(
                (start, end, fact.id) for start, end in spans
            )
    return quoted


def _proved_quote(
    paragraph: Paragraph, start: int, end: int, match_start: int, match_end: int, value: str
) -> str:
    """The clause around the match if check accepts it, else the sentence, else the paragraph."""
    candidates = [
        _clause(paragraph.text, start, end, match_start, match_end),
        squash(paragraph.text[start:end]),
        squash(paragraph.text),
    ]
    for quote in candidates:
        if proves(paragraph.article, quote, value):
            return quote
    return candidates[-1]


def proves(article: Article, quote: str, value: str) -> bool:
    """What check asks of a fact: the quote is in the article and the value in the quote."""
    if article.find(quote) is None:
        return False
    return find_word(normalise_answer(quote), normalise_answer(value)) != -1


def _clause(text: str, start: int, end: int, match_start: int, match_end: int) -> str:
    """The clauses of text[start:end] around the match, when the sentence is too long."""
    if end - start <= MAX_SENTENCE_QUOTE:
        return squash(text[start:end])
    cuts = [start]
    for found in _CLAUSE_BREAK.finditer(text, start, end):
        if found.end() <= match_start or found.start() >= match_end:
            cuts.append(found.end() if found.end() <= match_start else found.start())
    cuts.append(end)
    cuts = sorted(set(cuts))
    left = max(c for c in cuts if c <= match_start)
    right = min(c for c in cuts if c >= match_end)
    while right - left < MIN_QUOTE and (left > start or right < end):
        before = max((c for c in cuts if c < left), default=None)
        after = min((c for c in cuts if c > right), default=None)
        # Grow toward the nearer cut, so the quote stays as short as it can.
        if after is not None and (before is None or after - right <= left - before):
            right = after
        elif before is not None:
            left = before
    piece = text[left:right]
    piece = piece.strip(_EDGE_PUNCTUATION + "\n\t")
    return squash(piece) if piece else squash(text[start:end])


def squash(text: str) -> str:
    """One space for each run of whitespace: normalise ignores it, and YAML stays tidy."""
    return " ".join(text.split())


# Words an id cannot be: YAML 1.1 reads `yes:` or `fact: off` as booleans, and in
# `{{ none }}` or `{{ not }}` Jinja sees a literal or an operator, not a fact.
_RESERVED_IDS = frozenset(
    {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "none", "nan", "inf"}
    | {word.lower() for word in keyword.kwlist}
    | {"elif", "endif", "endfor", "block", "extends", "include", "import", "macro", "set"}
    | {"loop", "self", "super", "caller", "varargs", "kwargs", "namespace", "range"}
)


class _IdMaker:
    """Fact ids from the value's words, never one the bank (or this search) already has."""

    def __init__(self, bank: Bank) -> None:
        self.taken = set(bank.facts)

    def suggest(self, value: str, source_id: str) -> str:
        words = _ascii_words(value)[:_ID_WORDS]
        base = "_".join(words) or "fact"
        if not base[0].isalpha():
            prefix = "_".join(_ascii_words(source_id)) or "fact"
            base = f"{prefix}_{base}" if prefix[0].isalpha() else f"fact_{base}"
        if base in _RESERVED_IDS:
            base = f"{base}_fact"
        candidate, number = base, 2
        while candidate in self.taken:
            candidate, number = f"{base}_{number}", number + 1
        self.taken.add(candidate)
        return candidate


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", folded)


def _homes(bank: Bank) -> dict[str, str]:
    """For each article, the question file that already holds most of its facts."""
    counts: dict[str, Counter[str]] = {}
    for fact in bank.facts.values():
        counts.setdefault(fact.source_id, Counter())[fact.location.path] += 1
    return {source: files.most_common(1)[0][0] for source, files in counts.items()}
