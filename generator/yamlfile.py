"""Safe YAML reading that keeps line numbers and refuses hostile input.

Files are untrusted: only safe tags are constructed, duplicate keys are
errors (PyYAML silently keeps the last one), alias bombs and deep nesting
are refused before anything is built, and size is bounded before reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .model import Location, Problem

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 100
# An alias may repeat a node, but a file may not grow by more than this factor
# when its aliases are expanded: that is how "billion laughs" blows up memory.
MAX_ALIAS_EXPANSION = 10

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing; the pure loader is slower
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc,assignment]


class Mapping(dict):
    """A YAML mapping that remembers where it, each key and each value stood."""

    location: Location
    key_locations: dict[Any, Location]
    value_locations: dict[Any, Location]


class Sequence(list):
    """A YAML sequence that remembers where it and each item stood."""

    location: Location
    item_locations: list[Location]


@dataclass(frozen=True)
class Document:
    path: Path
    data: Any
    problems: tuple[Problem, ...]


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    display_path = ""
    found: list[Problem]

    def location(self, node: yaml.Node) -> Location:
        return _location(self.display_path, node.start_mark)


# Dates stay text: "published: 2017-11-27" is a string to us, never a datetime.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _location(display_path: str, mark: Any) -> Location:
    return Location(display_path, mark.line + 1, mark.column + 1)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    data = Mapping()
    data.location = loader.location(node)
    data.key_locations = {}
    data.value_locations = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        where = loader.location(key_node)
        if not isinstance(key, str):
            loader.found.append(
                Problem(where, f"key {key!r} is not text: quote it, for example '{key}':")
            )
            key = str(key)
        if key in data.key_locations:
            first = data.key_locations[key]
            loader.found.append(
                Problem(
                    where,
                    f"duplicate key '{key}' (first at line {first.line}): "
                    "YAML would keep only the last one; remove or rename one of them",
                )
            )
        data.key_locations[key] = where
        data.value_locations[key] = loader.location(value_node)
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):
    data = Sequence()
    data.location = loader.location(node)
    data.item_locations = [loader.location(child) for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def read_text(path: Path, display_path: str, max_bytes: int = MAX_FILE_BYTES) -> str | Problem:
    """Read a UTF-8 file (a BOM and CRLF are fine), or say precisely why not."""
    here = Location(display_path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            return Problem(here, "is a directory, not a file")
        if size > max_bytes:
            return Problem(
                here,
                f"is {size / 1048576:.1f} MB, over the {max_bytes // 1048576} MB limit: "
                "split it into smaller files",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        return Problem(here, "file not found")
    except OSError as error:
        return Problem(here, f"cannot be read: {error.strerror or error}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return Problem(
            Location(display_path, line, column),
            f"is not UTF-8 (byte 0x{raw[error.start]:02x}): save the file as UTF-8",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str, display_path: str) -> Document:
    """Parse one YAML document from text, keeping every problem as a value."""
    path = Path(display_path)
    too_deep = _nesting_problem(text, display_path)
    if too_deep:
        return Document(path, None, (too_deep,))
    loader = _Loader(text)
    loader.display_path = display_path
    loader.found = []
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(path, None, (Problem(Location(display_path), "file is empty"),))
        bomb = _alias_problem(node, display_path)
        if bomb:
            return Document(path, None, (bomb,))
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        return Document(path, None, (_syntax_problem(error, text, display_path),))
    except yaml.YAMLError as error:
        return Document(path, None, (Problem(Location(display_path), f"invalid YAML: {error}"),))
    finally:
        loader.dispose()
    return Document(path, data, tuple(loader.found))


def load(path: Path, display_path: str | None = None) -> Document:
    shown = display_path or str(path)
    text = read_text(path, shown)
    if isinstance(text, Problem):
        return Document(path, None, (text,))
    return parse(text, shown)


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, display_path: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    where = _location(display_path, mark) if mark else Location(display_path)
    problem = error.problem or "invalid YAML"
    line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
    if "\t" in line[: len(line) - len(line.lstrip())]:
        return Problem(where, "a tab is used for indentation: YAML needs spaces, replace the tab")
    context = f" ({error.context})" if error.context else ""
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = ": quote text that contains ': '"
    elif "found character" in problem or "found undefined tag" in problem:
        hint = ": quote the text"
    elif "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip()
        return Problem(where, f"tag {tag} is not allowed: question files hold plain text only")
    return Problem(where, f"invalid YAML: {problem}{context}{hint}")


# Cheap upper bounds on nesting; only a file that exceeds one is parsed event by
# event to measure it exactly, because libyaml's composer recurses in C and
# crashes the interpreter on input nested ~100,000 levels deep.
_DEEP_BLOCK = re.compile(rf"^(?: |- ){{{MAX_DEPTH // 2},}}", re.MULTILINE)
_FLOW_BRACKET = re.compile(r"[\[\]{}]")


def _nesting_problem(text: str, display_path: str) -> Problem | None:
    if not (_DEEP_BLOCK.search(text) or _flow_depth_exceeds(text, MAX_DEPTH // 2)):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(
                        _location(display_path, event.start_mark),
                        f"nested more than {MAX_DEPTH} levels deep: "
                        "a question file needs only a few levels",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # the real parse reports the syntax error with its location
    return None


def _flow_depth_exceeds(text: str, limit: int) -> bool:
    depth = 0
    for match in _FLOW_BRACKET.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > limit:
            return True
    return False


def _alias_problem(root: yaml.Node, display_path: str) -> Problem | None:
    """Refuse documents whose aliases expand far beyond their written size."""
    distinct: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in distinct:
            continue
        distinct.add(id(node))
        stack.extend(_children(node))
    budget = MAX_ALIAS_EXPANSION * len(distinct) + 1000
    visits = 0
    stack = [root]
    while stack:
        node = stack.pop()
        visits += 1
        if visits > budget:
            return Problem(
                _location(display_path, root.start_mark),
                "aliases (*name) expand this file more than "
                f"{MAX_ALIAS_EXPANSION} times over: write the values out instead",
            )
        stack.extend(_children(node))
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []
