"""What the bank holds and what it covers: counts per type, deck and article, and gaps.

A question "uses" a fact when it names it, in `fact:` or as `{{ fact_id }}` in
any field; a question belongs to each article whose facts it uses. An
article's coverage is the share of its paragraphs and sentences that at least
one fact quotes, found the way check finds quotes (`Article.find`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..bank import templating
from ..bank.model import Bank, Fact, Question, QuestionType, SourcedQuestion
from ..bank.passages import quoted_spans, sentence_spans
from ..bank.sources import Article
from ..rules.damage import damaged_spots

JSON_VERSION = 1


def facts_used(question: Question) -> set[str]:
    """The fact ids a question names, in `fact:` or in any of its templates."""
    used = {question.fact} if question.fact else set()
    for text in _template_texts(question):
        try:
            used |= templating.variables(text)
        except templating.FieldError:
            continue  # check reports it; a broken field uses nothing here
    return used


def _template_texts(question: Question) -> Iterator[str]:
    yield question.ask
    yield question.answer
    yield from question.wrong
    if question.last_option is not None:
        yield question.last_option
    for left, right in question.pairs:
        yield left
        yield right
    yield question.statement


@dataclass(frozen=True)
class ArticleStats:
    id: str
    title: str
    paragraphs: int
    paragraphs_quoted: int
    sentences: int
    sentences_quoted: int
    facts: int
    questions: int
    # Where the article lost words (rules/damage.py): "path:line:col", the words, why.
    damaged: tuple[tuple[str, str, str], ...] = ()

    @property
    def paragraph_share(self) -> float:
        return self.paragraphs_quoted / self.paragraphs if self.paragraphs else 0.0

    @property
    def sentence_share(self) -> float:
        return self.sentences_quoted / self.sentences if self.sentences else 0.0


@dataclass(frozen=True)
class TemplateStats:
    """A template (`each:`) and the questions its rows generated that passed the check."""

    id: str
    location: str
    rows: int
    questions: tuple[str, ...]


@dataclass(frozen=True)
class PoolStats:
    id: str
    location: str
    pick: int
    questions: tuple[str, ...]  # checked, printed questions the versions draw from


@dataclass(frozen=True)
class BankStats:
    questions: int
    facts: int
    per_type: dict[str, int]
    per_deck: dict[str, int]
    per_article: dict[str, int]
    articles: tuple[ArticleStats, ...]
    unused_facts: tuple[Fact, ...]
    templates: tuple[TemplateStats, ...] = ()
    pools: tuple[PoolStats, ...] = ()

    @property
    def articles_without_questions(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.articles if not a.questions)

    def as_json(self) -> dict[str, Any]:
        """The same numbers for scripts; shares are rounded to 4 decimals."""
        return {
            "version": JSON_VERSION,
            "questions": self.questions,
            "facts": self.facts,
            "questions_per_type": self.per_type,
            "questions_per_deck": self.per_deck,
            "questions_per_article": self.per_article,
            "articles": [
                {
                    "id": a.id,
                    "title": a.title,
                    "paragraphs": a.paragraphs,
                    "paragraphs_quoted": a.paragraphs_quoted,
                    "paragraph_share": round(a.paragraph_share, 4),
                    "sentences": a.sentences,
                    "sentences_quoted": a.sentences_quoted,
                    "sentence_share": round(a.sentence_share, 4),
                    "facts": a.facts,
                    "questions": a.questions,
                    "damaged_spots": [
                        {"location": where, "text": text, "reason": reason}
                        for where, text, reason in a.damaged
                    ],
                }
                for a in self.articles
            ],
            "unused_facts": [
                {"id": f.id, "source": f.source_id, "location": str(f.location)}
                for f in self.unused_facts
            ],
            "articles_without_questions": list(self.articles_without_questions),
            "templates": [
                {
                    "id": t.id,
                    "location": t.location,
                    "rows": t.rows,
                    "questions": list(t.questions),
                }
                for t in self.templates
            ],
            "pools": [
                {"id": p.id, "location": p.location, "pick": p.pick, "questions": list(p.questions)}
                for p in self.pools
            ],
        }


def bank_stats(bank: Bank, questions: Iterable[SourcedQuestion]) -> BankStats:
    """Counts over the checked questions, and coverage over every fact in the bank."""
    questions = tuple(questions)
    articles = {source_id: Article(source) for source_id, source in bank.sources.items()}
    used_by = {q.id: facts_used(q.question) & set(bank.facts) for q in questions}
    per_article: Counter[str] = Counter()
    for fact_ids in used_by.values():
        for source_id in {bank.facts[f].source_id for f in fact_ids}:
            per_article[source_id] += 1
    used = set().union(*used_by.values()) if used_by else set()
    return BankStats(
        questions=len(questions),
        facts=len(bank.facts),
        per_type={kind.value: sum(q.type is kind for q in questions) for kind in QuestionType},
        per_deck=dict(sorted(Counter(q.deck for q in questions).items())),
        per_article={source_id: per_article[source_id] for source_id in articles},
        articles=tuple(
            _article_stats(article, bank, per_article[source_id])
            for source_id, article in articles.items()
        ),
        unused_facts=tuple(
            sorted(
                (f for f in bank.facts.values() if f.id not in used),
                key=lambda f: (f.location, f.id),
            )
        ),
        templates=tuple(
            TemplateStats(
                t.id,
                str(t.location),
                len(t.question_ids),
                tuple(i for i in t.question_ids if i in used_by),
            )
            for t in bank.templates
        ),
        pools=tuple(
            PoolStats(
                p.id,
                str(p.location),
                p.pick,
                tuple(q.id for q in questions if q.question.pool == p.id and q.question.printed),
            )
            for p in sorted(bank.pools.values(), key=lambda p: p.id)
        ),
    )


def _article_stats(article: Article, bank: Bank, questions: int) -> ArticleStats:
    facts = [f for f in bank.facts.values() if f.source_id == article.source.id]
    quoted: dict[int, list[tuple[int, int]]] = {}
    for fact in facts:
        found = quoted_spans(article, fact.quote)
        if found is not None:
            quoted.setdefault(found[0], []).extend(found[1])
    sentences = 0
    sentences_quoted = 0
    for index, paragraph in enumerate(article.paragraphs):
        spans = quoted.get(index, [])
        for sentence in sentence_spans(paragraph):
            sentences += 1
            if any(start < sentence.end and sentence.start < end for start, end in spans):
                sentences_quoted += 1
    return ArticleStats(
        id=article.source.id,
        title=article.source.title,
        paragraphs=len(article.paragraphs),
        paragraphs_quoted=len(quoted),
        sentences=sentences,
        sentences_quoted=sentences_quoted,
        facts=len(facts),
        questions=questions,
        damaged=tuple(
            (spot.where(article), spot.shown, spot.reason) for spot in damaged_spots(article)
        ),
    )


def format_text(stats: BankStats) -> str:
    """The report that `quizgen stats` prints."""
    lines = [
        f"{stats.questions} questions and {stats.facts} facts over {len(stats.articles)} articles",
        "",
    ]
    lines += _table("Questions per type", stats.per_type)
    lines += _table("Questions per deck", stats.per_deck)
    lines += _table("Questions per article", stats.per_article)
    lines.append("What the facts quote, per article")
    width = max((len(a.id) for a in stats.articles), default=7)
    lines.append(f"  {'article':<{width}}  {'paragraphs':>16}  {'sentences':>16}  facts")
    for a in stats.articles:
        paragraphs = f"{a.paragraphs_quoted}/{a.paragraphs} {a.paragraph_share:>4.0%}"
        sentences = f"{a.sentences_quoted}/{a.sentences} {a.sentence_share:>4.0%}"
        lines.append(f"  {a.id:<{width}}  {paragraphs:>16}  {sentences:>16}  {a.facts:>5}")
    lines.append("")
    damaged = [(a.id, spot) for a in stats.articles for spot in a.damaged]
    lines.append(f"Places where an article lost words: {len(damaged) or 'none'}")
    lines += [
        f"  {where}: {article_id}: {text!r}: {reason}"
        for article_id, (where, text, reason) in damaged
    ]
    lines.append("")
    lines.append(f"Facts no question uses: {len(stats.unused_facts) or 'none'}")
    lines += [f"  {f.location}: {f.id} ({f.source_id})" for f in stats.unused_facts]
    lines.append("")
    without = stats.articles_without_questions
    lines.append(f"Articles with no questions: {', '.join(without) if without else 'none'}")
    lines += _templates_and_pools(stats)
    return "\n".join(lines)


def _templates_and_pools(stats: BankStats) -> list[str]:
    """The templates and pools, in a bank that has any (the report ends as before if not)."""
    lines: list[str] = []
    if stats.templates:
        lines += ["", f"Templates: {len(stats.templates)}"]
    for t in stats.templates:
        rows = f"{t.rows} row{'s' if t.rows != 1 else ''}"
        lines.append(f"  {t.id}  {rows} ({t.location}): {', '.join(t.questions)}")
    if stats.pools:
        lines += ["", f"Pools: {len(stats.pools)}"]
    for p in stats.pools:
        lines.append(f"  {p.id}  each version asks {p.pick} of {len(p.questions)} ({p.location})")
    return lines


def _table(title: str, counts: dict[str, int]) -> list[str]:
    width = max((len(name) for name in counts), default=0)
    rows = [f"  {name:<{width}}  {count:>4}" for name, count in counts.items()]
    return [title, *rows, ""]
