"""Safe YAML reading that keeps line numbers and refuses hostile input.

Files are untrusted: only safe tags are constructed, duplicate keys are
errors (PyYAML silently keeps the last one), alias bombs and deep nesting
are refused before anything is built, and size is bounded before reading.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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
EMPTY_FILE = "file is empty: a question file needs 'facts:' and 'questions:'"

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


class Integer(int):
    """A YAML integer that remembers how it was written: `value: 010` is the text '010'."""

    source_text: str


class Float(float):
    """A YAML float that remembers how it was written: `value: 4.50` is the text '4.50'."""

    source_text: str


@dataclass(frozen=True)
class Document:
    path: Path
    data: Any
    problems: tuple[Problem, ...]


_BLOCK_STYLES = ("|", ">")


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    display_path = ""
    found: list[Problem]
    lines: list[str]

    def location(self, node: yaml.Node) -> Location:
        if type(node) is yaml.ScalarNode and node.style in _BLOCK_STYLES and node.value:
            # A block scalar's text starts on the line after its '|' or '>': point there,
            # so that line N of a template is line N of its text.
            line = node.start_mark.line + 1
            text = self.lines[line] if line < len(self.lines) else ""
            return Location(self.display_path, line + 1, len(text) - len(text.lstrip(" ")) + 1)
        return _location(self.display_path, node.start_mark)


# Dates stay text: "published: 2017-11-27" is a string to us, never a datetime.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


_STR, _MAP, _SEQ = (f"tag:yaml.org,2002:{name}" for name in ("str", "map", "seq"))


class _NotPlain(Exception):
    """A node that only PyYAML's own constructor handles: a merge key or another tag."""


def _build_tree(loader: _Loader, node: yaml.Node) -> Any:
    """What construct_document builds, for a document without anchors, in a third of the time.

    Without anchors no node is shared, so the nodes form a tree that one recursive walk
    can build, without PyYAML's bookkeeping for objects built once and used twice.
    """
    tag = node.tag
    if tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if tag == _MAP and isinstance(node, yaml.MappingNode):
        data = Mapping()
        data.location = loader.location(node)
        data.key_locations = key_locations = {}
        data.value_locations = value_locations = {}
        for key_node, value_node in node.value:
            if key_node.tag != _STR:
                raise _NotPlain  # a merge key (<<) or a key that is not text
            key = key_node.value
            where = loader.location(key_node)
            if key in key_locations:
                loader.found.append(_duplicate_key(key, key_locations[key], where))
            key_locations[key] = where
            value_locations[key] = loader.location(value_node)
            data[key] = _build_tree(loader, value_node)
        return data
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        items = Sequence()
        items.location = loader.location(node)
        items.item_locations = [loader.location(child) for child in node.value]
        items.extend(_build_tree(loader, child) for child in node.value)
        return items
    construct = _SCALARS.get(tag)
    if construct is None or not isinstance(node, yaml.ScalarNode):
        raise _NotPlain
    return construct(loader, node)


def _duplicate_key(key: str, first: Location, where: Location) -> Problem:
    return Problem(
        where,
        f"duplicate key '{key}' (first at line {first.line}): "
        "YAML would keep only the last one; remove or rename one of them",
    )


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
            loader.found.append(_duplicate_key(key, data.key_locations[key], where))
        data.key_locations[key] = where
        data.value_locations[key] = loader.location(value_node)
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode):
    data = Sequence()
    data.location = loader.location(node)
    data.item_locations = [loader.location(child) for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


def _construct_integer(loader: _Loader, node: yaml.ScalarNode) -> Integer:
    number = Integer(loader.construct_yaml_int(node))
    number.source_text = node.value
    return number


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> Float:
    number = Float(loader.construct_yaml_float(node))
    number.source_text = node.value
    return number


def _refuse(loader: _Loader, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, f"could not determine a constructor for the tag {node.tag!r}", node.start_mark
    )


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_integer)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
# Safe, but not plain text: bytes, sets and dates would only confuse the checks later.
for _tag in ("binary", "set", "omap", "pairs", "timestamp"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)
_SCALARS = {
    "tag:yaml.org,2002:int": _construct_integer,
    "tag:yaml.org,2002:float": _construct_float,
    "tag:yaml.org,2002:bool": _BaseLoader.construct_yaml_bool,
    "tag:yaml.org,2002:null": _BaseLoader.construct_yaml_null,
}


# Files an editor holds with changes not yet saved: the language server checks the text the
# user sees. Keyed by absolute path; read_bytes answers with it instead of the file's bytes.
_unsaved: ContextVar[dict[Path, bytes]] = ContextVar("unsaved", default={})  # noqa: B039


@contextmanager
def unsaved(files: dict[Path, str]) -> Iterator[None]:
    """Within this block, each of these files reads as the given text, not what is on disk."""
    token = _unsaved.set({path.absolute(): text.encode("utf-8") for path, text in files.items()})
    try:
        yield
    finally:
        _unsaved.reset(token)


def read_bytes(
    path: Path,
    display_path: str,
    max_bytes: int = MAX_FILE_BYTES,
    too_big: str = "split it into smaller files",
) -> bytes | Problem:
    """A regular file's bytes, at most max_bytes of them, or say precisely why not."""
    here = Location(display_path)
    held = _unsaved.get().get(path.absolute()) if _unsaved.get() else None
    if held is not None:
        return _within_limit(held, len(held), here, max_bytes, too_big)
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            return Problem(here, "is a directory, not a file")
        if not stat.S_ISREG(status.st_mode):
            # A FIFO or a device would block or never end.
            return Problem(here, "is not a regular file")
        with path.open("rb") as stream:
            # Read one byte past the limit rather than trusting the size: files can grow.
            raw = stream.read(max_bytes + 1)
    except FileNotFoundError:
        return Problem(here, "file not found")
    except OSError as error:
        return Problem(here, f"cannot be read: {error.strerror or error}")
    return _within_limit(raw, status.st_size, here, max_bytes, too_big)


def _within_limit(
    raw: bytes, size: int, here: Location, max_bytes: int, too_big: str
) -> bytes | Problem:
    if len(raw) > max_bytes:
        size = max(size, len(raw))
        return Problem(
            here,
            f"is {size / 1048576:.1f} MB, over the {max_bytes // 1048576} MB limit: {too_big}",
        )
    return raw


def read_text(path: Path, display_path: str, max_bytes: int = MAX_FILE_BYTES) -> str | Problem:
    """Read a UTF-8 file (a BOM and CRLF are fine), or say precisely why not."""
    raw = read_bytes(path, display_path, max_bytes)
    if isinstance(raw, Problem):
        return raw
    return decode(raw, display_path)


def decode(raw: bytes, display_path: str) -> str | Problem:
    """UTF-8 text with a BOM dropped and line endings made '\\n', or where it is not UTF-8."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        # Editors count characters, not bytes, so decode what precedes the bad byte.
        before = raw[line_start : error.start].decode("utf-8", "replace").lstrip("\ufeff")
        column = len(before) + 1
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
    loader.lines = text.split("\n")
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(path, None, (Problem(Location(display_path), EMPTY_FILE),))
        # Only an anchor (&name) can be repeated by an alias: most files have none,
        # and walking every node of a large file twice is a third of its load time.
        has_anchors = "&" in text
        bomb = _alias_problem(node, display_path) if has_anchors else None
        if bomb:
            return Document(path, None, (bomb,))
        data = _construct(loader, node, has_anchors)
    except yaml.MarkedYAMLError as error:
        return Document(path, None, (_syntax_problem(error, text, display_path),))
    except yaml.reader.ReaderError as error:
        return Document(path, None, (_character_problem(error, text, display_path),))
    except yaml.YAMLError as error:
        return Document(path, None, (Problem(Location(display_path), f"invalid YAML: {error}"),))
    finally:
        loader.dispose()
    return Document(path, data, tuple(loader.found))


def _construct(loader: _Loader, node: yaml.Node, has_anchors: bool) -> Any:
    if not has_anchors:
        try:
            return _build_tree(loader, node)
        except _NotPlain:
            loader.found.clear()  # PyYAML's constructor finds them again
    return loader.construct_document(node)


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
    if "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
        return Problem(where, f"tag {tag} is not allowed: question files hold plain text only")
    if error.context == "while scanning a quoted scalar" and "end of stream" in problem:
        # The end of the file is where libyaml noticed; the opening quote is the mistake.
        opened = error.context_mark or mark
        return Problem(
            _location(display_path, opened),
            "this quoted text is never closed: add the closing quote",
        )
    context = f" ({error.context})" if error.context else ""
    hint = _syntax_hint(f"{problem} {error.context or ''}")
    opened = error.context_mark
    if (
        error.context in ("while parsing a flow sequence", "while parsing a flow mapping")
        and opened
    ):
        bracket = "[" if "sequence" in error.context else "{"
        hint = f": is the '{bracket}' at line {opened.line + 1}, column {opened.column + 1} closed?"
    return Problem(where, f"invalid YAML: {problem}{context}{hint}")


def _syntax_hint(problem: str) -> str:
    """What to do about the libyaml errors contributors meet most."""
    if "mapping values are not allowed" in problem:
        return ": quote text that contains ': '"
    if "found character" in problem or "found undefined tag" in problem:
        return ": quote the text"
    if "unknown escape character" in problem:
        return r": in double quotes a backslash starts an escape; use single quotes or write \\"
    if "expected a single document" in problem:
        return ": a question file is one document; remove the extra '---' line"
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return ": check this line's indentation against the lines above"
    if "could not find expected ':'" in problem:
        return ": a key needs ':' after it, and text that runs over several lines needs quotes"
    return ""


def _character_problem(error: yaml.reader.ReaderError, text: str, display_path: str) -> Problem:
    # libyaml counts the position in UTF-8 bytes.
    before = text.encode("utf-8")[: error.position].decode("utf-8", "replace")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    character = error.character if isinstance(error.character, int) else ord(error.character)
    return Problem(
        Location(display_path, line, column),
        f"control character U+{character:04X} is not allowed in YAML: remove it",
    )


# Cheap upper bounds on nesting; only a file that exceeds one is parsed event by
# event to measure it exactly, because libyaml's composer recurses in C and
# crashes the interpreter on input nested ~100,000 levels deep.
# Block nesting needs indentation or a run of "- ", "? " and ": " indicators at the
# start of a line, so a line whose prefix is shorter than MAX_DEPTH // 2 cannot be deep.
# (Searched for after a newline, not with ^ and re.MULTILINE: the regex engine then skips
# to each newline instead of trying every character, five times faster.)
_DEEP_BLOCK = re.compile(rf"\n[ ?:-]{{{MAX_DEPTH // 2}}}")
# Every byte but the four brackets, which UTF-8 never uses inside another character.
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def _nesting_problem(text: str, display_path: str) -> Problem | None:
    deep_block = _DEEP_BLOCK.search("\n" + text)
    if not (deep_block or _flow_depth_exceeds(text, MAX_DEPTH // 2)):
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
    # The brackets alone, picked out in C: a loop over every bracket match was 5x slower.
    brackets = text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    depth = 0
    for bracket in brackets:
        depth += 1 if bracket in b"[{" else -1
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
