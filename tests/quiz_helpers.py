"""Helpers for the quiz tests and tests/regenerate_golden.py: the fixture bank, the golden
cases, and printing with real headless Chromium read back with poppler."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator import api
from generator.bank.model import CheckResult
from generator.outputs.base import BuildContext, BuildOptions
from generator.outputs.quiz.render import render_quizzes

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "quiz"
GOLDEN = ROOT / "tests" / "golden" / "quiz"
REGENERATE = "python tests/regenerate_golden.py"

# Each golden case is a folder of the exact files the quiz renderer writes.
GOLDEN_CASES = {
    "one-version-letter": BuildOptions(paper="letter"),
    "two-versions-a4": BuildOptions(paper="a4", versions=2, seed=3),
}

# From /work/shared/FACTS.md: works as root with no network; without
# --no-pdf-header-footer Chromium prints its own date and title on every page.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
)
CHROMIUM_TIMEOUT_SECONDS = 120


@cache
def fixture_result() -> CheckResult:
    result = api.check_bank([FIXTURE / "questions"], FIXTURE / "seeds", FIXTURE / "decks")
    assert result.success, [str(p) for p in result.problems]
    return result


@cache
def bank_result() -> CheckResult:
    result = api.check_bank([ROOT / "questions"], ROOT / "seeds", ROOT / "decks")
    assert result.success, [str(p) for p in result.problems]
    return result


def quiz_files(result: CheckResult, options: BuildOptions) -> dict[str, bytes]:
    """What the quiz renderer alone writes for a checked bank, drawing from its pools."""
    pools = result.bank.pools if result.bank else {}
    return render_quizzes(BuildContext(result.questions, options, lambda name: None, (), pools))


def golden_files(case: str) -> dict[str, bytes]:
    return quiz_files(fixture_result(), GOLDEN_CASES[case])


def chromium(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a fresh profile; its dbus complaints on stderr are harmless."""
    binary = shutil.which("chromium")
    assert binary, "Debian's chromium is needed: apt-get install chromium (see .ci/run)"
    with tempfile.TemporaryDirectory(prefix="quizgen-chromium-") as profile:
        return subprocess.run(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments],
            capture_output=True,
            text=True,
            timeout=CHROMIUM_TIMEOUT_SECONDS,
            check=True,
        )


def print_to_pdf(html: Path, pdf: Path, *, browser_headers: bool = False) -> Path:
    """Print as the tests and CI do; browser_headers=True prints as Chrome's dialog does by
    default, with its own date, title and URL wherever the page leaves a margin empty."""
    flags = () if browser_headers else ("--no-pdf-header-footer",)
    chromium(*flags, f"--print-to-pdf={pdf}", html.resolve().as_uri())
    assert pdf.stat().st_size > 0
    return pdf


def dump_dom(html: Path) -> str:
    """The DOM after the page's scripts (if any) have run."""
    return chromium("--dump-dom", html.resolve().as_uri()).stdout


@dataclass(frozen=True)
class PrintedPdf:
    path: Path
    pages: tuple[str, ...]
    size: tuple[float, float]

    def text(self) -> str:
        return "\n".join(self.pages)


def read_pdf(path: Path) -> PrintedPdf:
    """Each page's text (pdftotext) and the page size in points (pdfinfo)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info.stdout, re.M).groups()
    pages = tuple(
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    )
    return PrintedPdf(path, pages, (float(width), float(height)))


def squeeze(text: str) -> str:
    """Text with every run of whitespace made one space, as line breaks fall anywhere."""
    return " ".join(text.split())
