"""What kind of thing a value is, so a false statement swaps like for like.

A false true/false statement prints `instead` where the fact's value stands. It
is false only if the article contradicts it: "that's the job of the courts"
where the article says "Congress" is contradicted, but a value of another kind
("that's the job of 48 hours") is nonsense, and a value the article is merely
silent about ("COPS funds" where the quote says "Byrne JAG funds", and says
nothing of COPS) is not contradicted at all. check cannot read the article's
meaning, but it can see the first kind of mistake: `instead` must be of the
same kind as the value. The kinds, tried in this order:

- **a date**: a month or weekday name, or a year (1800-2099) standing alone;
- **an amount of money**: "$" or a currency word with a number;
- **a name**: a phrase with a capitalised word (not counting a leading "The",
  "A" or "An"), such as "Seventh Circuit", "10th Amendment", "Section 1373" or
  "Byrne JAG funds";
- **a number**: any other number, in digits or in words ("nine jurisdictions",
  "10th", "48 hours");
- **words**: anything else ("broad and undefined", "weak").
"""

from __future__ import annotations

import re

from ..bank.text import normalise_answer

_MONTHS_AND_DAYS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday"
)
_DATE = re.compile(
    rf"\b(?:{'|'.join(_MONTHS_AND_DAYS.split())})\b\.?|(?<![\d$.,])(?:18|19|20)\d\d(?![\d%]|,\d)"
    r"|\b\d{4}-\d\d-\d\d\b"
)
_MONEY = re.compile(r"\$\s*\d|\d[\d.,]*\s*(?:dollars?|cents?|euros?|pounds?)\b")
_DIGIT = re.compile(r"\d")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)

KINDS = {
    "date": "a date",
    "money": "an amount of money",
    "number": "a number",
    "name": "a name",
    "words": "words",
}


def kind_of(value: str) -> str:
    """The kind of a value, as a key of KINDS."""
    # Numbers in words become digits ("nine" → "9"), so "nine" and "12" are both numbers.
    answer = normalise_answer(value)
    if _DATE.search(answer):
        return "date"
    if _MONEY.search(answer):
        return "money"
    if any(word[:1].isupper() for word in _ARTICLE.sub("", value.strip()).split()):
        return "name"
    if _DIGIT.search(answer):
        return "number"
    return "words"


def mismatch(value: str, instead: str) -> str | None:
    """Why instead cannot stand for value, or None when they are of one kind."""
    value_kind, instead_kind = kind_of(value), kind_of(instead)
    if value_kind == instead_kind:
        return None
    return (
        f"instead {instead!r} is {KINDS[instead_kind]} where the fact's value {value!r} is "
        f"{KINDS[value_kind]}, so the article may not contradict it: a false statement must "
        f"contradict the article, so choose {KINDS[value_kind]} that the article rules out"
    )
