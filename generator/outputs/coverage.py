"""decks/coverage.html: each article, with the passages the quiz tests marked and linked.

A passage is "tested" when it is the quote of a fact that proves a built
question's answer (the question's evidence, as the answer key shows it). Each
marked passage links to the questions it proves, and each question links back,
so a teacher sees at a glance what the quiz asks about and what it skips.

Only the questions of this build are counted (all of them, or the --deck). A
whole-bank build shows every article, so one that no question cites stands out;
a --deck build writes coverage-<deck>.html with the articles that deck cites.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from ..bank.model import Fact, Source, SourcedQuestion
from ..bank.passages import quoted_spans, sentence_spans
from ..bank.sources import Article
from ..paths import deck_slug
from .base import BuildContext
from .html import render_page_utf8

COVERAGE_FILE = "coverage.html"

# The page repeats its markup for every run of text, link and question (hundreds of
# thousands at 10,000 questions), and each attribute the sandboxed template looks up
# on an object costs a checked getattr. So what repeats is handed over as plain
# tuples with every value ready to be shown (the template still escapes each one),
# their fields in the order that the template's for-loops unpack them.


class Ref(NamedTuple):
    """A link from a passage to a question that it proves."""

    href: str
    question_id: str
    number: int


class Piece(NamedTuple):
    """A run of a paragraph's text with one set of facts quoting it."""

    anchors: tuple[str, ...]  # ids of the quotes that start here
    text: str
    facts: str  # ids of the facts quoting the run, ", "-joined; "" when none does
    overlap: bool  # more than one fact quotes the run
    refs: tuple[Ref, ...]  # questions, after a quote's last run


class ParagraphView(NamedTuple):
    anchor: str
    number: int
    tested: bool
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class ArticleView:
    source: Source
    paragraphs: tuple[ParagraphView, ...]
    questions: int
    sentences: int
    sentences_tested: int

    @property
    def anchor(self) -> str:
        return article_anchor(self.source.id)

    @property
    def share(self) -> float:
        return self.sentences_tested / self.sentences if self.sentences else 0.0


class Passage(NamedTuple):
    """A link from a question to a quote that proves its answer."""

    href: str
    label: str
    more: bool  # another passage follows, after a comma


class QuestionView(NamedTuple):
    anchor: str
    number: int
    type: str
    question_id: str
    deck: str
    prompt: str
    answer: str
    passages: tuple[Passage, ...]  # each quote that proves the answer


def article_anchor(source_id: str) -> str:
    return f"article-{source_id}"


def question_anchor(question_id: str) -> str:
    return f"q-{question_id}"


def fact_anchor(fact_id: str) -> str:
    return f"fact-{fact_id}"


def render_coverage(context: BuildContext) -> dict[str, bytes]:
    """The build's renderer: BuildContext -> {"coverage.html": bytes}."""
    deck = context.options.deck
    if deck is None:
        return {COVERAGE_FILE: coverage_utf8(context.questions, None, context.sources)}
    name = f"coverage-{deck_slug(deck)}.html"
    return {name: coverage_utf8(context.questions, deck)}


def coverage_utf8(
    questions: Sequence[SourcedQuestion],
    deck: str | None = None,
    all_sources: Iterable[Source] = (),
) -> bytes:
    """The coverage report of these questions, as the bytes of the file."""
    views: list[QuestionView] = []
    refs: dict[str, list[Ref]] = {}
    sources: dict[str, Source] = {source.id: source for source in all_sources}
    facts: dict[str, Fact] = {}
    citing: Counter[str] = Counter()
    for number, question in enumerate(questions, start=1):
        proving = _proving_facts(question)
        anchor = question_anchor(question.id)
        for fact in proving:
            facts.setdefault(fact.id, fact)
            sources.setdefault(fact.source_id, _source(question, fact.source_id))
            refs.setdefault(fact.id, []).append(Ref(f"#{anchor}", question.id, number))
        citing.update({fact.source_id for fact in proving})
        last = len(proving) - 1
        passages = tuple(
            Passage(f"#{fact_anchor(fact.id)}", f"{fact.source_id}: {fact.id}", more=index < last)
            for index, fact in enumerate(proving)
        )
        views.append(
            QuestionView(
                anchor,
                number,
                question.type.value,
                question.id,
                question.deck,
                _prompt(question),
                _answer(question),
                passages,
            )
        )
    # Grouped in one pass: filtering every fact and question per article is quadratic.
    facts_by_source: dict[str, list[Fact]] = {}
    for fact in facts.values():
        facts_by_source.setdefault(fact.source_id, []).append(fact)
    articles = [
        _article_view(
            Article(source),
            facts_by_source.get(source_id, []),
            refs,
            questions=citing[source_id],
        )
        for source_id, source in sources.items()
    ]
    return render_page_utf8(
        "coverage.html",
        title="Coverage" + (f": {deck}" if deck else ""),
        articles=articles,
        questions=views,
    )


def _proving_facts(question: SourcedQuestion) -> tuple[Fact, ...]:
    seen: dict[str, Fact] = {}
    for evidence in question.evidence:
        seen.setdefault(evidence.fact.id, evidence.fact)
    return tuple(seen.values())


def _source(question: SourcedQuestion, source_id: str) -> Source:
    return next(e.source for e in question.evidence if e.source.id == source_id)


def _answer(question: SourcedQuestion) -> str:
    if question.pairs:
        return "; ".join(f"{left} → {right}" for left, right in question.pairs)
    return question.answer


def _prompt(question: SourcedQuestion) -> str:
    """What the student is asked: the question, the statement, or the cloze with its blank."""
    if question.statement:
        return question.statement
    if question.ask:
        return question.ask
    evidence = question.evidence[0] if question.evidence else None
    if evidence is None:
        return ""
    quote, pieces, position = evidence.fact.quote, [], 0
    for start, end in evidence.highlights:
        if start >= position:
            pieces += [quote[position:start], "_____"]
            position = end
    return "".join([*pieces, quote[position:]])


def _article_view(
    article: Article, facts: Iterable[Fact], refs: dict[str, list[Ref]], questions: int
) -> ArticleView:
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for fact in facts:
        found = quoted_spans(article, fact.quote)
        if found is not None:
            paragraph, fact_spans = found
            spans.setdefault(paragraph, []).extend((s, e, fact.id) for s, e in fact_spans)
    paragraphs = []
    sentences = sentences_tested = 0
    anchor = article_anchor(article.source.id)
    for index, text in enumerate(article.paragraphs):
        marked = spans.get(index, [])
        pieces = _pieces(text, marked, refs)
        tested = any(piece.facts for piece in pieces)
        paragraphs.append(ParagraphView(f"{anchor}-p{index + 1}", index + 1, tested, pieces))
        for sentence in sentence_spans(text):
            sentences += 1
            sentences_tested += any(s < sentence.end and sentence.start < e for s, e, _ in marked)
    return ArticleView(article.source, tuple(paragraphs), questions, sentences, sentences_tested)


def _pieces(
    text: str, marked: list[tuple[int, int, str]], refs: dict[str, list[Ref]]
) -> tuple[Piece, ...]:
    """Cut the paragraph wherever a quote starts or ends; overlapping quotes share runs."""
    if not marked:
        return (Piece((), text, "", False, ()),)
    first_start: dict[str, int] = {}
    last_end: dict[str, int] = {}
    for start, end, fact in marked:
        first_start[fact] = min(start, first_start.get(fact, start))
        last_end[fact] = max(end, last_end.get(fact, end))
    anchors = {
        cut: tuple(sorted(fact_anchor(fact) for fact in facts))
        for cut, facts in _by_position(first_start).items()
    }
    links = {
        cut: tuple(sorted({ref for fact in facts for ref in refs.get(fact, ())}, key=_number))
        for cut, facts in _by_position(last_end).items()
    }
    cuts = sorted({0, len(text), *(start for start, _, _ in marked), *(e for _, e, _ in marked)})
    pieces = []
    for start, end in pairwise(cuts):
        # Cuts are every span's ends, so a run lies wholly inside or outside each span.
        facts = sorted({fact for s, e, fact in marked if s <= start < e})
        pieces.append(
            Piece(
                anchors.get(start, ()),
                text[start:end],
                ", ".join(facts),
                len(facts) > 1,
                links.get(end, ()),
            )
        )
    return tuple(pieces)


def _by_position(positions: dict[str, int]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for fact, position in positions.items():
        grouped.setdefault(position, []).append(fact)
    return grouped


def _number(ref: Ref) -> int:
    return ref.number
