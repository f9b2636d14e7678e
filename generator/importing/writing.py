"""Writing several files as one change: all of them, or (on any error) none of them."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def write_together(files: dict[Path, bytes], *, replace_last: bool = True) -> None:
    """Write every file via a temp file in its own folder, renamed into place in order.

    The last file named is the one that makes the others count (sources.yaml): a process
    killed before its rename leaves at most an article that no entry names yet, never an
    entry without its article. Only that last file may replace one that exists (and only
    with replace_last). Any error removes what this call wrote, and re-raises.
    """
    replaceable = {list(files)[-1]} if replace_last and files else set()
    temps: dict[Path, Path] = {}
    placed: list[Path] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX
            )
            temps[path] = Path(name)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        for path, temp in temps.items():
            if path.exists() and path not in replaceable:
                raise FileExistsError(f"{path} appeared while quizgen was writing")
            os.replace(temp, path)
            placed.append(path)
    except BaseException:
        for temp in temps.values():
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        for path in placed:
            if path not in replaceable:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        raise
