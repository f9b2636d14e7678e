"""The sourced rule: every quote is in its article, every answer is in its quote.

`check(bank, articles)` returns every problem as a value, plus the questions
with their templates rendered and their evidence found, ready for the writers.
"""

from __future__ import annotations

from ..bank.model import Bank, Problem, Question, SourcedQuestion
from ..bank.sources import Article
from . import damage, voice
from .answers import _CHECKS, _AnswerRules
from .attribution import voices
from .facts import _FactRules
from .fields import _FieldRules


def check(bank: Bank, articles: dict[str, Article]) -> tuple[list[Problem], list[SourcedQuestion]]:
    checker = _Checker(bank, articles)
    checker.check_facts()
    sourced = [q for q in map(checker.check_question, bank.questions) if q is not None]
    checker.check_reading(sourced)
    return checker.problems, sourced


class _Checker(_FactRules, _FieldRules, _AnswerRules):
    """The whole rule: a question is sourced when its fields, its facts and its answer pass."""

    def check_reading(self, sourced: list[SourcedQuestion]) -> None:
        """Warnings about how a sourced quote reads: lost words, and whose words they are."""
        for fact_id, match in self.quote_matches.items():
            fact = self.bank.facts[fact_id]
            lost = damage.lost_text(fact, self.articles[fact.source_id], match)
            if lost is not None:
                self.problems.append(lost)
        # Most articles of a large bank quote nobody: their questions need no look.
        spoken = {source_id for source_id, article in self.articles.items() if voices(article)}
        for question in sourced:
            if all(e.fact.source_id not in spoken for e in question.evidence):
                continue
            for fact, tested in voice.tested_texts(question):
                article = self.articles[fact.source_id]
                speaking = voice.tested_voice(article, self.quote_matches[fact.id], tested)
                if speaking is not None and not voice.names_speaker(question, fact, speaking):
                    self.problems.append(voice.unnamed_voice(question, fact, article, speaking))
                    break

    def check_question(self, question: Question) -> SourcedQuestion | None:
        subject = f"question '{question.id}'"
        if question.id in self.bank.retired:
            self.problem(
                question.where("id"),
                subject,
                f"this id was retired at {self.bank.retired[question.id]}: students' Anki "
                "notes still carry it, so give the question a new id",
            )
            return None
        rendered = self._render(question, subject)
        if not rendered.ok:
            return None
        if not rendered.facts:
            self.problem(question.location, subject, self._no_fact_hint(question, rendered))
            return None
        if not all(fact_id in self.sourced_facts for fact_id in rendered.facts):
            return None  # the fact's own problem is already reported
        evidence = _CHECKS[question.type](self, question, rendered, subject)
        if evidence is None:
            return None
        fields = rendered.fields
        return SourcedQuestion(
            question=question,
            ask=fields.get("ask", ""),
            answer=fields.get("answer", ""),
            wrong=tuple(fields[f"wrong[{i}]"] for i in range(len(question.wrong))),
            pairs=tuple(
                (fields[f"pairs[{i}][0]"], fields[f"pairs[{i}][1]"])
                for i in range(len(question.pairs))
            ),
            statement=fields.get("statement", ""),
            evidence=tuple(evidence),
            last_option=fields.get("last_option"),
        )
