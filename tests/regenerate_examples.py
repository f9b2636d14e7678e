"""Rewrite tests/examples/*/<case>/expected.txt from what `quizgen check` prints now.

    python tests/regenerate_examples.py            # every case
    python tests/regenerate_examples.py deep-nesting not-utf8

Each case folder holds questions/ (and seeds/ when it needs its own articles;
otherwise the real seeds/ are used). expected.txt is `exit N` on its first line,
then the exact lines `quizgen check` prints, run from inside the case folder.
Those lines are what contributors read: read the diff before committing it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main

EXAMPLES = Path(__file__).resolve().parent / "examples"
REAL_SEEDS = EXAMPLES.parent.parent / "seeds"
EXPECTED = "expected.txt"


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    lines: tuple[str, ...]

    def text(self) -> str:
        return "".join(f"{line}\n" for line in (f"exit {self.exit_code}", *self.lines))

    @classmethod
    def parse(cls, text: str) -> Outcome:
        first, *lines = text.splitlines()
        return cls(int(first.removeprefix("exit ")), tuple(lines))


def cases() -> Iterator[Path]:
    """Every case folder, valid ones first."""
    for kind in ("valid", "invalid"):
        yield from sorted(path for path in (EXAMPLES / kind).iterdir() if path.is_dir())


def case_id(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}"


def arguments(folder: Path) -> list[str]:
    """`check`, with the real seeds unless the case brings its own."""
    if (folder / "seeds").is_dir():
        return ["check"]
    return ["check", "--seeds", str(REAL_SEEDS)]


def outcome(exit_code: int, stdout: str) -> Outcome:
    return Outcome(exit_code, tuple(stdout.splitlines()))


def expected(folder: Path) -> Outcome:
    return Outcome.parse((folder / EXPECTED).read_text(encoding="utf-8"))


def regenerate(folder: Path) -> Outcome:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, arguments(folder), catch_exceptions=False)
    finally:
        os.chdir(previous)
    found = outcome(result.exit_code, result.stdout)
    (folder / EXPECTED).write_text(found.text(), encoding="utf-8")
    return found


if __name__ == "__main__":
    wanted = set(sys.argv[1:])
    for folder in cases():
        if not wanted or folder.name in wanted:
            found = regenerate(folder)
            sys.stdout.write(
                f"{case_id(folder)}: exit {found.exit_code}, {len(found.lines)} lines\n"
            )
