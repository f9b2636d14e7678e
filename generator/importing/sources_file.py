"""Editing seeds/sources.yaml without losing a teacher's comments, order or layout.

ruamel.yaml reads the file as a round-trip document: comments, key order, quoting and
(once guessed) indentation come back out as they went in, so adding an entry or changing
one sha256 changes only those lines.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..bank.files import decode, read_bytes
from ..bank.model import Location, Problem
from ..paths import display

SOURCES_FILE = "sources.yaml"
NEW_FILE_HEADER = """\
# The articles that every quote in questions/ must come from.
# Each id is what a fact's `source:` names. `sha256` pins the file's bytes:
# if an article changes, `quizgen check` reports every fact that cites it.
# `quizgen add FILE` adds an article here; `quizgen repin ID` accepts a corrected one.
"""


@dataclass
class SourcesFile:
    """sources.yaml as a round-trip document, ready to be changed and written back."""

    path: Path
    document: Any  # ruamel's CommentedMap
    indent: int
    block_indent: int | None

    @property
    def entries(self) -> dict[str, Any]:
        return self.document["sources"]

    def add(self, source_id: str, entry: dict[str, str]) -> None:
        self.entries[source_id] = entry

    def set_sha256(self, source_id: str, sha256: str) -> None:
        self.entries[source_id]["sha256"] = sha256

    def text(self) -> str:
        stream = io.StringIO()
        _yaml(self.indent, self.block_indent).dump(self.document, stream)
        return stream.getvalue()


def read_sources_file(seeds_dir: Path) -> SourcesFile | Problem:
    """sources.yaml in seeds_dir (a new, empty one if there is none), or why it cannot be edited."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    path = seeds_dir / SOURCES_FILE
    shown = display(path)
    if not path.exists():
        document = _yaml(2, None).load(NEW_FILE_HEADER + "sources: {}\n")
        document["sources"] = CommentedMap()
        return SourcesFile(path, document, 2, None)
    raw = read_bytes(path, shown)
    text = raw if isinstance(raw, Problem) else decode(raw, shown)
    if isinstance(text, Problem):
        return text
    try:
        document, indent, block_indent = load_yaml_guess_indent(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        return Problem(where, "cannot be read as YAML: run quizgen check, fix it, and try again")
    if not isinstance(document, dict) or not isinstance(document.get("sources"), dict):
        return Problem(
            Location(shown), "has no 'sources:' mapping: run quizgen check, fix it, and try again"
        )
    return SourcesFile(path, document, indent or 2, block_indent)


def _yaml(indent: int, block_indent: int | None):
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long title onto a second line
    yaml.indent(mapping=indent, sequence=indent + 2, offset=block_indent or indent)
    return yaml
