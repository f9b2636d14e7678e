"""The check cache: used only when every byte the check reads is the same, and never harmful."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator import api, cache
from generator.bank.model import Location, Problem
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "authoring"


@pytest.fixture
def bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a small clean bank, checked from its own folder with its own cache."""
    shutil.copytree(FIXTURE / "questions", tmp_path / "questions")
    shutil.copytree(FIXTURE / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path


def check(*extra: str) -> Result:
    return CliRunner().invoke(main, ["check", *extra], catch_exceptions=False)


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith("check-"))


def plant(entry: Path, message: str) -> None:
    """Replace a cache entry's result, keeping its key: what a hit would print, and a miss not."""
    data = entry.read_bytes()
    header = len(cache.FORMAT) + 32  # sha256
    _loaded, found, bank, questions = pickle.loads(data[header:])
    marker = Problem(Location("planted.yaml", 1, 1), message)
    entry.write_bytes(data[:header] + pickle.dumps(([marker], found, bank, questions)))


def test_an_unchanged_bank_is_read_back_from_the_cache(bank: Path) -> None:
    first = check()
    assert first.exit_code == 0, first.output
    [entry] = entries(bank / "cache")
    plant(entry, "read from the cache")
    second = check()
    assert second.exit_code == 1
    assert second.stdout == "planted.yaml:1:1: read from the cache\n"


@pytest.mark.parametrize(
    "change",
    [
        "edit a question file",
        "add a question file",
        "rename a question file",
        "edit an article",
        "edit sources.yaml",
        "add a file to seeds",
    ],
)
def test_any_change_to_what_check_reads_is_a_miss(bank: Path, change: str) -> None:
    assert check().exit_code == 0
    [entry] = entries(bank / "cache")
    plant(entry, "stale")
    questions = bank / "questions" / "harbor.yaml"
    if change == "edit a question file":
        questions.write_text(questions.read_text() + "\n# a comment\n")
    elif change == "add a question file":
        (bank / "questions" / "more.yaml").write_text("facts: {}\nquestions: []\n")
    elif change == "rename a question file":
        questions.rename(questions.with_name("port.yaml"))
    elif change == "edit an article":
        article = next((bank / "seeds").glob("*.txt"))
        article.write_bytes(article.read_bytes() + b"\n")
    elif change == "edit sources.yaml":
        sources = bank / "seeds" / "sources.yaml"
        sources.write_text(sources.read_text() + "\n")
    else:
        (bank / "seeds" / "notes.md").write_text("not an article\n")
    result = check()
    assert "stale" not in result.output
    assert "planted.yaml" not in result.output


def test_a_miss_replaces_the_entry_rather_than_adding_one(bank: Path) -> None:
    check()
    questions = bank / "questions" / "harbor.yaml"
    questions.write_text(questions.read_text() + "\n# a comment\n")
    check()
    assert len(entries(bank / "cache")) == 1


def test_a_problem_found_by_the_first_check_is_found_again(bank: Path) -> None:
    questions = bank / "questions" / "harbor.yaml"
    questions.write_text(questions.read_text().replace("id: harbor-cost", "id: Harbor Cost"))
    first, second = check(), check()
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout
    assert "Harbor Cost" in first.stdout


@pytest.mark.parametrize("damage", [b"", b"garbage", cache.FORMAT + b"\0" * 32 + b"not a pickle"])
def test_a_damaged_cache_entry_is_a_miss(bank: Path, damage: bytes) -> None:
    clean = check()
    [entry] = entries(bank / "cache")
    entry.write_bytes(damage)
    result = check()
    assert result.exit_code == 0
    assert result.output == clean.output


def test_a_cache_that_cannot_be_written_is_skipped(
    bank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = bank / "not-a-folder"
    blocker.write_text("a file where the cache folder would go\n")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocker / "cache"))
    result = check()
    assert result.exit_code == 0, result.output
    assert blocker.read_text() == "a file where the cache folder would go\n"


def test_no_cache_neither_reads_nor_writes_it(bank: Path) -> None:
    check()
    [entry] = entries(bank / "cache")
    plant(entry, "read from the cache")
    result = check("--no-cache")
    assert result.exit_code == 0
    assert "planted" not in result.output
    assert entry.read_bytes().count(b"read from the cache") == 1


def test_the_cache_folder_tells_git_and_backups_to_skip_it(bank: Path) -> None:
    check()
    assert (bank / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (
        (bank / "cache" / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_the_cache_keeps_a_bounded_number_of_entries(bank: Path) -> None:
    for index in range(cache.MAX_ENTRIES + 3):
        folder = bank / f"copy{index}"
        shutil.copytree(bank / "questions", folder)
        assert check("--questions", str(folder)).exit_code == 0
    assert len(entries(bank / "cache")) == cache.MAX_ENTRIES


def test_the_library_uses_no_cache_unless_given_one(bank: Path) -> None:
    result = api.check_bank((Path("questions"),), Path("seeds"), Path("decks"))
    assert result.success
    assert not (bank / "cache").exists()
    check_cache = cache.CheckCache(bank / "cache")
    cached = api.check_bank((Path("questions"),), Path("seeds"), Path("decks"), check_cache)
    assert cached.problems == result.problems
    assert [q.answer for q in cached.questions] == [q.answer for q in result.questions]


def test_a_fifo_in_the_seeds_folder_does_not_block_the_key(bank: Path) -> None:
    os.mkfifo(bank / "seeds" / "pipe")
    result = check()
    assert result.exit_code == 0, result.output


def test_the_quizgen_process_leaves_its_entry_to_a_child_that_finishes_it(bank: Path) -> None:
    # A process with no other thread pickles the entry in a forked child, and exits
    # without waiting for it (in-process commands under pytest-xdist run threads, so
    # they write the entry themselves).
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("quizgen: ")
    deadline = time.monotonic() + 60
    while not entries(bank / "cache") and time.monotonic() < deadline:
        time.sleep(0.05)  # the child renames the entry into place when it is whole
    [entry] = entries(bank / "cache")
    plant(entry, "written by the child")
    assert check().stdout == "planted.yaml:1:1: written by the child\n"


def test_the_entry_is_in_place_when_the_with_block_ends(bank: Path) -> None:
    with cache.CheckCache(bank / "cache", write_in_background=True) as check_cache:
        api.check_bank((Path("questions"),), Path("seeds"), Path("decks"), check_cache)
    assert len(entries(bank / "cache")) == 1


def test_the_default_cache_is_the_users_not_the_projects(
    bank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An entry is a pickle: one planted in a repository must never be read.
    monkeypatch.delenv(cache.CACHE_DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(bank / "home-cache"))
    assert cache.default_dir() == bank / "home-cache" / "quizgen" / "check"
    assert check().exit_code == 0
    assert len(entries(bank / "home-cache" / "quizgen" / "check")) == 1
    assert not any(path.name.startswith(".quizgen") for path in bank.iterdir())


@pytest.mark.parametrize("mode", [0o770, 0o707])
def test_an_entry_others_could_have_written_is_not_read(bank: Path, mode: int) -> None:
    check()
    [entry] = entries(bank / "cache")
    plant(entry, "planted by someone else")
    (bank / "cache").chmod(mode)
    result = check()
    assert "planted" not in result.output
    assert result.exit_code == 0


def test_the_cache_folder_is_private_to_its_user(bank: Path) -> None:
    check()
    assert (bank / "cache").stat().st_mode & 0o777 == 0o700
    [entry] = entries(bank / "cache")
    assert entry.stat().st_mode & 0o077 == 0
