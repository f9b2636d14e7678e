"""quizgen.toml, the project file: the project's folders and the defaults of `quizgen build`.

It is read with tomllib and validated against schema/project.schema.json like every other
file, so a mistake gets its line and column and a did-you-mean. TOML readers give no
positions, so each key's line is found in the text (keys are simple; a dotted key or an
inline table falls back to its table's line).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bank import schema
from .bank.files import decode, read_bytes
from .bank.model import Location, Problem
from .bank.yamlfile import Mapping
from .paths import display

PROJECT_FILE = "quizgen.toml"
PROJECT_SCHEMA = "project"
MAX_PROJECT_BYTES = 1024 * 1024
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*")
_SYNTAX_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


@dataclass(frozen=True)
class Project:
    """What quizgen.toml says; a key it leaves out is None, and the command's default holds."""

    path: Path | None = None
    folders: dict[str, Path] = field(default_factory=dict)
    build: dict[str, Any] = field(default_factory=dict)
    # `[package] name`: the stem of quizgen.apkg, quizgen.lock.json and the exports.
    package: str | None = None


def load_project(directory: Path = Path()) -> Project | list[Problem]:
    """The project file in directory (none there: an empty Project), or its problems."""
    path = directory / PROJECT_FILE
    if not path.is_file():
        return Project()
    shown = display(path)
    raw = read_bytes(path, shown, MAX_PROJECT_BYTES, "a project file is a few lines")
    text = raw if isinstance(raw, Problem) else decode(raw, shown)
    if isinstance(text, Problem):
        return [text]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return [_syntax_problem(str(error), text, shown)]
    located = _located(data, text, shown)
    problems = schema.validate(located, PROJECT_SCHEMA, Location(shown)).problems
    if problems:
        return problems
    folders = {key: directory / value for key, value in data.get("folders", {}).items()}
    package = data.get("package", {}).get("name")
    return Project(path, folders, dict(data.get("build", {})), package)


def _syntax_problem(message: str, text: str, shown: str) -> Problem:
    place = _SYNTAX_PLACE.search(message)
    what = _SYNTAX_PLACE.sub("", message)
    if place and place.group(1):
        where = Location(shown, int(place.group(1)), int(place.group(2)))
    else:
        where = Location(shown, text.count("\n") + 1)
    return Problem(where, f"is not valid TOML: {what[:1].lower()}{what[1:]}")


def _located(data: dict[str, Any], text: str, shown: str) -> Mapping:
    """data as the schema module's located mappings: each key where the text has it."""
    keys: dict[tuple[str, ...], Location] = {}
    values: dict[tuple[str, ...], Location] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.split("\n"), start=1):
        if header := _TABLE.match(line):
            table = (header.group(1),)
            keys[table] = values[table] = Location(shown, number, header.start(1) + 1)
        elif key := _KEY.match(line):
            path = (*table, key.group(1))
            keys[path] = Location(shown, number, key.start(1) + 1)
            values[path] = Location(shown, number, key.end() + 1)

    def build(value: dict[str, Any], path: tuple[str, ...]) -> Mapping:
        mapping = Mapping()
        mapping.location = keys.get(path, Location(shown))
        mapping.key_locations, mapping.value_locations = {}, {}
        for name, item in value.items():
            here = (*path, name)
            mapping.key_locations[name] = keys.get(here, mapping.location)
            mapping.value_locations[name] = values.get(here, mapping.location)
            mapping[name] = build(item, here) if isinstance(item, dict) else item
        return mapping

    return build(data, ())
