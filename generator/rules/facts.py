"""The sourced rule for facts: the quote is in its article, the value is in its quote."""

from __future__ import annotations

import difflib

from ..bank.messages import did_you_mean as _did_you_mean
from ..bank.model import Fact
from ..bank.sources import Article, Passage
from ..bank.text import normalise
from .base import _Rules

# A passage less similar than this (percent) would mislead more than it helps.
CLOSE_ENOUGH = 50


def closest_passage(article: Article, quote: str) -> Passage | None:
    """The article's passage to offer for a quote it lacks, when one is close enough.

    The message of a quote not found shows it; the language server's quick fix pastes it.
    """
    closest = article.closest(quote)
    return closest if closest is not None and closest.similarity >= CLOSE_ENOUGH else None


class _FactRules(_Rules):
    """Facts: each quote is in its article, each value in its quote."""

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
        match = article.find(fact.quote)
        if match is None:
            self.problem(fact.where("quote"), subject, self._quote_not_found(fact, article))
            return False
        self.quote_matches[fact.id] = match
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
