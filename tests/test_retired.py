"""Retired ids: never reused, and never lost from the committed decks without being retired."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from generator import api
from generator.bank.model import Severity
from generator.cli import main
from generator.rules.history import LOCK_FILE

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "authoring"
PRESENT = ["harbor-cost", "harbor-vote", "harbor-vote-cloze"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def bank_copy(tmp_path: Path) -> Path:
    questions = tmp_path / "questions"
    shutil.copytree(FIXTURE / "questions", questions)
    return questions


def write_lock(decks: Path, notes: dict[str, dict]) -> Path:
    decks.mkdir(parents=True, exist_ok=True)
    path = decks / LOCK_FILE
    path.write_text(json.dumps({"version": 1, "notes": notes}, indent=2), encoding="utf-8")
    return path


def check(questions: Path, decks: Path) -> Result:
    return run("check", "--questions", questions, "--seeds", FIXTURE / "seeds", "--decks", decks)


def test_a_question_that_reuses_a_retired_id_is_refused(tmp_path: Path) -> None:
    questions = bank_copy(tmp_path)
    path = questions / "harbor.yaml"
    path.write_text(path.read_text().replace("id: harbor-cost", "id: harbor-old"))
    result = check(questions, tmp_path / "decks")
    assert result.exit_code == 1
    assert result.stdout == (
        f"{path}:21:9: question 'harbor-old': this id was retired at {path}:30:11: "
        "students' Anki notes still carry it, so give the question a new id\n"
    )


def test_an_id_that_left_the_decks_unretired_is_a_warning(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    lock = write_lock(decks, {i: {"mod": 1} for i in [*PRESENT, "harbor-gone", "harbor-old"]})
    result = check(bank_copy(tmp_path), decks)
    assert result.exit_code == 0, result.output
    line = lock.read_text().splitlines().index('    "harbor-gone": {') + 1
    assert result.stdout == (
        f"{lock}:{line}:5: warning: question 'harbor-gone' is in {lock} but no longer in the "
        "bank: students' notes keep it; add it to retired: in "
        f"{tmp_path / 'questions' / 'harbor.yaml'} so the id is never reused\n"
    )
    assert "(1 warning)" in result.stderr


def test_retiring_the_id_silences_the_warning(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    write_lock(decks, {i: {} for i in [*PRESENT, "harbor-gone"]})
    questions = bank_copy(tmp_path)
    path = questions / "harbor.yaml"
    path.write_text(
        path.read_text().replace("retired: [harbor-old]", "retired: [harbor-old, harbor-gone]")
    )
    result = check(questions, decks)
    assert result.exit_code == 0
    assert result.stdout == ""


def test_the_deck_in_the_lock_names_the_file_when_it_is_there(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    write_lock(decks, {**{i: {} for i in PRESENT}, "gone": {"deck": "Harbor"}})
    result = api.check_bank([bank_copy(tmp_path)], FIXTURE / "seeds", decks)
    (warning,) = result.warnings
    assert "add it to retired: in " in warning.message
    assert warning.message.endswith("harbor.yaml so the id is never reused")


def test_no_lock_file_means_nothing_to_compare(tmp_path: Path) -> None:
    result = api.check_bank([FIXTURE / "questions"], FIXTURE / "seeds", tmp_path / "none")
    assert result.problems == ()


def test_an_unreadable_lock_file_is_a_warning_with_its_place(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / LOCK_FILE).write_text('{\n  "notes": {\n    "x": \n', encoding="utf-8")
    result = api.check_bank([FIXTURE / "questions"], FIXTURE / "seeds", decks)
    (warning,) = result.problems
    assert warning.severity is Severity.WARNING
    assert (warning.location.line, warning.location.column) == (4, 1)
    assert "is not valid JSON" in warning.message
    assert result.success


def test_a_lock_without_notes_is_a_warning(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / LOCK_FILE).write_text("[1, 2]", encoding="utf-8")
    result = api.check_bank([FIXTURE / "questions"], FIXTURE / "seeds", decks)
    (warning,) = result.warnings
    assert "has no 'notes' mapping" in warning.message


def test_a_file_that_fails_to_load_does_not_make_its_ids_look_lost(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    write_lock(decks, {i: {} for i in PRESENT})
    questions = bank_copy(tmp_path)
    (questions / "harbor.yaml").write_text("questions: [\n", encoding="utf-8")
    result = api.check_bank([questions], FIXTURE / "seeds", decks)
    assert result.errors
    assert not result.warnings


def test_another_banks_decks_give_one_warning_not_one_per_id(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    write_lock(decks, {f"other-{n}": {} for n in range(50)})
    result = api.check_bank([FIXTURE / "questions"], FIXTURE / "seeds", decks)
    (warning,) = result.warnings
    assert "none of the 50 question ids" in warning.message
    assert "point --decks at this bank's decks" in warning.message


def test_a_real_build_then_a_removed_question_warns_in_check_and_build(tmp_path: Path) -> None:
    """The lock that the Anki writer really writes, read back after a question is deleted."""
    questions = bank_copy(tmp_path)
    out = tmp_path / "decks"
    seeds = FIXTURE / "seeds"
    built = run("build", "--questions", questions, "--seeds", seeds, "--out", out)
    assert built.exit_code == 0, built.output
    assert set(json.loads((out / LOCK_FILE).read_text())["notes"]) == set(PRESENT)

    path = questions / "harbor.yaml"
    text = path.read_text()
    start = text.index("  - id: harbor-vote-cloze")
    path.write_text(text[:start] + text[text.index("\nretired:") :])

    checked = check(questions, out)
    assert checked.exit_code == 0
    assert "warning: question 'harbor-vote-cloze' is in" in checked.stdout
    rebuilt = run("build", "--questions", questions, "--seeds", seeds, "--out", out)
    assert rebuilt.exit_code == 0
    assert "warning: question 'harbor-vote-cloze' is in" in rebuilt.stdout

    # The build dropped the note from the package, but not from memory: the warning
    # stays until the id is retired, however many builds come between.
    lock = json.loads((out / LOCK_FILE).read_text())
    assert "harbor-vote-cloze" not in lock["notes"]
    assert "harbor-vote-cloze" in lock["removed"]
    assert "warning: question 'harbor-vote-cloze' is in" in check(questions, out).stdout
    text = path.read_text()
    path.write_text(text.replace("retired: [", "retired: [harbor-vote-cloze, "))
    assert "harbor-vote-cloze" not in check(questions, out).stdout


def test_the_real_bank_keeps_every_id_of_the_committed_decks() -> None:
    result = api.check_bank([ROOT / "questions"], ROOT / "seeds", ROOT / "decks")
    assert (ROOT / "decks" / LOCK_FILE).exists()
    assert result.warnings == ()


def test_checking_one_file_judges_only_that_files_decks(tmp_path: Path) -> None:
    """An editor checks the file it saves; the other decks' ids are not gone, just unread."""
    leopold = ROOT / "questions" / "leopold.yaml"
    alone = run(
        "check", "--questions", leopold, "--seeds", ROOT / "seeds", "--decks", ROOT / "decks"
    )
    assert alone.exit_code == 0
    assert "warning" not in alone.stdout

    questions = bank_copy(tmp_path)
    out = tmp_path / "decks"
    seeds = FIXTURE / "seeds"
    assert run("build", "--questions", questions, "--seeds", seeds, "--out", out).exit_code == 0
    path = questions / "harbor.yaml"
    text = path.read_text()
    start = text.index("  - id: harbor-vote-cloze")
    path.write_text(text[:start] + text[text.index("\nretired:") :])
    alone = run("check", "--questions", path, "--seeds", seeds, "--decks", out)
    assert "warning: question 'harbor-vote-cloze' is in" in alone.stdout
