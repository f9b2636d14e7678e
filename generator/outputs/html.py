"""The one Jinja environment for HTML pages (quizzes, reports), built once and shared.

Everything a page shows comes from YAML that anyone may have written, so the
environment is sandboxed and autoescapes every value; StrictUndefined turns a
misspelt name in a template into an error instead of a silent blank. Render
functions return strings; writing them is the build's job.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cache, partial
from itertools import groupby, islice
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_environment
from jinja2.sandbox import ImmutableSandboxedEnvironment

TEMPLATES = Path(__file__).with_name("templates")


def split_at(text: str, spans: Iterable[Sequence[int]]) -> Iterator[tuple[str, bool]]:
    """The text as pieces, each with whether it lies inside one of the spans.

    Templates mark or blank the inside pieces, so the text itself is still
    escaped by the template and never turned into markup here.
    """
    position = 0
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if start < position or start >= end:
            continue  # overlapping or empty spans: the first one wins
        if start > position:
            yield text[position:start], False
        yield text[start:end], True
        position = end
    if position < len(text) or not text:
        yield text[position:], False


@pass_environment
def runs(environment: Environment, items: Iterable[Any], attribute: str) -> list[tuple[Any, list]]:
    """Each run of consecutive items with the same attribute, as (value, items).

    Jinja's groupby sorts the items first, which would merge runs that are
    apart; a run keeps the items' order.
    """
    value = partial(environment.getattr, attribute=attribute)
    return [(shared, list(run)) for shared, run in groupby(items, key=value)]


@pass_environment
def longest(environment: Environment, items: Iterable[Any], attribute: str) -> int:
    """The length of the longest of the items' attribute; 0 for no items.

    One filter instead of Jinja's map|map|max chain, which cost more than the
    rest of a choice question.
    """
    return max((len(environment.getattr(item, attribute)) for item in items), default=0)


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, remembering its verdict on each (type, attribute name).

    The verdict depends only on those two, and working it out again on every
    attribute access was over half the time of rendering a 10k-question quiz.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


@cache
def environment() -> ImmutableSandboxedEnvironment:
    env = _Sandbox(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["split_at"] = split_at
    env.filters["runs"] = runs
    env.filters["longest"] = longest
    return env


def render_page(template_name: str, **context: Any) -> str:
    """Render one page template from generator/templates/ with the given values."""
    return environment().get_template(template_name).render(**context)


def template_macros(template_name: str) -> Any:
    """The macros of a template in generator/templates/, to call from Python.

    Each call returns Markup: its values escaped by the same sandboxed,
    autoescaping environment as a page, so a page can include it as it is.
    """
    return environment().get_template(template_name).module


def render_page_utf8(template_name: str, **context: Any) -> bytes:
    """render_page's text as UTF-8, encoded a few thousand pieces at a time.

    A page is millions of small strings when it holds every deck's quiz (125 MB at
    100,000 questions): joining them all, then encoding, took five times the page's
    size in memory; encoding as they come takes twice.
    """
    pieces = environment().get_template(template_name).generate(**context)
    chunks = []
    while batch := list(islice(pieces, 4096)):
        chunks.append("".join(batch).encode("utf-8"))
    return b"".join(chunks)
