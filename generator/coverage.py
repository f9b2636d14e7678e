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
from dataclasses import dataclass, field
from itertools import pairwise

from .build import BuildContext
from .find import quoted_spans, sentence_spans
from .html import render_page_utf8
from .model import Fact, Source, SourcedQuestion
from .paths import deck_slug
from .sources import Article

COVERAGE_FILE = "coverage.html"


@dataclass(frozen=True)
class Ref:
    """A link from a passage to a question that it proves."""

    number: int
    question_id: str

    @property
    def href(self) -> str:
        return "#" + question_anchor(self.question_id)


@dataclass
class Piece:
    """A run of a paragraph's text with one set of facts quoting it."""

    text: str
    facts: tuple[str, ...] = ()
    anchors: list[str] = field(default_factory=list)  # ids of the quotes that start here
    refs: list[Ref] = field(default_factory=list)  # questions, after a quote's last run

    @property
    def tested(self) -> bool:
        return bool(self.facts)


@dataclass(frozen=True)
class ParagraphView:
    number: int
    pieces: tuple[Piece, ...]

    @property
    def tested(self) -> bool:
        return any(piece.tested for piece in self.pieces)


@dataclass(frozen=True)
class ArticleView:
    source: Source
    paragraphs: tuple[ParagraphView, ...]
    questions: int
    sentences: int
    sentences_tested: int

    @property
    def anchor(self) -> str:
        return f"article-{self.source.id}"

    @property
    def share(self) -> float:
        return self.sentences_tested / self.sentences if self.sentences else 0.0


@dataclass(frozen=True)
class QuestionView:
    number: int
    question: SourcedQuestion
    prompt: str
    facts: tuple[Fact, ...]

    @property
    def anchor(self) -> str:
        return question_anchor(self.question.id)

    @property
    def answer(self) -> str:
        if self.question.pairs:
            return "; ".join(f"{left} → {right}" for left, right in self.question.pairs)
        return self.question.answer

    @property
    def passages(self) -> tuple[tuple[str, str], ...]:
        """(href, label) of each quote that proves the answer."""
        return tuple((f"#{fact_anchor(f.id)}", f"{f.source_id}: {f.id}") for f in self.facts)


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


def coverage_html(
    questions: Sequence[SourcedQuestion],
    deck: str | None = None,
    all_sources: Iterable[Source] = (),
) -> str:
    return coverage_utf8(questions, deck, all_sources).decode("utf-8")


def coverage_utf8(
    questions: Sequence[SourcedQuestion],
    deck: str | None = None,
    all_sources: Iterable[Source] = (),
) -> bytes:
    """coverage_html as the bytes of the file, in far less memory for a large bank."""
    views = [
        QuestionView(number, question, _prompt(question), _proving_facts(question))
        for number, question in enumerate(questions, start=1)
    ]
    refs: dict[str, list[Ref]] = {}
    sources: dict[str, Source] = {source.id: source for source in all_sources}
    facts: dict[str, Fact] = {}
    for view in views:
        for fact in view.facts:
            facts.setdefault(fact.id, fact)
            sources.setdefault(fact.source_id, _source(view.question, fact.source_id))
            refs.setdefault(fact.id, []).append(Ref(view.number, view.question.id))
    # Grouped in one pass: filtering every fact and question per article is quadratic.
    facts_by_source: dict[str, list[Fact]] = {}
    for fact in facts.values():
        facts_by_source.setdefault(fact.source_id, []).append(fact)
    citing = Counter(source_id for v in views for source_id in {f.source_id for f in v.facts})
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
    for index, text in enumerate(article.paragraphs):
        marked = spans.get(index, [])
        paragraphs.append(ParagraphView(index + 1, tuple(_pieces(text, marked, refs))))
        for sentence in sentence_spans(text):
            sentences += 1
            sentences_tested += any(s < sentence.end and sentence.start < e for s, e, _ in marked)
    return ArticleView(article.source, tuple(paragraphs), questions, sentences, sentences_tested)


def _pieces(
    text: str, marked: list[tuple[int, int, str]], refs: dict[str, list[Ref]]
) -> list[Piece]:
    """Cut the paragraph wherever a quote starts or ends; overlapping quotes share runs."""
    cuts = sorted({0, len(text), *(s for s, _, _ in marked), *(e for _, e, _ in marked)})
    first_start = {fact: min(s for s, _, f in marked if f == fact) for _, _, fact in marked}
    last_end = {fact: max(e for _, e, f in marked if f == fact) for _, _, fact in marked}
    pieces = []
    for start, end in pairwise(cuts):
        covering = tuple(sorted({f for s, e, f in marked if s <= start and end <= e}))
        piece = Piece(text[start:end], covering)
        piece.anchors = sorted(fact_anchor(f) for f, at in first_start.items() if at == start)
        for fact in sorted(f for f, at in last_end.items() if at == end):
            piece.refs += [ref for ref in refs.get(fact, []) if ref not in piece.refs]
        piece.refs.sort(key=lambda ref: ref.number)
        pieces.append(piece)
    return pieces
