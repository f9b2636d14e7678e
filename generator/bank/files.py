"""Reading a file that may be hostile: regular files only, bounded in size, UTF-8.

Question files and articles are read this way before anything parses them, so
a FIFO, a directory, a huge file or a stray Latin-1 byte is one clear problem.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from .model import Location, Problem

MAX_FILE_BYTES = 16 * 1024 * 1024

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
