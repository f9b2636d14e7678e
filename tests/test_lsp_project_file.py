"""quizgen.toml in the editor: `quizgen lsp` reports its problems as `quizgen check` does,
while it is typed, and starts (and reads its folders) however the file stands.

Each test starts the server in its own project folder, as an editor does, so the
server's own start-up reads that folder's quizgen.toml.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from lsp_helpers import (
    QUESTIONS,
    make_project,
    open_document,
    published,
    recording_client,
    replace_all,
    start,
    write,
)
from lsprotocol import types
from pytest_lsp import ClientServerConfig

from generator.project import load_project

VALID = """\
[folders]
questions = "questions"

[build]
paper = "a4"
"""
# A key the schema does not know, on line 6.
UNKNOWN_KEY = VALID + "papr = 'letter'\n"


@asynccontextmanager
async def server_in(root: Path, spec: str = "neovim", *options: str):
    """`quizgen lsp [options]` started in root (its working folder), with a recording client."""
    launch = (
        "import os, runpy, sys; os.chdir(sys.argv[1]); "
        "sys.argv = ['quizgen', 'lsp', *sys.argv[2:]]; "
        "runpy.run_module('generator', run_name='__main__')"
    )
    config = ClientServerConfig(
        server_command=[sys.executable, "-c", launch, str(root), *options],
        client_factory=recording_client,
    )
    client = await config.start()
    try:
        await start(client, root, spec)
        yield client
    finally:
        await client.shutdown_session()


def check_lines(root: Path) -> list[str]:
    """What every quizgen command prints about root's quizgen.toml before it stops."""
    previous = Path.cwd()
    os.chdir(root)
    try:
        found = load_project()
    finally:
        os.chdir(previous)
    assert isinstance(found, list), "the project file was expected to have problems"
    return [str(problem) for problem in found]


def as_lines(params: types.PublishDiagnosticsParams) -> list[str]:
    # quizgen.toml is ASCII here, so the client's columns are characters.
    return [
        f"quizgen.toml:{d.range.start.line + 1}:{d.range.start.character + 1}: {d.message}"
        for d in params.diagnostics
    ]


@pytest.mark.asyncio
async def test_a_problem_in_the_project_file_is_checks_line(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    toml = write(root / "quizgen.toml", UNKNOWN_KEY)
    async with server_in(root) as client:
        open_document(client, toml)
        params = await published(client, toml, version=1)
        assert as_lines(params) == check_lines(root)
        [diagnostic] = params.diagnostics
        assert diagnostic.range.start.line == 5
        assert "papr" in diagnostic.message
        assert diagnostic.severity == types.DiagnosticSeverity.Error


@pytest.mark.asyncio
async def test_typing_in_the_project_file_flags_and_clears_its_problems(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    toml = write(root / "quizgen.toml", VALID)
    async with server_in(root, "visual-studio-code") as client:
        open_document(client, toml)
        assert list((await published(client, toml, version=1)).diagnostics) == []
        # Unsaved: a TOML syntax error while typing, then a value of the wrong kind.
        replace_all(client, toml, VALID + "[package\n", 2)
        broken = await published(client, toml, version=2)
        assert len(broken.diagnostics) == 1
        assert broken.diagnostics[0].range.start.line == 5
        assert "is not valid TOML" in broken.diagnostics[0].message
        replace_all(client, toml, VALID.replace('"a4"', '"a3"'), 3)
        wrong = await published(client, toml, version=3)
        assert [d.range.start.line for d in wrong.diagnostics] == [4]
        replace_all(client, toml, VALID, 4)
        assert list((await published(client, toml, version=4)).diagnostics) == []


@pytest.mark.asyncio
async def test_the_bank_is_still_checked_beside_a_broken_project_file(tmp_path: Path) -> None:
    """Both at once: each file shows its own problems, as check would once the file is fixed."""
    root = make_project(tmp_path)
    toml = write(root / "quizgen.toml", UNKNOWN_KEY)
    questions = root / "questions" / "q.yaml"
    async with server_in(root) as client:
        open_document(client, questions)
        flagged = await published(client, questions, version=1)
        assert any("fact 'clawback'" in d.message for d in flagged.diagnostics)
        await published(client, toml, after=0)
        assert [d.range.start.line for d in client.diagnostics[toml.absolute().as_uri()]] == [5]


@pytest.mark.asyncio
async def test_the_server_reads_the_project_files_folders(tmp_path: Path) -> None:
    """A bank kept in bank/ (quizgen.toml says so) is the bank the server checks."""
    root = make_project(tmp_path)
    (root / "questions").rename(root / "bank")
    write(root / "quizgen.toml", '[folders]\nquestions = "bank"\n')
    questions = root / "bank" / "q.yaml"
    async with server_in(root) as client:
        open_document(client, questions)
        params = await published(client, questions, version=1)
        assert any("fact 'clawback'" in d.message for d in params.diagnostics)
        assert QUESTIONS.splitlines()[0] in questions.read_text()


def test_the_server_starts_with_a_broken_project_file(tmp_path: Path) -> None:
    """Every other command stops at a broken quizgen.toml; the editor's server must not,
    or the file could not be fixed with its help. An editor that closes stdin stops it."""
    root = make_project(tmp_path)
    write(root / "quizgen.toml", "[build\n")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "lsp"],
        cwd=root,
        input=b"",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert b"fix quizgen.toml first" not in done.stderr
    assert done.returncode == 0, done.stderr
    check = subprocess.run(
        [sys.executable, "-m", "generator", "check"],
        cwd=root,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 1 and b"fix quizgen.toml first" in check.stderr


@pytest.mark.asyncio
async def test_the_package_name_is_the_lock_file_vanished_ids_are_looked_up_in(
    tmp_path: Path,
) -> None:
    clean = QUESTIONS.replace(
        '  clawback:\n    source: leopold\n    quote: "é🎉 "\n    value: $4 billion\n', ""
    )
    root = make_project(tmp_path, clean)
    write(root / "quizgen.toml", '[package]\nname = "civics"\n')
    built = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--format", "anki"],
        cwd=root,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert (root / "decks" / "civics.lock.json").is_file()
    questions = root / "questions" / "q.yaml"
    async with server_in(root) as client:
        open_document(client, questions, clean.replace("id: clawback-amount", "id: amount"))
        # The bank and the lock now share no id: check warns at the lock file, by its name.
        lock = await published(client, root / "decks" / "civics.lock.json", after=0)
        assert any("decks/civics.lock.json" in d.message for d in lock.diagnostics)


@pytest.mark.asyncio
async def test_editing_the_project_files_folders_moves_the_check(tmp_path: Path) -> None:
    """Typed into quizgen.toml, a new questions folder is the one checked: no restart."""
    root = make_project(tmp_path)
    toml = write(root / "quizgen.toml", VALID)
    moved = root / "unit-2"
    moved.mkdir()
    write(moved / "q.yaml", QUESTIONS.replace("é🎉 ", "a quote the article never had"))
    old_file, new_file = root / "questions" / "q.yaml", moved / "q.yaml"
    async with server_in(root) as client:
        open_document(client, toml)
        await published(client, toml, version=1)
        old = client.diagnostics[old_file.absolute().as_uri()]
        assert any("fact 'clawback'" in d.message for d in old)
        replace_all(client, toml, VALID.replace('"questions"', '"unit-2"'), 2)
        found = await published(client, new_file, after=0)
        assert any("fact 'clawback'" in d.message for d in found.diagnostics)
        # The old folder is no longer the bank: its problems are withdrawn.
        assert list(client.diagnostics[old_file.absolute().as_uri()]) == []


@pytest.mark.asyncio
async def test_a_folder_named_on_the_command_line_stays(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "questions").rename(root / "mine")
    write(root / "quizgen.toml", '[folders]\nquestions = "elsewhere"\n')
    async with server_in(root, "neovim", "--questions", "mine") as client:
        questions = root / "mine" / "q.yaml"
        open_document(client, questions)
        params = await published(client, questions, version=1)
        assert any("fact 'clawback'" in d.message for d in params.diagnostics)
