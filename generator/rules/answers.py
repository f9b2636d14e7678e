"""Each question type's answer: what proves it, and what its options must not repeat.

`_CHECKS` is the one table of question types in rules/: a new type adds its
method here and one line to the table.
"""

from __future__ import annotations

from ..bank import templating
from ..bank.model import Evidence, Question, QuestionType, Severity
from . import kinds
from .base import _label, _option_label, _Rendered, _Rules


class _AnswerRules(_Rules):
    """Answers: per question type, the facts that prove the answer, and distinct options."""

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
        unlike = kinds.mismatch(fact.value, instead)
        if unlike is not None:
            self.problem(question.where("instead"), subject, unlike, Severity.WARNING)
        values = {fact_id: other.value for fact_id, other in rendered.facts.items()}
        # The student sees the statement with the wrong value in place of the fact's.
        rendered.fields["statement"] = templating.render(
            question.statement, {**values, fact.id: instead}
        ).strip()
        rendered.fields["answer"] = "False"
        return [self._evidence(fact, fact.value)]


_CHECKS = {
    QuestionType.SHORT: _AnswerRules._check_answered,
    QuestionType.CHOICE: _AnswerRules._check_choice,
    QuestionType.CLOZE: _AnswerRules._check_cloze,
    QuestionType.MATCH: _AnswerRules._check_match,
    QuestionType.TRUEFALSE: _AnswerRules._check_truefalse,
}
