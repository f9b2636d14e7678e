"""Remember the last check of a bank, so an unchanged bank is not loaded and checked again.

`quizgen check` runs on every save and every commit, and `quizgen build`
checks before it writes: on a large bank, loading and checking take seconds.
Their result depends only on bytes: the question files, the seeds folder and
quizgen's own code (and the libraries it runs on). So the result is stored
with a hash of all of those, and used again only when every byte is the same.

The cache is one file per project and set of arguments, replaced on each
miss, in the user's cache folder (~/.cache/quizgen/ on Linux) or
$QUIZGEN_CACHE_DIR. Not in the project: an entry is a pickle, and reading a
pickle runs whatever it says, so a file planted in a repository that someone
checks must never be read. A cache that is missing, corrupt, from another
version, not the user's own or not writable is a miss: the cache can make
quizgen faster, never wrong and never fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
import sysconfig
import tempfile
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from .bank.files import MAX_FILE_BYTES

CACHE_DIR_ENV = "QUIZGEN_CACHE_DIR"
MAX_ENTRIES = 16
MAX_TOTAL_BYTES = 1024**3
# Raise when the stored layout changes; the code fingerprint covers everything else.
FORMAT = b"quizgen-check-cache 1\n"
_PACKAGE_DIR = Path(__file__).resolve().parent
_GITIGNORE = "# Created by quizgen: a cache, safe to delete.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by quizgen.\n"
)


def default_dir() -> Path:
    chosen = os.environ.get(CACHE_DIR_ENV)
    if chosen:
        return Path(chosen)
    import platformdirs

    return platformdirs.user_cache_path("quizgen") / "check"


def content_key(
    question_paths: Iterable[Path], question_files: Iterable[Path], seeds_dir: Path
) -> bytes:
    """A hash of everything a check reads, and of the code that reads it."""
    digest = hashlib.sha256(FORMAT)
    digest.update(_code_fingerprint())
    # Problems name files by their path relative to the working folder.
    _feed(digest, "cwd", os.getcwd())
    for path in question_paths:
        _feed(digest, "argument", str(path))
    for path in question_files:
        _feed_file(digest, path)
    _feed(digest, "seeds", str(seeds_dir))
    for path in _walk(seeds_dir):
        _feed_file(digest, path)
    return digest.digest()


class CheckCache:
    """The cache folder, and whether entries are written by a forked child.

    Pickling a large bank takes a few hundred milliseconds. A command may have a
    child write the entry while it goes on to render; leaving the `with` block
    waits for the child, so the entry is in place when the command ends. A
    process that exits right after may leave its writer to finish on its own
    (detach): its answer is not held up, and the entry lands a moment later.
    """

    def __init__(
        self, folder: Path, write_in_background: bool = False, detach: bool = False
    ) -> None:
        self.folder = folder
        self.write_in_background = write_in_background
        self.detach = detach
        self._writers: list[int] = []

    def __enter__(self) -> CheckCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self.detach:
            self.wait()

    def load(self, slot: str, key: bytes) -> Any | None:
        """What was stored in slot under exactly this key, or None."""
        if not _private(self.folder / slot):
            return None
        try:
            data = (self.folder / slot).read_bytes()
        except OSError:
            return None
        if not data.startswith(FORMAT + key):
            return None
        try:
            return pickle.loads(memoryview(data)[len(FORMAT) + len(key) :])
        except Exception:  # a damaged cache file is a miss, whatever it holds
            return None

    def store(self, slot: str, key: bytes, value: Any) -> None:
        """Replace what slot holds, atomically; a cache that cannot be written is skipped."""
        # Forking a process that runs other threads can deadlock the child.
        if self.write_in_background and hasattr(os, "fork") and threading.active_count() == 1:
            child = os.fork()
            if child == 0:
                try:
                    _store(self.folder, slot, key, value)
                finally:
                    os._exit(0)
            self._writers.append(child)
            return
        _store(self.folder, slot, key, value)

    def wait(self) -> None:
        """Until every entry being written in the background is written (or failed)."""
        while self._writers:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._writers.pop(), 0)


def _store(cache_dir: Path, slot: str, key: bytes, value: Any) -> None:
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        _prepare(cache_dir)
        handle, temp = tempfile.mkstemp(dir=cache_dir, prefix=f".{slot}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(FORMAT + key)
                stream.write(payload)
            os.replace(temp, cache_dir / slot)
        finally:
            Path(temp).unlink(missing_ok=True)
        _forget_oldest(cache_dir)
    except (OSError, pickle.PicklingError, RecursionError):
        return


def slot_name(kind: str, question_paths: Iterable[Path], seeds_dir: Path) -> str:
    """One file per project folder and arguments: a changed bank replaces its own entry."""
    where = "\0".join([os.getcwd(), str(seeds_dir), *map(str, question_paths)])
    return f"{kind}-{hashlib.sha256(where.encode('utf-8', 'surrogateescape')).hexdigest()[:24]}"


def _private(path: Path) -> bool:
    """Whether path and its folder are this user's, and no one else may write them."""
    if not hasattr(os, "getuid"):
        return True  # Windows: the user's profile folder is private already
    try:
        checked = [path.stat(), path.parent.stat()]
    except OSError:
        return False
    return all(
        status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        for status in checked
    )


def _forget_oldest(cache_dir: Path) -> None:
    """Keep the most recently written entries: checks of many other folders add up."""
    entries = [
        entry
        for entry in os.scandir(cache_dir)
        if not entry.name.startswith(".") and entry.name != "CACHEDIR.TAG" and entry.is_file()
    ]
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    total = 0
    for count, entry in enumerate(entries):
        total += entry.stat().st_size
        if count >= MAX_ENTRIES or total > MAX_TOTAL_BYTES:
            Path(entry.path).unlink(missing_ok=True)


def _prepare(cache_dir: Path) -> None:
    if cache_dir.is_dir():
        return
    # Only this user may write it: load() refuses entries that others could have planted.
    cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # As pytest and ruff do: git ignores it, and backup tools may skip it.
    (cache_dir / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")
    (cache_dir / "CACHEDIR.TAG").write_text(_CACHEDIR_TAG, encoding="utf-8")


@cache
def _code_fingerprint() -> bytes:
    """quizgen's own files, the Python running them, and the installed distributions."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(_PACKAGE_DIR.rglob("*")):
        if "__pycache__" not in path.parts and path.is_file():
            _feed(digest, "code", str(path.relative_to(_PACKAGE_DIR)))
            digest.update(path.read_bytes())
    # A dist-info folder's name carries its version: a library upgrade is a miss,
    # for the price of listing the folders the libraries live in rather than reading
    # their metadata. Not all of sys.path: `quizgen` and `python -m generator` differ there.
    for folder in sorted(_library_folders()):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        _feed(digest, "folder", folder)
        for name in names:
            if name.endswith((".dist-info", ".egg-info", ".egg-link", ".pth")):
                _feed(digest, "dist", name)
    return digest.digest()


def _library_folders() -> set[str]:
    import jinja2
    import yaml

    paths = sysconfig.get_paths()
    folders = {paths["purelib"], paths["platlib"]}
    for module in (yaml, jinja2):
        folders.add(str(Path(module.__file__ or "").resolve().parent.parent))
    return folders


def _walk(folder: Path) -> list[Path]:
    """Every entry under folder, sorted, without following links to folders."""
    found: list[Path] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return found
    for entry in entries:
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            found += _walk(path)
        else:
            found.append(path)
    return found


def _feed(digest: Any, label: str, text: str) -> None:
    encoded = text.encode("utf-8", "surrogateescape")
    digest.update(f"{label}:{len(encoded)}:".encode())
    digest.update(encoded)


def _feed_file(digest: Any, path: Path) -> None:
    """A file's bytes; for anything else (a link, a FIFO, a huge file), what it is."""
    _feed(digest, "file", str(path))
    try:
        status = path.lstat()
    except OSError as error:
        _feed(digest, "missing", str(error.errno))
        return
    if stat.S_ISLNK(status.st_mode):
        _feed(digest, "link", os.readlink(path))
        target = _regular_target(path)
        if target is None:
            return
        status = target
    if not stat.S_ISREG(status.st_mode):
        # Never open it: a FIFO would block. The check refuses it, and says so.
        _feed(digest, "kind", str(stat.S_IFMT(status.st_mode)))
        return
    if status.st_size > MAX_FILE_BYTES:
        # Refused as too big, whatever it holds.
        _feed(digest, "size", str(status.st_size))
        return
    try:
        content = path.read_bytes()
    except OSError as error:
        _feed(digest, "unreadable", str(error.errno))
        return
    _feed(digest, "bytes", str(len(content)))
    digest.update(content)


def _regular_target(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None
