"""Example folders become test cases: `quizgen check` in each prints exactly its expected.txt.

Add a case by making a folder under examples/valid/ or examples/invalid/ with a questions/
folder (and seeds/ if it needs its own articles), then run `python tests/regenerate_examples.py
NAME` and read the expected.txt it writes: those lines are what a contributor would see.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from regenerate_examples import EXPECTED, arguments, case_id, cases, expected, outcome

CASES = list(cases())


@pytest.mark.parametrize("folder", CASES, ids=case_id)
def test_check_prints_the_expected_lines(folder: Path, run_line, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    result = run_line(arguments(folder))
    assert outcome(result.exit_code, result.stdout) == expected(folder)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("folder", CASES, ids=case_id)
def test_valid_cases_pass_and_invalid_cases_fail(folder: Path) -> None:
    found = expected(folder)
    if folder.parent.name == "valid":
        assert found.exit_code == 0
        assert all(": warning: " in line for line in found.lines)
    else:
        assert found.exit_code == 1
        assert found.lines, "an invalid case must report at least one problem"


@pytest.mark.parametrize("folder", CASES, ids=case_id)
def test_every_line_is_located_in_the_case(folder: Path) -> None:
    """`path:line:col: message`, with a path an editor can open from the case folder."""
    for line in expected(folder).lines:
        path, line_number, column, message = line.split(":", 3)
        assert (folder / path).exists() or path.startswith("/"), line
        assert int(line_number) >= 1 and int(column) >= 1, line
        assert message.startswith(" ") and len(message) > 10, line


def test_there_are_cases_of_both_kinds() -> None:
    kinds = {folder.parent.name for folder in CASES}
    assert kinds == {"valid", "invalid"}
    assert all((folder / EXPECTED).is_file() for folder in CASES)
