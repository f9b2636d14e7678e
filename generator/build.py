"""Check, then render every output in memory, then write them all atomically.

The build knows the outputs only through `outputs.REGISTRY`: adding an output
changes nothing here. Nothing is written unless the whole bank is clean, and a
build that fails or is killed midway leaves the previous decks as they were:
each file is written to a temp file in the same folder and renamed over the old
one. A lock on the output folder keeps two builds from interleaving their files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from . import workers
from .bank.model import CheckResult, Location, Problem, SourcedQuestion
from .outputs import REGISTRY
from .outputs.base import BuildContext, BuildOptions, Output, RenderError

BUILD_LOCK = ".quizgen-build.lock"
# The files a whole-bank build wrote, so the next one can delete those it no
# longer writes (a deck that was renamed, versions B and C after --versions 1).
MANIFEST = "manifest.txt"
_MANIFEST_HEADER = "# Written by `quizgen build`. A build deletes the files it no longer writes.\n"
LOCK_TIMEOUT_SECONDS = 60
TEMP_SUFFIX = ".tmp"


@dataclass
class BuildResult:
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    # Written by the last whole-bank build but not by this one: a build deletes them.
    obsolete: list[Path] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.problems


def select_deck(
    questions: Sequence[SourcedQuestion], deck: str | None
) -> tuple[tuple[SourcedQuestion, ...], list[Problem]]:
    """The questions of one deck and its subdecks, or all of them."""
    if deck is None:
        return tuple(questions), []
    chosen = tuple(q for q in questions if q.deck == deck or q.deck.startswith(deck + "::"))
    if not chosen:
        names = sorted({q.deck for q in questions})
        return (), [
            Problem(
                Location("--deck"),
                f"no deck named {deck!r}; the decks are: " + "; ".join(names),
            )
        ]
    return chosen, []


def build(result: CheckResult, options: BuildOptions, *, check_only: bool = False) -> BuildResult:
    """Render every output; write the changed ones (or, with check_only, list them)."""
    outcome = BuildResult(problems=list(result.errors))
    if outcome.problems:
        return outcome
    questions, problems = select_deck(result.questions, options.deck)
    if problems:
        outcome.problems += problems
        return outcome
    out_dir = options.out_dir
    if not check_only:
        problem = _prepare(out_dir)
        if problem:
            outcome.problems.append(problem)
            return outcome
    from filelock import Timeout

    try:
        with _locked(out_dir, check_only):
            sources = tuple(result.bank.sources.values()) if result.bank else ()
            pools = result.bank.pools if result.bank else {}

            def previous(name: str) -> bytes | None:
                return _read(out_dir / name)

            context = BuildContext(questions, options, previous, sources, pools)
            jobs = options.jobs or workers.default_jobs(len(questions))
            chosen = selected(options.formats)
            files = workers.render_all(context, [output.render for output in chosen], jobs)
            leftovers: list[Path] = []
            if options.deck is None:
                kept = _kept_from_manifest(out_dir, chosen, options.package)
                leftovers = _no_longer_built(out_dir, files, kept)
                files[MANIFEST] = _manifest([*files, *kept])
            for name, content in sorted(files.items()):
                target = out_dir / name
                if _read(target) == content:
                    outcome.unchanged.append(target)
                elif check_only:
                    outcome.stale.append(target)
                else:
                    outcome.written.append(target)
            outcome.obsolete = leftovers
            if not check_only:
                _sweep_temp_files(out_dir)
                _write_all({path: files[path.name] for path in outcome.written})
                for path in leftovers:
                    path.unlink(missing_ok=True)
    except RenderError as error:
        outcome.problems.append(error.problem)
    except Timeout:
        outcome.problems.append(
            Problem(Location(str(out_dir)), "another build is writing here; try again when it ends")
        )
    except OSError as error:
        outcome.problems.append(
            Problem(
                Location(str(out_dir)),
                f"cannot write: {error.strerror or error}; the previous files are unchanged",
            )
        )
    return outcome


def selected(formats: Sequence[str]) -> list[Output]:
    """The outputs a build writes: those named (in registry order), or all of them."""
    return [output for output in REGISTRY if not formats or output.name in formats]


def _kept_from_manifest(out_dir: Path, chosen: Sequence[Output], package: str) -> list[str]:
    """Names the last build wrote that no chosen output declares: a --format build keeps them.

    `quizgen build --format anki` leaves the quizzes and exports of the last full build where
    they are and still listed, so the next full build can delete what it no longer writes.
    """
    if len(chosen) == len(REGISTRY):
        return []
    return [
        name
        for name in _manifest_names(out_dir)
        if not any(output.writes(name, package) for output in chosen) and (out_dir / name).is_file()
    ]


def _manifest(names: Sequence[str]) -> bytes:
    names = sorted({*names, MANIFEST})
    return (_MANIFEST_HEADER + "".join(f"{name}\n" for name in names)).encode("utf-8")


def _manifest_names(out_dir: Path) -> list[str]:
    """The file names the last whole-bank build listed, if it left a manifest."""
    previous = _read(out_dir / MANIFEST)
    if previous is None:
        return []
    # Only plain names in the folder itself: the manifest is a file anyone can edit.
    return [
        name
        for name in previous.decode("utf-8", "replace").splitlines()
        if name
        and not name.startswith("#")
        and Path(name).name == name
        and name not in (".", "..", MANIFEST)
    ]


def _no_longer_built(out_dir: Path, files: dict[str, bytes], kept: Sequence[str]) -> list[Path]:
    """Files the last whole-bank build wrote that this one does not, and that still exist."""
    return [
        out_dir / name
        for name in sorted(set(_manifest_names(out_dir)) - set(files) - set(kept))
        if (out_dir / name).is_file()
    ]


def _prepare(out_dir: Path) -> Problem | None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return Problem(Location(str(out_dir)), f"cannot create the output folder: {error.strerror}")
    if not os.access(out_dir, os.W_OK | os.X_OK):
        return Problem(
            Location(str(out_dir)), "the output folder is not writable: choose another with --out"
        )
    return None


def _locked(out_dir: Path, check_only: bool) -> AbstractContextManager[object]:
    if check_only:
        return nullcontext()
    from filelock import FileLock

    return FileLock(out_dir / BUILD_LOCK, timeout=LOCK_TIMEOUT_SECONDS)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _sweep_temp_files(out_dir: Path) -> None:
    """Delete temp files that a killed build left; safe because we hold the folder's lock."""
    for leftover in out_dir.glob(f".*{TEMP_SUFFIX}"):
        leftover.unlink(missing_ok=True)


def _write_all(files: dict[Path, bytes]) -> None:
    """Write every file to a temp file first, then rename them all into place."""
    temps: dict[Path, Path] = {}
    try:
        for target, content in files.items():
            handle, name = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX
            )
            temps[target] = Path(name)
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(name, 0o644)
        for target, temp in temps.items():
            os.replace(temp, target)
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
