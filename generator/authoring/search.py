"""Find a phrase in the articles and hand back a fact that check will accept as it is.

Matching is check's own: `highlight_spans` compares in answer form (case,
spacing, typographic variants, and numbers as digits, so "9" finds "nine"),
at word boundaries. A phrase that is not in any article still finds the
sentences most like it, ranked by rapidfuzz, so a half-remembered phrase
leads to its sentence.

Every fact offered is proved before it is offered: its quote is found with
`Article.find` and its value inside the quote with `find_word`, exactly as
check does; the YAML is dumped by PyYAML and read back before it is shown.
"""

from __future__ import annotations

import difflib
import keyword
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

import sentencex
import yaml
from rapidfuzz import fuzz

from ..bank.model import Bank, Problem
from ..bank.sources import Article
from ..bank.text import find_word, highlight_spans, normalise, normalise_answer, normalise_mapped
from ..paths import display

# A sentence this long or shorter is quoted whole; a longer one is cut to the
# clauses around the match, grown to at least MIN_QUOTE characters, so the quote
# proves the value without copying a paragraph-long sentence.
MAX_SENTENCE_QUOTE = 200
MIN_QUOTE = 80
DEFAULT_LIMIT = 10
CLOSE_LIMIT = 5
# Below this similarity a passage is noise rather than a near miss.
MIN_SIMILARITY = 50
CLOSE_MARGIN = 20
WORD_SIMILARITY = 80
_KEPT_SIGNS = "$€£¥%"
# Clauses end at punctuation, dashes, or before a word that opens a subordinate clause.
_CLAUSE_BREAK = re.compile(
    r"[,;:]\s+|\s+[—–]\s*|—|\s+--\s+"
    r"|\s+(?=(?:unless|because|although|though|whereas|while|which|but)\s)",
    re.IGNORECASE,
)
_EDGE_PUNCTUATION = ",;:—–- "
_ID_WORDS = 4


@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph, as offsets into the paragraph's text."""

    start: int
    end: int


def sentence_spans(paragraph: str) -> list[Sentence]:
    """The sentences of a paragraph, trimmed of surrounding whitespace.

    sentencex (Wikimedia's rule-based segmenter) knows abbreviations such as
    "U.S." and "Jan." and ends a sentence after a closing curly quote; it gives
    character offsets, so every sentence is an exact slice of the article.
    """
    spans: list[Sentence] = []
    for boundary in sentencex.get_sentence_boundaries("en", paragraph):
        start, end = boundary["start_index"], boundary["end_index"]
        while start < end and paragraph[start].isspace():
            start += 1
        while end > start and paragraph[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append(Sentence(start, end))
    return spans or ([Sentence(0, len(paragraph))] if paragraph.strip() else [])


@lru_cache(maxsize=65536)
def quoted_spans(article: Article, quote: str) -> tuple[int, tuple[tuple[int, int], ...]] | None:
    """The paragraph index and the spans (original offsets) of a quote, as check finds it."""
    match = article.find(quote)
    if match is None:
        return None
    origin = normalise_mapped(article.paragraphs[match.paragraph]).origin
    spans = tuple((origin[start], origin[end - 1] + 1) for start, end in match.spans if end > start)
    return match.paragraph, spans


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


class _Paragraph:
    def __init__(self, article: Article, index: int, offset: int) -> None:
        self.article = article
        self.index = index
        self.text = article.paragraphs[index]
        self.offset = offset  # where the paragraph starts in the article's text

    @cached_property
    def sentences(self) -> list[Sentence]:
        return sentence_spans(self.text)

    def line_of(self, position: int) -> int:
        return self.article.source.text.count("\n", 0, self.offset + position) + 1


def paragraphs(article: Article) -> Iterator[_Paragraph]:
    """Each paragraph with its offset in the file, so hits can name their line."""
    position = 0
    text = article.source.text
    for index, paragraph in enumerate(article.paragraphs):
        found = text.find(paragraph, position)
        offset = found if found != -1 else position
        yield _Paragraph(article, index, offset)
        position = offset + len(paragraph)


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
        for score, paragraph, sentence, span in _nearest(articles, query, close_limit):
            start, end = sentence.start + span[0], sentence.start + span[1]
            hit = _hit(paragraph, start, end, [(start, end)], ids, quoted, score)
            close.append(hit)
    return FindResult(query, tuple(hits), total, tuple(close), home)


def _exact_matches(
    paragraph: _Paragraph, query: str
) -> Iterator[tuple[int, int, list[tuple[int, int]]]]:
    """(start, end) of the first match in each sentence, and all the matches there."""
    if normalise_answer(query) not in _answer_form(paragraph.text):
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
    paragraph: _Paragraph,
    start: int,
    end: int,
    marks: Iterable[tuple[int, int]],
    ids: _IdMaker,
    quoted: dict[tuple[str, int], list[tuple[int, int, str]]],
    similarity: int | None,
) -> Hit:
    first, last = _covering(paragraph.sentences, start, end)
    sentence_start, sentence_end = min(first.start, start), max(last.end, end)
    value = _squash(paragraph.text[start:end])
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
    paragraph: _Paragraph, start: int, end: int, match_start: int, match_end: int, value: str
) -> str:
    """The clause around the match if check accepts it, else the sentence, else the paragraph."""
    candidates = [
        _clause(paragraph.text, start, end, match_start, match_end),
        _squash(paragraph.text[start:end]),
        _squash(paragraph.text),
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
        return _squash(text[start:end])
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
    return _squash(piece) if piece else _squash(text[start:end])


def _squash(text: str) -> str:
    """One space for each run of whitespace: normalise ignores it, and YAML stays tidy."""
    return " ".join(text.split())


def _nearest(
    articles: dict[str, Article], query: str, limit: int
) -> list[tuple[int, _Paragraph, Sentence, tuple[int, int]]]:
    """The sentences most like the query, with the words inside each that match it."""
    target = normalise(query)
    target_answer = normalise_answer(query)
    if not target:
        return []
    words = _query_words(query)
    scored: list[tuple[int, float, int, _Paragraph, Sentence, tuple[int, int]]] = []
    for article in articles.values():
        for paragraph in paragraphs(article):
            for sentence in paragraph.sentences:
                text = paragraph.text[sentence.start : sentence.end]
                score = max(
                    _similarity(target, _normal_form(text)),
                    _similarity(target_answer, _answer_form(text)),
                )
                if score < MIN_SIMILARITY:
                    continue
                matched, span = _matching_words(text, words, target)
                scored.append((matched, score, len(scored), paragraph, sentence, span))
    if not scored:
        return []
    # More of the query's words first ("802 officers" prefers the sentence with
    # both), then the closer spelling.
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    best_score = scored[0][1]
    return [
        (round(score), paragraph, sentence, span)
        for matched, score, _, paragraph, sentence, span in scored[:limit]
        # Far below the best passage is noise, unless it matches as many words; and
        # once some passage shares a word with the query, one that shares none is noise.
        if matched == scored[0][0] or (matched and score >= best_score - CLOSE_MARGIN)
    ]


# A contributor runs find again and again over the same articles (and the tests
# thousands of times): each paragraph and sentence is normalised once.
@lru_cache(maxsize=16384)
def _normal_form(text: str) -> str:
    return normalise(text)


@lru_cache(maxsize=16384)
def _answer_form(text: str) -> str:
    return normalise_answer(text)


def _similarity(target: str, text: str) -> float:
    # partial_ratio slides the shorter string along the longer; a sentence shorter
    # than the query would then score 100 for any few words it shares, so a short
    # sentence is compared whole instead.
    if len(text) >= len(target):
        return fuzz.partial_ratio(target, text)
    return fuzz.ratio(target, text)


_WORD = re.compile(r"\w+(?:['’.-]\w+)*")


def _query_words(query: str) -> list[str]:
    return [normalise_answer(word.group()) for word in _WORD.finditer(query)]


def _word_matches(word: str, wanted: str) -> bool:
    if word == wanted:
        return True
    # A misspelt long word still counts ("sancturay"); a short one must be exact.
    return len(wanted) >= 4 and fuzz.ratio(word, wanted) >= WORD_SIMILARITY


def _matching_words(text: str, wanted: list[str], target: str) -> tuple[int, tuple[int, int]]:
    """How many of the query's words the sentence has, and the shortest run holding them.

    This is the value a near miss offers: "courts blocked every step" gives
    "courts have blocked them every step", not a window of the same length.
    With no word in common, the span that rapidfuzz aligns with the query.
    """
    words = [(w.start(), w.end(), normalise_answer(w.group())) for w in _WORD.finditer(text)]
    hits = [
        (index, {i for i, want in enumerate(wanted) if _word_matches(word, want)})
        for index, (_, _, word) in enumerate(words)
    ]
    hits = [(index, found) for index, found in hits if found]
    if not hits:
        return 0, _aligned(text, target)
    best: tuple[int, int, int, int] | None = None  # (-distinct words, length, first, last)
    for i, (first, _) in enumerate(hits):
        covered: set[int] = set()
        for last, found in hits[i:]:
            covered |= found
            candidate = (-len(covered), words[last][1] - words[first][0], first, last)
            if best is None or candidate < best:
                best = candidate
    assert best is not None
    return -best[0], _whole_words(text, words[best[2]][0], words[best[3]][1])


def _aligned(text: str, target: str) -> tuple[int, int]:
    mapped = normalise_mapped(text)
    alignment = fuzz.partial_ratio_alignment(target, mapped.text)
    if alignment is None or not mapped.origin or alignment.dest_end <= alignment.dest_start:
        return 0, len(text)
    start = mapped.origin[min(alignment.dest_start, len(mapped.origin) - 1)]
    end = mapped.origin[min(alignment.dest_end, len(mapped.origin)) - 1] + 1
    return _whole_words(text, start, end)


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole whitespace-separated words, without their edge punctuation.

    Currency and percent signs stay: "$4 billion" is the value, not "4 billion".
    """
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    while start < end and not (text[start].isalnum() or text[start] in _KEPT_SIGNS):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in _KEPT_SIGNS):
        end -= 1
    if start == end:
        return 0, len(text)
    return start, end


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


# YAML -----------------------------------------------------------------------


_READER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FactDumper(yaml.SafeDumper):
    """Long text as a folded block (`>-`), like the bank's own files."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = ">" if len(text) > 60 and "\n" not in text and text == text.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_FactDumper.add_representer(str, _represent_text)


def fact_yaml(hit: Hit) -> str:
    """The fact as it goes under `facts:` in a question file, indented two spaces.

    PyYAML does the quoting (a quote may hold ': ', '#', or quote marks). The
    folded style is checked by reading the text back; if it does not give the
    same strings, plain PyYAML output is used instead.
    """
    document = {"facts": {hit.fact_id: hit.fact}}
    for dumper in (_FactDumper, yaml.SafeDumper):
        text = yaml.dump(
            document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=66, indent=2
        )
        if yaml.load(text, Loader=_READER) == document:
            break
    return text.split("\n", 1)[1]


# Text -----------------------------------------------------------------------


def marked(hit: Hit, mark: Callable[[str], str]) -> str:
    """The sentence on one line, with each match passed through `mark`."""
    pieces: list[str] = []
    position = 0
    for start, end in sorted(hit.marks):
        if start < position:
            continue
        pieces += [hit.sentence[position:start], mark(hit.sentence[start:end])]
        position = end
    pieces.append(hit.sentence[position:])
    return _squash("".join(pieces))


def format_result(result: FindResult, mark: Callable[[str], str] = "[[{}]]".format) -> str:
    """What `quizgen find` prints: each passage, then the fact to paste."""
    blocks: list[str] = []
    if not result.found:
        blocks.append(
            f"No passage contains {result.query!r}. "
            + ("The closest ones:" if result.close else "Nothing is close either; try fewer words.")
        )
    for hit in result.hits or result.close:
        similar = f", {hit.similarity}% similar" if hit.similarity is not None else ""
        home = result.home.get(hit.source_id)
        lines = [
            f"{hit.source_id} ¶{hit.paragraph}{similar} ({hit.line_label})",
            f"  {marked(hit, mark)}",
        ]
        if hit.quoted_by:
            lines.append(f"  already quoted by: {', '.join(hit.quoted_by)}")
        lines += ["", f"  # paste under facts: in {home or 'a question file'}"]
        blocks.append("\n".join(lines) + "\n" + fact_yaml(hit).rstrip("\n"))
    return "\n\n".join(blocks)


def find_summary(result: FindResult) -> str:
    if not result.found:
        shown = len(result.close)
        return f"quizgen: no exact match; {shown} similar passage{'s' if shown != 1 else ''} shown."
    articles = len({hit.source_id for hit in result.hits})
    summary = (
        f"quizgen: {result.total} passage{'s' if result.total != 1 else ''} "
        f"in {articles} article{'s' if articles != 1 else ''}"
    )
    if result.total > len(result.hits):
        summary += f"; showing the first {len(result.hits)} (narrow the phrase, or use --source)"
    return summary + "."
