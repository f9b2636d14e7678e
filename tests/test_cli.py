"""The command line: exit codes 0/1/2, the `path:line:col: message` form, and no tracebacks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
EXAMPLES = Path(__file__).resolve().parent / "examples"
PROBLEM_LINE = re.compile(
    r"^(?P<path>[^:\s][^:]*):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): (?P<message>\S.*)$"
)


def test_a_clean_bank_exits_0_and_says_so(run_line, monkeypatch) -> None:
    monkeypatch.chdir(EXAMPLES / "valid" / "every-type")
    result = run_line(["check", "--seeds", str(SEEDS)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "quizgen: 6 questions and 4 facts from 5 articles: every answer is sourced\n"
    )


def test_warnings_alone_exit_0_and_are_printed(run_line, monkeypatch) -> None:
    monkeypatch.chdir(EXAMPLES / "valid" / "warning-distractor-in-quote")
    result = run_line(["check", "--seeds", str(SEEDS)])
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    assert PROBLEM_LINE.match(line)
    assert ": warning: question 'grant-size': " in line
    assert result.stderr.endswith("every answer is sourced (1 warning)\n")


def test_content_errors_exit_1_one_located_line_each_with_the_id(run_line, monkeypatch) -> None:
    monkeypatch.chdir(EXAMPLES / "invalid" / "two-broken-files")
    result = run_line(["check", "--seeds", str(SEEDS)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    for line in lines:
        match = PROBLEM_LINE.match(line)
        assert match, line
        assert Path(match["path"]).is_file()
    assert [PROBLEM_LINE.match(line)["path"] for line in lines] == [
        "questions/a.yaml",
        "questions/b.yaml",
        "questions/b.yaml",
        "questions/c.yaml",
    ]
    assert "fact 'clawback': quote not found" in lines[0]
    assert "question 'b': " in lines[1]
    assert "question 'c': " in lines[2]
    assert result.stderr == "quizgen: 4 errors in 3 files.\n"
    assert "Traceback" not in result.output


def test_questions_may_be_files_and_folders_repeated(run_line, monkeypatch) -> None:
    folder = EXAMPLES / "invalid" / "duplicate-ids-across-files"
    monkeypatch.chdir(folder)
    only_a = run_line(["check", "--seeds", str(SEEDS), "--questions", "questions/a.yaml"])
    assert only_a.exit_code == 0, only_a.output
    both = run_line(
        [
            "check",
            "--seeds",
            str(SEEDS),
            "--questions",
            "questions/a.yaml",
            "--questions",
            "questions/b.yaml",
        ]
    )
    assert both.exit_code == 1
    assert len(both.stdout.splitlines()) == 2


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["check", "--nope"], "No such option '--nope'"),
        (["check", "--questions", "no/such/folder"], "Path 'no/such/folder' does not exist"),
        (["check", "--seeds", "no/such/seeds"], "Directory 'no/such/seeds' does not exist"),
        (["check", "--seeds", "questions/q.yaml"], "is a file"),
        (["check", "--questions"], "Option '--questions' requires an argument"),
        (["chekc"], "No such command 'chekc'"),
        (["build", "--versions", "0"], "0 is not in the range 1<=x<=26"),
        (["build", "--paper", "a5"], "'a5' is not one of 'letter', 'a4'"),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(run_line, tmp_path, monkeypatch, args, complaint):
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "q.yaml").write_text("facts: {}\n")
    monkeypatch.chdir(tmp_path)
    result = run_line(args)
    assert result.exit_code == 2
    assert complaint in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("Error: ")
    assert "Traceback" not in result.output


def test_missing_default_folders_are_usage_errors(run_line, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_line(["check"])
    assert result.exit_code == 2
    assert "Invalid value for '--questions': Path 'questions' does not exist." in result.stderr


@pytest.mark.parametrize("command", [[], ["check"], ["build"]])
def test_every_command_has_help(run_line, command) -> None:
    result = run_line([*command, "--help"])
    assert result.exit_code == 0
    assert "--questions" in result.stdout or not command
    assert len(result.stdout.splitlines()) > 3


def test_the_module_and_the_script_run_in_a_fresh_process() -> None:
    """`python -m generator` is the same program; a real process shows what users see."""
    case = EXAMPLES / "invalid" / "python-tag"
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--seeds", str(SEEDS)],
        cwd=case,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout == (case / "expected.txt").read_text().split("\n", 1)[1]
    assert completed.stderr == "quizgen: 1 error in 1 file.\n"
    assert not (case / "pwned-by-yaml").exists()
