"""What every part of the sourced rule shares: the problems found, answer forms, labels.

A `_Checker` (check.py) is made of one class per thing it checks: facts
(facts.py), a question's fields and the facts they cite (fields.py), and each
question type's answer and options (answers.py). Each is a mix-in over `_Rules`,
so a method reads as it did when the checker was one class in check.py; the
names keep their underscore because they are private to rules/.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..bank.messages import field_label as _label
from ..bank.model import Bank, Evidence, Fact, Location, Problem, Severity
from ..bank.sources import Article, QuoteMatch
from ..bank.text import AnswerForm, answer_form_mapped, find_word, normalise_answer


@dataclass
class _Rendered:
    """A question's fields rendered, with the facts it uses."""

    fields: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    ok: bool = True


class _Rules:
    """The bank being checked, the problems found so far, and each text's answer form once."""

    def __init__(self, bank: Bank, articles: dict[str, Article]) -> None:
        self.bank = bank
        self.articles = articles
        self.problems: list[Problem] = []
        self.sourced_facts: set[str] = set()
        # Where check found each sourced fact's quote, for the rules that read around it.
        self.quote_matches: dict[str, QuoteMatch] = {}
        self._answer_forms: dict[str, str] = {}
        # Each quote in answer form once, however many questions and options test it.
        self._quote_forms: dict[str, AnswerForm] = {}

    def problem(
        self, where: Location, subject: str, message: str, severity: Severity = Severity.ERROR
    ) -> None:
        self.problems.append(Problem(where, f"{subject}: {message}", severity))

    def _answer_form(self, text: str) -> str:
        form = self._answer_forms.get(text)
        if form is None:
            form = self._answer_forms[text] = normalise_answer(text)
        return form

    def _quote_form(self, fact: Fact) -> AnswerForm:
        form = self._quote_forms.get(fact.quote)
        if form is None:
            form = self._quote_forms[fact.quote] = answer_form_mapped(fact.quote)
        return form

    def _in_quote(self, text: str, fact: Fact) -> bool:
        return find_word(self._quote_form(fact).text, self._answer_form(text)) != -1

    def _evidence(self, fact: Fact, *answers: str) -> Evidence:
        quote = self._quote_form(fact)
        spans: list[tuple[int, int]] = []
        for answer in answers:
            spans += quote.spans(self._answer_form(answer))
        return Evidence(fact, self.bank.sources[fact.source_id], tuple(sorted(set(spans))))


def _option_label(name: str) -> str:
    return "the answer" if name == "answer" else _label(name)


def _down(where: Location, lines: int) -> Location:
    return Location(where.path, where.line + max(0, lines - 1), where.column)
