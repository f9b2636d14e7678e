"""Question fields are Jinja templates over fact ids, rendered in a sandbox.

Text from YAML is untrusted: the sandbox refuses attribute walks such as
`__class__`, StrictUndefined makes an unknown name an error instead of an
empty string, and output is plain text (the writers escape it for HTML).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

# Jinja is imported on first need: fields that only say "{{ fact_id }}" never need
# it, and a clean `quizgen check` starts ~20 ms sooner without it.
if TYPE_CHECKING:
    from jinja2 import nodes
    from jinja2.sandbox import ImmutableSandboxedEnvironment


@cache
def _environment() -> ImmutableSandboxedEnvironment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    environment = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
    )
    # Without this, "{{ range }}" or "{{ lipsum }}" would print a Python object's repr.
    environment.globals.clear()
    return environment


# Jinja binds this name itself, so a fact by that name could never be reached.
_RESERVED = frozenset({"self"})
# Fields only substitute facts. Loops and expressions are refused up front, so
# a hostile file cannot make rendering slow ("{% for %}" nested a few deep).
ALLOWED_FILTERS = frozenset({"capitalize", "lower", "title", "trim", "upper"})


class FieldError(Exception):
    """A template in a question field could not be parsed or rendered."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


@lru_cache(maxsize=65536)
def _parse(text: str) -> tuple[nodes.Template, frozenset[str]]:
    from jinja2 import TemplateError, nodes

    allowed = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Filter)
    try:
        tree = _environment().parse(text)
    except TemplateError as error:
        line = getattr(error, "lineno", 1) or 1
        raise FieldError(f"template error: {error.message}", line) from None
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, allowed) or (
            isinstance(node, nodes.Filter) and (node.name not in ALLOWED_FILTERS or node.args)
        ):
            raise FieldError(
                "only {{ fact_id }} is allowed here, optionally with a filter ("
                + ", ".join(sorted(ALLOWED_FILTERS))
                + f"); remove {_describe(node)}",
                getattr(node, "lineno", 1) or 1,
            )
    names = frozenset(node.name for node in tree.find_all(nodes.Name))
    for name in names & _RESERVED:
        raise FieldError(f"'{name}' is reserved in templates; it cannot name a fact")
    return tree, names


def _describe(node: nodes.Node) -> str:
    """The construct a contributor wrote, in the words of the template language."""
    from jinja2 import nodes

    constructs = {
        nodes.Assign: "the {% set %}",
        nodes.AssignBlock: "the {% set %}",
        nodes.Call: "the call '(…)'",
        nodes.Concat: "the operator '~'",
        nodes.Getitem: "the indexing '[…]'",
        nodes.Literal: "the literal",
    }
    if isinstance(node, nodes.Getattr):
        return f"the attribute access '.{node.attr}'"
    if isinstance(node, nodes.Filter):
        return f"the filter '{node.name}'" + (" and its arguments" if node.args else "")
    if isinstance(node, nodes.BinExpr | nodes.UnaryExpr):
        return f"the operator '{node.operator}'"
    for kind, words in constructs.items():
        if isinstance(node, kind):
            return words
    if isinstance(node, nodes.Stmt):
        return f"the {{% {type(node).__name__.lower()} %}}"
    return f"the {type(node).__name__.lower()}"


# Nearly every field is text with a few "{{ fact_id }}" or "{{ fact_id | filter }}" in
# it. Those are split with a regular expression and rendered directly, which gives what
# Jinja gives (anything else goes to Jinja itself) without parsing and compiling a
# template for each of thousands of fields: that was most of the time of `check`.
_REFERENCE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*((?:\|\s*[a-z]+\s*)*)\}\}")
_FILTER_NAME = re.compile(r"[a-z]+")
# Words Jinja reads as constants or operators, and the reserved names: Jinja decides.
_JINJA_WORDS = _RESERVED | {"true", "false", "none", "True", "False", "None"}
_JINJA_WORDS |= {"and", "or", "not", "in", "is", "if", "else"}
_Segment = str | tuple[str, tuple[str, ...]]


def _references(text: str) -> tuple[_Segment, ...] | None:
    """The field as literal text and (fact id, filters), or None if only Jinja can read it."""
    if "{%" in text or "{#" in text or "\r" in text:
        return None
    segments: list[_Segment] = []
    position = 0
    for match in _REFERENCE.finditer(text):
        literal = text[position : match.start()]
        name, filters = match.group(1), tuple(_FILTER_NAME.findall(match.group(2)))
        if "{{" in literal or literal.endswith("{") or name in _JINJA_WORDS:
            return None
        if not ALLOWED_FILTERS.issuperset(filters):
            return None
        if literal:
            segments.append(literal)
        segments.append((name, filters))
        position = match.end()
    rest = text[position:]
    if "{{" in rest:
        return None
    # keep_trailing_newline=False: Jinja drops one newline at the end of the text.
    rest = rest.removesuffix("\n")
    if rest:
        segments.append(rest)
    return tuple(segments)


class Field:
    """A field's text read once: the fact ids it uses, and how to put their values in."""

    __slots__ = ("_segments", "_text", "names")

    def __init__(
        self, text: str, segments: tuple[_Segment, ...] | None, names: frozenset[str]
    ) -> None:
        self._text = text
        self._segments = segments  # None: only Jinja can render it
        self.names = names

    def render(self, values: dict[str, str]) -> str:
        """The field with each fact id replaced by the fact's value."""
        if self._segments is not None:
            return _render_references(self._segments, values)
        from jinja2 import TemplateError

        try:
            return _compiled(self._text).render(values)
        except TemplateError as error:
            raise FieldError(f"template error: {error.message or error}") from None
        except (ArithmeticError, TypeError, ValueError, OverflowError, RecursionError) as error:
            raise FieldError(f"template error: {error}") from None


_NO_NAMES: frozenset[str] = frozenset()


def field(text: str) -> Field:
    """The field, parsed; FieldError if it is not a template that only substitutes facts."""
    if is_template(text):
        return _template(text)
    return Field(text, (text,), _NO_NAMES)


# Questions that cite one fact the same way share their fields' text.
@lru_cache(maxsize=65536)
def _template(text: str) -> Field:
    segments = _references(text)
    if segments is None:
        return Field(text, None, _parse(text)[1])
    return Field(text, segments, frozenset(s[0] for s in segments if isinstance(s, tuple)))


def variables(text: str) -> frozenset[str]:
    """The fact ids a field refers to."""
    return field(text).names


@lru_cache(maxsize=65536)
def _compiled(text: str):
    tree, _ = _parse(text)
    return _environment().from_string(tree)


def render(text: str, values: dict[str, str]) -> str:
    """The field with each fact id replaced by the fact's value."""
    return field(text).render(values)


def _render_references(segments: tuple[_Segment, ...], values: dict[str, str]) -> str:
    if len(segments) == 1 and isinstance(segments[0], str):
        return segments[0]
    parts: list[str] = []
    for segment in segments:
        if isinstance(segment, str):
            parts.append(segment)
            continue
        name, filters = segment
        if name not in values:
            raise FieldError(f"template error: '{name}' is undefined")
        value = values[name]
        for filter_name in filters:
            value = _environment().filters[filter_name](value)
        parts.append(str(value))
    return "".join(parts)


def substitute(text: str, facts: dict[str, str], texts: dict[str, str]) -> str | None:
    """The field with a template's row variables put in, still a template over fact ids.

    A variable in facts becomes a reference to its fact (`{{ court }}` → `{{ court_chicago }}`,
    filters kept); a variable in texts becomes its text, filtered now. Any other name is left
    as written. None if only Jinja can read the field, so the variables cannot be found.
    The texts must hold no '{': put into the field, one could start a template tag.
    """
    if not is_template(text):
        return text
    segments = _references(text)
    if segments is None:
        return None
    parts: list[str] = []
    for segment in segments:
        if isinstance(segment, str):
            parts.append(segment)
            continue
        name, filters = segment
        if name in texts:
            value = texts[name]
            for filter_name in filters:
                value = str(_environment().filters[filter_name](value))
            parts.append(value)
        else:
            piped = "".join(f" | {filter_name}" for filter_name in filters)
            parts.append(f"{{{{ {facts.get(name, name)}{piped} }}}}")
    return "".join(parts)
