"""What `quizgen find` prints: each passage with its matches marked, and the fact to paste."""

from __future__ import annotations

from collections.abc import Callable

import yaml

from .search import FindResult, Hit, squash

# YAML -----------------------------------------------------------------------


_READER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FactDumper(yaml.SafeDumper):
    """Long text as a folded block (`>-`), like the bank's own files."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = ">" if len(text) > 60 and "\n" not in text and text == text.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_FactDumper.add_representer(str, _represent_text)


def fact_yaml(hit: Hit) -> str:
    """The fact as it goes under `facts:` in a question file, indented two spaces.

    PyYAML does the quoting (a quote may hold ': ', '#', or quote marks). The
    folded style is checked by reading the text back; if it does not give the
    same strings, plain PyYAML output is used instead.
    """
    document = {"facts": {hit.fact_id: hit.fact}}
    for dumper in (_FactDumper, yaml.SafeDumper):
        text = yaml.dump(
            document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=66, indent=2
        )
        if yaml.load(text, Loader=_READER) == document:
            break
    return text.split("\n", 1)[1]


# Text -----------------------------------------------------------------------


def marked(hit: Hit, mark: Callable[[str], str]) -> str:
    """The sentence on one line, with each match passed through `mark`."""
    pieces: list[str] = []
    position = 0
    for start, end in sorted(hit.marks):
        if start < position:
            continue
        pieces += [hit.sentence[position:start], mark(hit.sentence[start:end])]
        position = end
    pieces.append(hit.sentence[position:])
    return squash("".join(pieces))


def format_result(result: FindResult, mark: Callable[[str], str] = "[[{}]]".format) -> str:
    """What `quizgen find` prints: each passage, then the fact to paste."""
    blocks: list[str] = []
    if not result.found:
        blocks.append(
            f"No passage contains {result.query!r}. "
            + ("The closest ones:" if result.close else "Nothing is close either; try fewer words.")
        )
    for hit in result.hits or result.close:
        similar = f", {hit.similarity}% similar" if hit.similarity is not None else ""
        home = result.home.get(hit.source_id)
        lines = [
            f"{hit.source_id} ¶{hit.paragraph}{similar} ({hit.line_label})",
            f"  {marked(hit, mark)}",
        ]
        if hit.quoted_by:
            lines.append(f"  already quoted by: {', '.join(hit.quoted_by)}")
        lines += ["", f"  # paste under facts: in {home or 'a question file'}"]
        blocks.append("\n".join(lines) + "\n" + fact_yaml(hit).rstrip("\n"))
    return "\n\n".join(blocks)


def find_summary(result: FindResult) -> str:
    if not result.found:
        shown = len(result.close)
        return f"quizgen: no exact match; {shown} similar passage{'s' if shown != 1 else ''} shown."
    articles = len({hit.source_id for hit in result.hits})
    summary = (
        f"quizgen: {result.total} passage{'s' if result.total != 1 else ''} "
        f"in {articles} article{'s' if articles != 1 else ''}"
    )
    if result.total > len(result.hits):
        summary += f"; showing the first {len(result.hits)} (narrow the phrase, or use --source)"
    return summary + "."
