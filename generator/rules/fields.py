"""A question's fields rendered from their templates, and the facts they cite."""

from __future__ import annotations

from collections.abc import Iterable

from ..bank import templating
from ..bank.messages import did_you_mean as _did_you_mean
from ..bank.model import Location, Question
from .base import _down, _label, _Rendered, _Rules


class _FieldRules(_Rules):
    """Fields: each template renders, and every fact it names exists."""

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
        if question.template:
            return f"{message}: give the row a fact id (court: court_chicago), not text"
        if answer:
            matches = [f.id for f in self.bank.facts.values() if self._in_quote(answer, f)][:3]
            if matches:
                return f'{message}: write answer: "{{{{ {matches[0]} }}}}" (its quote has it)'
        return f"{message}: cite one with {{{{ fact_id }}}} in the answer"
