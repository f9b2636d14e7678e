"""Issue 5, output: a build never leaves decks/ half-written, broken or mixed.

Builds run in child processes here, because the point is what a real SIGKILL leaves behind.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
BANK = Path(__file__).resolve().parent / "examples" / "valid" / "every-type" / "questions"
# What a build may leave in the output folder besides its outputs; .gitignore ignores both.
INTERNAL = re.compile(r"^(\.quizgen-build\.lock|\..+\.tmp)$")
OUTPUT_SUFFIXES = (".apkg", ".html", ".json", ".txt")

# Run `quizgen build`, but SIGKILL this very process at the k-th call of os.<mode>: `replace`
# kills it between renames, `fsync` while temp files are still being written.
KILLED_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    mode, k, *args = sys.argv[1:]
    real, calls = getattr(os, mode), []
    def deadly(*a, **kw):
        if len(calls) == int(k):
            os.kill(os.getpid(), signal.SIGKILL)
        calls.append(1)
        return real(*a, **kw)
    setattr(os, mode, deadly)
    from generator.cli import main
    main(["build", *args])
    """
)


def make_bank(folder: Path, ask: str) -> Path:
    """A copy of the every-type example whose first question asks `ask`."""
    questions = folder / "questions"
    shutil.copytree(BANK, questions)
    path = questions / "funding-threats.yaml"
    text = path.read_text()
    old = "How much funding did Sessions threaten to withhold and claw back?"
    assert old in text
    path.write_text(text.replace(old, ask))
    return questions


def build(questions: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", *arguments(questions, out), *extra],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def arguments(questions: Path, out: Path) -> list[str]:
    return ["--questions", str(questions), "--seeds", str(SEEDS), "--out", str(out)]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(folder).items() if not INTERNAL.match(name)}


def is_complete(name: str, data: bytes) -> bool:
    """Whether a file is a whole output of its kind, not a torn one."""
    if name.endswith(".apkg"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return package.testzip() is None and "collection.anki2" in package.namelist()
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return package.testzip() is None and "imsmanifest.xml" in package.namelist()
    if name.endswith(".json"):
        json.loads(data)
        return True
    if name.endswith(".html"):
        return data.rstrip().endswith(b"</html>")
    if name.endswith(".moodle.xml"):
        return data.rstrip().endswith(b"</quiz>")
    return data.endswith(b"\n")


@pytest.fixture(scope="module")
def banks(tmp_path_factory) -> dict[str, object]:
    """Old outputs from bank A, and the new outputs bank B gives when built over them."""
    root = tmp_path_factory.mktemp("banks")
    old_bank = make_bank(root / "a", "How much funding did Sessions threaten to claw back?")
    new_bank = make_bank(root / "b", "What did Sessions threaten to withhold and claw back?")
    old_out = root / "old"
    assert build(old_bank, old_out).returncode == 0
    new_out = root / "new"
    shutil.copytree(old_out, new_out)
    completed = build(new_bank, new_out)
    assert completed.returncode == 0, completed.stderr
    old, new = outputs(old_out), outputs(new_out)
    changed = {name for name in new if old.get(name) != new[name]}
    assert {"quizgen.apkg", "quizgen.lock.json"} <= changed  # so a kill has something to tear
    return {"old_bank": old_bank, "new_bank": new_bank, "old_out": old_out, "old": old, "new": new}


def assert_old_or_whole_new(out: Path, banks: dict) -> None:
    found = snapshot(out)
    for name, data in found.items():
        if INTERNAL.match(name):
            continue
        assert name in banks["new"], f"unexpected file {name}"
        if data == banks["old"].get(name):
            continue
        # Renderers that do not read the clock must give exactly the new bytes;
        # the Anki package and its lock stamp changed notes with the time, so they must be whole.
        if name.endswith((".html", ".txt")):
            assert data == banks["new"][name], name
        assert is_complete(name, data), name
    assert set(banks["old"]) <= set(found), "a build deleted an old output"


@pytest.mark.parametrize(
    ("mode", "k"),
    [("fsync", 0), ("fsync", 2), ("replace", 0), ("replace", 1), ("replace", 3)],
)
def test_a_build_killed_midway_leaves_old_or_whole_new_files(tmp_path, banks, mode, k) -> None:
    out = tmp_path / "decks"
    shutil.copytree(banks["old_out"], out)
    completed = subprocess.run(
        [sys.executable, "-c", KILLED_CHILD, mode, str(k), *arguments(banks["new_bank"], out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == -signal.SIGKILL, completed.stderr
    assert_old_or_whole_new(out, banks)
    # Whatever the kill left, the next build completes the job and sweeps its temp files.
    assert build(banks["new_bank"], out).returncode == 0
    assert set(outputs(out)) == set(banks["new"])
    assert not list(out.glob(".*.tmp"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_build_killed_at_a_random_moment_leaves_old_or_whole_new_files(tmp_path, banks, seed):
    out = tmp_path / "decks"
    shutil.copytree(banks["old_out"], out)
    with subprocess.Popen(
        [sys.executable, "-m", "generator", "build", *arguments(banks["new_bank"], out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as process:
        time.sleep(random.Random(seed).uniform(0.05, 1.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    assert_old_or_whole_new(out, banks)


def test_a_failing_bank_leaves_the_output_folder_exactly_as_it_was(tmp_path, banks) -> None:
    out = tmp_path / "decks"
    shutil.copytree(banks["old_out"], out)
    before = snapshot(out)
    broken = tmp_path / "broken"
    shutil.copytree(banks["new_bank"], broken)
    (broken / "funding-threats.yaml").write_text("facts: [\n")
    completed = build(broken, out)
    assert completed.returncode == 1
    assert "nothing was written; the previous files are unchanged" in completed.stderr
    assert snapshot(out) == before


def test_an_output_folder_under_a_file_is_a_clear_error(tmp_path, banks) -> None:
    """Root may write anywhere, but nobody can make a folder inside a regular file."""
    blocker = tmp_path / "somefile"
    blocker.write_text("not a folder\n")
    completed = build(banks["new_bank"], blocker / "decks")
    assert completed.returncode == 1
    assert completed.stdout.splitlines()[-1] == (
        f"{blocker / 'decks'}:1:1: cannot create the output folder: Not a directory"
    )
    assert "Traceback" not in completed.stderr
    assert blocker.read_text() == "not a folder\n"


def test_an_output_path_that_is_a_file_is_a_usage_error(tmp_path, banks) -> None:
    blocker = tmp_path / "somefile"
    blocker.write_text("not a folder\n")
    completed = build(banks["new_bank"], blocker)
    assert completed.returncode == 2
    assert "is a file" in completed.stderr


def test_two_builds_at_once_do_not_mix_their_files(tmp_path, banks) -> None:
    out = tmp_path / "decks"
    shutil.copytree(banks["old_out"], out)
    command = [sys.executable, "-m", "generator", "build"]
    with (
        subprocess.Popen(
            [*command, *arguments(banks["new_bank"], out)], stderr=subprocess.PIPE
        ) as first,
        subprocess.Popen(
            [*command, *arguments(banks["old_bank"], out)], stderr=subprocess.PIPE
        ) as second,
    ):
        first_errors = first.communicate(timeout=120)[1]
        second_errors = second.communicate(timeout=120)[1]
    assert first.returncode == 0, first_errors
    assert second.returncode == 0, second_errors
    found = outputs(out)
    # The lock serialises them: the folder holds one bank's whole build, whichever ran last.
    deterministic = [name for name in found if name.endswith((".html", ".txt"))]
    sources = {
        "old" if all(found[n] == banks["old"][n] for n in deterministic) else None,
        "new" if all(found[n] == banks["new"][n] for n in deterministic) else None,
    } - {None}
    assert sources, "the HTML files come from different builds"
    assert all(is_complete(name, data) for name, data in found.items())
    leftovers = [name for name in snapshot(out) if INTERNAL.match(name)]
    assert leftovers == [".quizgen-build.lock"]


def test_gitignore_hides_what_a_killed_build_can_leave_in_decks() -> None:
    ignored = (REPO / ".gitignore").read_text().splitlines()
    assert "decks/.quizgen-build.lock" in ignored
    assert "decks/.*.tmp" in ignored
