"""The sourced rule: every quote is in its article, every answer is in its quote.

`check(bank, articles)` returns every problem as a value, plus the questions
with their templates rendered and their evidence found, ready for the writers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import templating
from .model import (
    Bank,
    Evidence,
    Fact,
    Location,
    Problem,
    Question,
    QuestionType,
    Severity,
    SourcedQuestion,
)
from .sources import Article, Passage
from .text import AnswerForm, answer_form_mapped, find_word, normalise, normalise_answer

# A passage less similar than this (percent) would mislead more than it helps.
CLOSE_ENOUGH = 50


def closest_passage(article: Article, quote: str) -> Passage | None:
    """The article's passage to offer for a quote it lacks, when one is close enough.

    The message of a quote not found shows it; the language server's quick fix pastes it.
    """
    closest = article.closest(quote)
    return closest if closest is not None and closest.similarity >= CLOSE_ENOUGH else None


def check(bank: Bank, articles: dict[str, Article]) -> tuple[list[Problem], list[SourcedQuestion]]:
    checker = _Checker(bank, articles)
    checker.check_facts()
    sourced = [q for q in map(checker.check_question, bank.questions) if q is not None]
    return checker.problems, sourced


@dataclass
class _Rendered:
    """A question's fields rendered, with the facts it uses."""

    fields: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    ok: bool = True


class _Checker:
    def __init__(self, bank: Bank, articles: dict[str, Article]) -> None:
        self.bank = bank
        self.articles = articles
        self.problems: list[Problem] = []
        self.sourced_facts: set[str] = set()
        self._answer_forms: dict[str, str] = {}
        # Each quote in answer form once, however many questions and options test it.
        self._quote_forms: dict[str, AnswerForm] = {}

    def problem(
        self, where: Location, subject: str, message: str, severity: Severity = Severity.ERROR
    ) -> None:
        self.problems.append(Problem(where, f"{subject}: {message}", severity))

    # Facts ---------------------------------------------------------------

    def check_facts(self) -> None:
        for fact in self.bank.facts.values():
            if self._check_fact(fact):
                self.sourced_facts.add(fact.id)

    def _check_fact(self, fact: Fact) -> bool:
        subject = f"fact '{fact.id}'"
        article = self.articles.get(fact.source_id)
        bank = self.bank
        if article is None and (
            fact.source_id in bank.unreadable_sources or not bank.sources_index_read
        ):
            return False  # the seeds' own problem is reported; this fact cannot be checked yet
        if article is None:
            known = sorted(self.bank.sources)
            hint = _did_you_mean(fact.source_id, known) or f"known sources: {', '.join(known)}"
            message = f"unknown source '{fact.source_id}': {hint}"
            self.problem(fact.where("source"), subject, message)
            return False
        if article.find(fact.quote) is None:
            self.problem(fact.where("quote"), subject, self._quote_not_found(fact, article))
            return False
        if not self._in_quote(fact.value, fact):
            self.problem(
                fact.where("value"),
                subject,
                f"value {fact.value!r} does not occur in its quote: "
                "copy the value from the quote, or quote more of the article",
            )
            return False
        return True

    def _quote_not_found(self, fact: Fact, article: Article) -> str:
        message = f"quote not found in '{fact.source_id}' ({article.source.path.name})"
        elsewhere = [
            other_id
            for other_id, other in self.articles.items()
            if other_id != fact.source_id and other.find(fact.quote) is not None
        ]
        if elsewhere:
            return (
                f"{message}: this quote is in {', '.join(elsewhere)}, not {fact.source_id}; "
                f"set source: {elsewhere[0]}"
            )
        cut_word = article.partial_word(fact.quote)
        if cut_word:
            return f"{message}: {cut_word}; begin and end the quote at word boundaries"
        closest = closest_passage(article, fact.quote)
        if closest is not None:
            found = (
                f"{message}. Closest passage ({closest.similarity:.0f}% similar): {closest.text!r}"
            )
            difference = _first_difference(fact.quote, closest.text)
            if difference:
                return f"{found}; {difference}"
            return (
                f"{found}. Copy the words exactly; only case, spacing and quote or dash styles "
                "may differ, and '...' may skip words"
            )
        return f"{message}: copy the words exactly from the article"

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

    # Questions -----------------------------------------------------------

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

    def _template_fields(self, question: Question) -> Iterable[tuple[str, str]]:
        if question.ask:
            yield "ask", question.ask
        if question.answer:
            yield "answer", question.answer
        for index, wrong in enumerate(question.wrong):
            yield f"wrong[{index}]", wrong
        if question.last_option is not None:
            yield "last_option", question.last_option
        for index, (left, right) in enumerate(question.pairs):
            yield f"pairs[{index}][0]", left
            yield f"pairs[{index}][1]", right
        if question.statement:
            yield "statement", question.statement

    def _render(self, question: Question, subject: str) -> _Rendered:
        rendered = _Rendered()
        if question.fact is not None:
            if not self._known_fact(question.fact, question.where("fact"), subject):
                rendered.ok = False
            else:
                rendered.facts[question.fact] = self.bank.facts[question.fact]
        parsed: dict[str, templating.Field] = {}
        facts = self.bank.facts
        for name, text in self._template_fields(question):
            try:
                parsed[name] = template = templating.field(text)
            except templating.FieldError as error:
                where = _down(question.where(name), error.line)
                self.problem(where, subject, f"{_label(name)}: {error.message}")
                rendered.ok = False
                continue
            for fact_id in sorted(template.names):
                if fact_id in facts:
                    rendered.facts[fact_id] = facts[fact_id]
                else:
                    self._unknown_fact(fact_id, question.where(name), subject, name)
                    rendered.ok = False
        if not rendered.ok:
            return rendered
        values = {fact_id: fact.value for fact_id, fact in rendered.facts.items()}
        for name, template in parsed.items():
            try:
                rendered.fields[name] = template.render(values).strip()
            except templating.FieldError as error:
                self.problem(question.where(name), subject, f"{_label(name)}: {error.message}")
                rendered.ok = False
                continue
            if not rendered.fields[name]:
                self.problem(question.where(name), subject, f"{_label(name)} is empty")
                rendered.ok = False
        return rendered

    def _known_fact(self, fact_id: str, where: Location, subject: str) -> bool:
        if fact_id in self.bank.facts:
            return True
        self._unknown_fact(fact_id, where, subject, "fact")
        return False

    def _unknown_fact(self, fact_id: str, where: Location, subject: str, name: str) -> None:
        hint = _did_you_mean(fact_id, list(self.bank.facts)) or "define it under facts:"
        self.problem(where, subject, f"{_label(name)}: unknown fact '{fact_id}': {hint}")

    def _no_fact_hint(self, question: Question, rendered: _Rendered) -> str:
        answer = rendered.fields.get("answer", "")
        message = "uses no fact, so nothing proves its answer"
        if answer:
            matches = [f.id for f in self.bank.facts.values() if self._in_quote(answer, f)][:3]
            if matches:
                return f'{message}: write answer: "{{{{ {matches[0]} }}}}" (its quote has it)'
        return f"{message}: cite one with {{{{ fact_id }}}} in the answer"

    def _evidence(self, fact: Fact, *answers: str) -> Evidence:
        quote = self._quote_form(fact)
        spans: list[tuple[int, int]] = []
        for answer in answers:
            spans += quote.spans(self._answer_form(answer))
        return Evidence(fact, self.bank.sources[fact.source_id], tuple(sorted(set(spans))))

    def _check_answered(
        self, question: Question, rendered: _Rendered, subject: str
    ) -> list[Evidence] | None:
        answer = rendered.fields["answer"]
        # A fact proves the answer where its quote has the answer to highlight.
        candidates = (self._evidence(fact, answer) for fact in rendered.facts.values())
        proving = [evidence for evidence in candidates if evidence.highlights]
        if not proving:
            cited = ", ".join(f"'{fact_id}'" for fact_id in rendered.facts)
            self.problem(
                question.where("answer"),
                subject,
                f"answer {answer!r} is not in the quote of {cited}: an answer may only use "
                "words its quote contains (a literal added beside {{ fact }} needs a quote "
                "that has it)",
            )
            return None
        return proving

    def _check_choice(
        self, question: Question, rendered: _Rendered, subject: str
    ) -> list[Evidence] | None:
        evidence = self._check_answered(question, rendered, subject)
        # Each option's answer form, and the field that first gave it.
        options = {self._answer_form(rendered.fields["answer"]): "answer"}
        names = [f"wrong[{i}]" for i in range(len(question.wrong))]
        if question.last_option is not None:
            names.append("last_option")
        ok = True
        for name in names:
            text = rendered.fields[name]
            form = self._answer_form(text)
            if form in options:
                self.problem(
                    question.where(name),
                    subject,
                    f"{_label(name)} {text!r} is the same as {_option_label(options[form])}: "
                    "each option must differ",
                )
                ok = False
                continue
            options[form] = name
            # A distractor the proving quote also contains may be right too.
            for item in evidence or ():
                if self._in_quote(text, item.fact):
                    self.problem(
                        question.where(name),
                        subject,
                        f"{_label(name)} {text!r} also occurs in the quote of '{item.fact.id}', "
                        "which proves the answer: make sure the question rules it out",
                        Severity.WARNING,
                    )
        return evidence if ok else None

    def _check_cloze(
        self, question: Question, rendered: _Rendered, subject: str
    ) -> list[Evidence] | None:
        fact = self.bank.facts[question.fact or ""]
        rendered.fields["answer"] = fact.value
        evidence = self._evidence(fact, fact.value)
        if len(evidence.highlights) > 1:
            self.problem(
                question.where("fact"),
                subject,
                f"the value {fact.value!r} of '{fact.id}' occurs {len(evidence.highlights)} times "
                "in its quote, so the blank is ambiguous: quote less, or use a fact whose value "
                "occurs once",
            )
            return None
        return [evidence]

    def _check_match(
        self, question: Question, rendered: _Rendered, subject: str
    ) -> list[Evidence] | None:
        evidence: list[Evidence] = []
        ok = True
        for side in (0, 1):
            seen: dict[str, int] = {}
            for index in range(len(question.pairs)):
                form = self._answer_form(rendered.fields[f"pairs[{index}][{side}]"])
                if form in seen:
                    self.problem(
                        question.where(f"pairs[{index}][{side}]"),
                        subject,
                        f"pair {index + 1} repeats pair {seen[form] + 1}: "
                        "each side of a match must be different",
                    )
                    ok = False
                seen.setdefault(form, index)
        for index in range(len(question.pairs)):
            left = rendered.fields[f"pairs[{index}][0]"]
            right = rendered.fields[f"pairs[{index}][1]"]
            proving = next(
                (
                    f
                    for f in rendered.facts.values()
                    if self._in_quote(left, f) and self._in_quote(right, f)
                ),
                None,
            )
            if proving is None:
                self.problem(
                    question.where(f"pairs[{index}][0]"),
                    subject,
                    f"pair {index + 1} ({left!r} → {right!r}) is not in one quote: both sides "
                    "must occur in the same quote of a fact the question uses, which proves "
                    "the pairing",
                )
                ok = False
                continue
            evidence.append(self._evidence(proving, left, right))
        return evidence if ok else None

    def _check_truefalse(
        self, question: Question, rendered: _Rendered, subject: str
    ) -> list[Evidence] | None:
        fact = self.bank.facts[question.fact or ""]
        if fact.id not in templating.variables(question.statement):
            self.problem(
                question.where("statement"),
                subject,
                f"statement must use {{{{ {fact.id} }}}}, the fact it is judged by",
            )
            return None
        if question.is_true:
            rendered.fields["answer"] = "True"
            return [self._evidence(fact, fact.value)]
        instead = (question.instead or "").strip()
        if self._answer_form(instead) == self._answer_form(fact.value):
            self.problem(
                question.where("instead"),
                subject,
                f"instead {instead!r} is the fact's own value, so the statement would be true",
            )
            return None
        if self._in_quote(instead, fact):
            self.problem(
                question.where("instead"),
                subject,
                f"instead {instead!r} occurs in the quote of '{fact.id}', so the statement "
                "might be true: choose a value the quote does not contain",
            )
            return None
        values = {fact_id: other.value for fact_id, other in rendered.facts.items()}
        # The student sees the statement with the wrong value in place of the fact's.
        rendered.fields["statement"] = templating.render(
            question.statement, {**values, fact.id: instead}
        ).strip()
        rendered.fields["answer"] = "False"
        return [self._evidence(fact, fact.value)]


_CHECKS = {
    QuestionType.SHORT: _Checker._check_answered,
    QuestionType.CHOICE: _Checker._check_choice,
    QuestionType.CLOZE: _Checker._check_cloze,
    QuestionType.MATCH: _Checker._check_match,
    QuestionType.TRUEFALSE: _Checker._check_truefalse,
}


def _first_difference(quote: str, passage: str) -> str:
    """Where a quote first departs from the passage it is closest to, word by word."""
    if "..." in quote or "…" in quote:
        return ""  # skipped words would all count as differences
    quoted = normalise(quote).split()
    printed = normalise(passage).split()
    matcher = difflib.SequenceMatcher(a=quoted, b=printed, autojunk=False)
    for tag, q_start, q_end, p_start, p_end in matcher.get_opcodes():
        ours, theirs = " ".join(quoted[q_start:q_end]), " ".join(printed[p_start:p_end])
        if tag == "replace":
            return f"the quote has {ours!r} where the article has {theirs!r}"
        if tag == "delete":
            return f"the quote adds {ours!r}"
        if tag == "insert" and 0 < q_start < len(quoted):
            return f"the quote leaves out {theirs!r}"
    return ""


_INDEXED = re.compile(r"(wrong|pairs)\[(\d+)\](?:\[(\d)\])?")


def _label(name: str) -> str:
    """A field key as the message names it, counted from 1: 'wrong[1]' → 'wrong option 2'."""
    match = _INDEXED.fullmatch(name)
    if match is None:
        return name
    kind, index, side = match.groups()
    if kind == "wrong":
        return f"wrong option {int(index) + 1}"
    return f"pair {int(index) + 1}, {'left' if side == '0' else 'right'} side"


def _option_label(name: str) -> str:
    return "the answer" if name == "answer" else _label(name)


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _down(where: Location, lines: int) -> Location:
    return Location(where.path, where.line + max(0, lines - 1), where.column)
