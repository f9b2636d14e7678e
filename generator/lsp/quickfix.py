"""Quick fixes, computed from the document when the editor asks for them.

Not every client sends a diagnostic's `data` back, so nothing is stored in the diagnostics:
the document is checked again (or its last check reused, if its text is the same), and each
problem on the requested lines offers its fix:

- a quote that is not found: the closest passage of the article, when check would show one
  (the same `closest_passage` that check's message quotes);
- an unknown key, fact, source or type whose message says "did you mean 'x'?": x.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass

import yaml

from .project import Problem, Snapshot, closest_passage

_DID_YOU_MEAN = re.compile(r"unknown [a-z ]+ '(?P<wrong>[^']+)': did you mean '(?P<right>[^']+)'\?")


@dataclass(frozen=True)
class Fix:
    """Replace text between two 0-based (line, code-point column) places with new text."""

    title: str
    problem: Problem
    start: tuple[int, int]
    end: tuple[int, int]
    text: str
    preferred: bool = True


def fixes(snapshot: Snapshot, problems: list[Problem], text: str) -> list[Fix]:
    found: list[Fix] = []
    lines = text.split("\n")
    for problem in problems:
        fix = _closest_quote(snapshot, problem, text) or _did_you_mean(problem, lines)
        if fix is not None:
            found.append(fix)
    return found


def _did_you_mean(problem: Problem, lines: list[str]) -> Fix | None:
    match = _DID_YOU_MEAN.search(problem.message)
    if match is None:
        return None
    wrong, right = match["wrong"], match["right"]
    pattern = re.compile(rf"(?<![\w-]){re.escape(wrong)}(?![\w-])")
    row, column = problem.location.line - 1, problem.location.column - 1
    # The word is at the problem's place, or further on in the field it names.
    for offset in range(0, 50):
        if row + offset >= len(lines):
            break
        found = pattern.search(lines[row + offset], column if offset == 0 else 0)
        if found:
            start = (row + offset, found.start())
            return Fix(
                f"Replace '{wrong}' with '{right}'",
                problem,
                start,
                (row + offset, found.end()),
                right,
            )
    return None


def _closest_quote(snapshot: Snapshot, problem: Problem, text: str) -> Fix | None:
    if "quote not found" not in problem.message:
        return None
    fact = next(
        (fact for fact in snapshot.bank.facts.values() if fact.where("quote") == problem.location),
        None,
    )
    article = snapshot.articles.get(fact.source_id) if fact is not None else None
    if fact is None or article is None:
        return None
    passage = closest_passage(article, fact.quote)
    node = _quote_node(text, fact.id)
    if passage is None or node is None:
        return None
    start = (node.start_mark.line, node.start_mark.column)
    end = (node.end_mark.line, node.end_mark.column)
    words = " ".join(passage.text.split())
    if node.style in (">", "|"):
        indent = " " * _content_indent(text, node)
        body = textwrap.wrap(words, width=max(40, 78 - len(indent)), break_on_hyphens=False)
        replacement = ">-\n" + "\n".join(indent + line for line in body)
        if node.end_mark.column == 0 and node.end_mark.line > node.start_mark.line:
            replacement += "\n"  # the block took its last line break with it
    else:
        replacement = json.dumps(words, ensure_ascii=False)
    return Fix(
        f"Replace the quote with the closest passage ({passage.similarity:.0f}% similar)",
        problem,
        start,
        end,
        replacement,
    )


def _content_indent(text: str, node: yaml.Node) -> int:
    lines = text.split("\n")
    for line in lines[node.start_mark.line + 1 : node.end_mark.line + 1]:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return node.start_mark.column + 2


def _quote_node(text: str, fact_id: str) -> yaml.Node | None:
    """The YAML node of facts.<fact_id>.quote, with its start and end in the text."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # marks in code points
    except yaml.YAMLError:
        return None
    node = _child(_child(_child(root, "facts"), fact_id), "quote")
    return node if isinstance(node, yaml.ScalarNode) else None


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value
    return None
