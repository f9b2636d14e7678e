"""Rewrite the golden quiz files (tests/golden/quiz/) and, with --previews, the README's
screenshots (decks/preview/).

    python tests/regenerate_golden.py             # after an intended change to the quiz HTML
    python tests/regenerate_golden.py --previews  # also re-print decks/quiz-all.html

Review the diff before committing: every changed line is a change teachers will see.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from quiz_helpers import GOLDEN, GOLDEN_CASES, ROOT, golden_files, print_to_pdf, read_pdf

PREVIEWS = ROOT / "decks" / "preview"
PREVIEW_DPI = "60"


def write_golden() -> list[Path]:
    written = []
    for case in GOLDEN_CASES:
        folder = GOLDEN / case
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, content in sorted(golden_files(case).items()):
            (folder / name).write_bytes(content)
            written.append(folder / name)
    return written


def write_previews(quiz: Path) -> list[Path]:
    """Page 1 and the first page of the answer key, as PNGs for the README."""
    PREVIEWS.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder:
        printed = read_pdf(print_to_pdf(quiz, Path(folder) / "quiz.pdf"))
        key_page = next(n for n, text in enumerate(printed.pages, 1) if "TEACHER'S COPY" in text)
        for page, name in ((1, "quiz-page-1"), (key_page, "quiz-answer-key")):
            target = PREVIEWS / name
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    PREVIEW_DPI,
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(printed.path),
                    str(target),
                ],
                check=True,
            )
            written.append(target.with_suffix(".png"))
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--previews", action="store_true", help="also re-print the screenshots")
    arguments = parser.parse_args()
    written = write_golden()
    if arguments.previews:
        written += write_previews(ROOT / "decks" / "quiz-all.html")
    for path in written:
        sys.stdout.write(f"wrote {path.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
