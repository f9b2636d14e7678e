"""`quizgen add`: files and pages become articles in seeds/, each pinned in sources.yaml.

Every input is read and extracted before anything is written, and then the articles,
their originals and sources.yaml are written together: one bad input, and nothing is.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..bank.model import Location, Problem
from ..bank.sources import MAX_ARTICLE_BYTES
from ..bank.text import normalise
from ..paths import display
from .naming import ID_PATTERN, derive_id
from .readers import Reading, read_input
from .sources_file import SourcesFile, read_sources_file
from .writing import write_together

ORIGINALS_DIR = "originals"
LOCK_FILE = ".quizgen-add.lock"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


@dataclass(frozen=True)
class Metadata:
    """What the teacher says of an article; each given value wins over the page's own."""

    source_id: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Added:
    source_id: str
    title: str
    path: Path
    paragraphs: int
    sentences: int


@dataclass(frozen=True)
class AlreadyThere:
    argument: str
    source_id: str


@dataclass
class AddResult:
    added: list[Added] = field(default_factory=list)
    already_there: list[AlreadyThere] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    usage_error: str | None = None

    @property
    def success(self) -> bool:
        return not self.problems and self.usage_error is None


def add_readings(
    arguments: Sequence[str],
    seeds_dir: Path,
    metadata: Metadata = Metadata(),
    today: datetime.date | None = None,
) -> AddResult:
    """Import each file or URL as an article; on any problem, write nothing at all."""
    from filelock import FileLock

    result = AddResult()
    given = [name for name, value in vars(metadata).items() if value is not None]
    if len(arguments) > 1 and given:
        flags = ", ".join(f"--{name.removeprefix('source_')}" for name in given)
        result.usage_error = f"{flags} name one article: add the files one at a time"
        return result
    if metadata.source_id is not None and not ID_PATTERN.match(metadata.source_id):
        result.usage_error = (
            f"--id {metadata.source_id!r} must be lower-case letters, digits and hyphens"
        )
        return result
    if metadata.published is not None and not _DATE.match(metadata.published):
        result.usage_error = f"--published {metadata.published!r} must be a date: YYYY-MM-DD"
        return result
    seeds_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(seeds_dir / LOCK_FILE, timeout=60):
        index = read_sources_file(seeds_dir)
        if isinstance(index, Problem):
            result.problems.append(index)
            return result
        files = _plan(arguments, seeds_dir, index, metadata, today or datetime.date.today(), result)
        if result.success and files:
            files[index.path] = index.text().encode("utf-8")
            write_together(files)
    return result


def _plan(
    arguments: Sequence[str],
    seeds_dir: Path,
    index: SourcesFile,
    metadata: Metadata,
    today: datetime.date,
    result: AddResult,
) -> dict[Path, bytes]:
    """The files to write for every new article, its entry added to index; problems to result."""
    known = _known_texts(seeds_dir, index)
    files: dict[Path, bytes] = {}
    for argument in arguments:
        reading = read_input(argument)
        if isinstance(reading, Problem):
            result.problems.append(reading)
            continue
        article = reading.extracted.article
        here = Location(argument if reading.origin == argument else display(Path(argument)))
        if len(article.encode("utf-8")) > MAX_ARTICLE_BYTES:
            result.problems.append(Problem(here, "gives over 8 MB of text: is it one article?"))
            continue
        key = normalise(article)
        if key in known:
            result.already_there.append(AlreadyThere(argument, known[key]))
            continue
        entry = _entry(reading, metadata, today)
        if "title" not in entry:
            result.problems.append(
                Problem(here, "has no title that quizgen can find: pass --title 'The headline'")
            )
            continue
        taken = set(index.entries) | {p.stem for p in seeds_dir.iterdir()}
        if metadata.source_id is not None:
            if metadata.source_id in taken:
                result.problems.append(
                    Problem(
                        here,
                        f"the id '{metadata.source_id}' is taken (in {display(index.path)}, or "
                        f"by a file {metadata.source_id}.* in {display(seeds_dir)}/): "
                        "choose another --id",
                    )
                )
                continue
            source_id = metadata.source_id
        else:
            source_id = derive_id(entry["title"], entry.get("author"), taken)
        article_path = seeds_dir / f"{source_id}.txt"
        original = seeds_dir / ORIGINALS_DIR / f"{source_id}{reading.suffix}"
        data = article.encode("utf-8")
        entry = {"file": article_path.name, **entry, "sha256": hashlib.sha256(data).hexdigest()}
        files[article_path] = data
        files[original] = reading.original
        index.add(source_id, entry)
        known[key] = source_id
        paragraphs = [p for p in _PARAGRAPH_BREAK.split(article) if p.strip()]
        result.added.append(
            Added(source_id, entry["title"], article_path, len(paragraphs), _sentences(paragraphs))
        )
    return files


def _entry(reading: Reading, metadata: Metadata, today: datetime.date) -> dict[str, str]:
    page = reading.extracted
    values = {
        "title": metadata.title or page.title,
        "author": metadata.author or page.author,
        "published": metadata.published or page.published,
        "origin": reading.origin,
        "retrieved": today.isoformat(),
    }
    return {key: value for key, value in values.items() if value}


def _known_texts(seeds_dir: Path, index: SourcesFile) -> dict[str, str]:
    """The normalised text of each article already in the bank, to its id."""
    known: dict[str, str] = {}
    root = seeds_dir.resolve()
    for source_id, entry in index.entries.items():
        name = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            continue
        path = (root / name).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            continue
        try:
            known.setdefault(normalise(path.read_text("utf-8")), source_id)
        except (OSError, UnicodeDecodeError):
            continue  # check reports it; it cannot be the same text as a new article
    return known


def _sentences(paragraphs: list[str]) -> int:
    from ..bank.passages import sentence_spans

    return sum(len(sentence_spans(p)) for p in paragraphs)
