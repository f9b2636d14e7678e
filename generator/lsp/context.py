"""What the cursor is on, read from the lines of the document as typed.

A file being edited is often not valid YAML, so completion, hover and go to definition do not
parse it: they read the line under the cursor and the indentation of the lines above it,
which say which mapping a key belongs to even when the file does not load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A fact id inside '{{ … }}': Jinja names, as the templates use them.
_NAME = re.compile(r"[A-Za-z0-9_]*")
_ID = re.compile(r"[A-Za-z0-9_-]*")
_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>(?:- +)*)(?P<key>[A-Za-z_][\w-]*)\s*:(?:\s|$)")
_VALUE_AT = re.compile(
    r"^ *(?:- +)*(?P<key>[A-Za-z_][\w-]*)\s*:\s+(?P<quote>['\"]?)(?P<prefix>[\w-]*)$"
)
_KEY_AT = re.compile(r"^(?P<indent> *)(?P<dash>(?:- +)*)(?P<prefix>[A-Za-z_]?[\w-]*)$")


@dataclass(frozen=True)
class InTemplate:
    """Inside '{{ … }}': a fact id is expected; prefix is what is typed of it."""

    prefix: str


@dataclass(frozen=True)
class AfterKey:
    """The value of `key:` on this line; path is the mapping the key is in."""

    key: str
    prefix: str
    path: tuple[str, ...]


@dataclass(frozen=True)
class AtKey:
    """A key being typed at the start of a line, inside the mapping at path."""

    prefix: str
    path: tuple[str, ...]


Context = InTemplate | AfterKey | AtKey | None


def at_cursor(lines: list[str], row: int, column: int) -> Context:
    """What is expected at a 0-based row and code-point column."""
    line = lines[row] if row < len(lines) else ""
    before = line[:column]
    opened = before.rfind("{{")
    if opened != -1 and "}}" not in before[opened:]:
        typed = before[opened + 2 :]
        name = re.search(r"[A-Za-z0-9_]*$", typed)
        if typed[: len(typed) - len(name.group())].strip() == "":
            return InTemplate(name.group())
        return None
    value = _VALUE_AT.match(before)
    if value:
        indent = len(before) - len(before.lstrip(" -"))
        return AfterKey(value["key"], value["prefix"], mapping_path(lines, row, indent))
    key = _KEY_AT.match(before)
    if key and ":" not in line[column:].split("#")[0][:1]:
        indent = len(key["indent"]) + len(key["dash"])
        path = mapping_path(lines, row, indent)
        if key["dash"]:
            path = (*mapping_path(lines, row, len(key["indent"])), "-")
        return AtKey(key["prefix"], path)
    return None


def mapping_path(lines: list[str], row: int, indent: int) -> tuple[str, ...]:
    """The keys (and '-' for list items) that lead to a key at this indentation on row.

    ("facts", "clawback") for a key inside a fact, ("questions", "-") inside a question.
    """
    path: list[str] = []
    limit = indent
    for above in range(row - 1, -1, -1):
        if limit == 0:
            break
        text = lines[above].rstrip("\r\n")
        stripped = text.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        own_indent = len(text) - len(stripped)
        if own_indent >= limit:
            continue  # a sibling, or deeper than the mapping we are in
        match = _KEY_LINE.match(text)
        if stripped.startswith("-"):
            content = len(text) - len(stripped.lstrip("- "))
            if match is not None and content < limit:
                path.append(match["key"])  # `- key:` whose value holds us
            path.append("-")
        elif match is not None:
            path.append(match["key"])
        else:
            continue  # a line of text that runs over, not a key
        limit = own_indent
    return tuple(reversed(path))


def word_at(line: str, column: int, pattern: re.Pattern[str] = _ID) -> tuple[str, int, int]:
    """The id under a code-point column: its text, start and end (empty if none)."""
    start = column
    while start > 0 and pattern.fullmatch(line[start - 1]):
        start -= 1
    end = column
    while end < len(line) and pattern.fullmatch(line[end]):
        end += 1
    return line[start:end], start, end


def in_template(line: str, column: int) -> bool:
    """Whether the column is between a '{{' and its '}}' on the line."""
    opened = line.rfind("{{", 0, column + 1)
    if opened == -1:
        return False
    closed = line.find("}}", opened)
    return closed == -1 or column <= closed


def value_key(line: str, column: int) -> str | None:
    """The key whose value the column is in, on a `key: value` line."""
    match = _KEY_LINE.match(line)
    if match is None or column < match.end():
        return None
    return match["key"]


def key_of_line(line: str) -> tuple[str, int] | None:
    """The key a line starts with and its column, if it does."""
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    return match["key"], len(match["indent"]) + len(match["dash"])


def template_name_at(line: str, column: int) -> tuple[str, int, int]:
    """A fact id in a template under the column."""
    return word_at(line, column, _NAME)
