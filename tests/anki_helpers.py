"""Helpers for tests/test_anki.py: build packages and import them with the real Anki backend."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from generator import api
from generator.bank.model import SourcedQuestion
from generator.outputs.anki import package as apkg
from generator.outputs.anki.notetypes import NoteType

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FIXTURE_BANK = REPO / "tests" / "data" / "anki" / "bank"


def checked(*paths: Path) -> tuple[SourcedQuestion, ...]:
    result = api.check_bank(paths, SEEDS)
    assert result.success, "\n".join(map(str, result.problems))
    return result.questions


def copy_fixture_bank(target: Path) -> Path:
    shutil.copytree(FIXTURE_BANK, target)
    return target


def write_package(
    out_dir: Path,
    questions: Sequence[SourcedQuestion],
    previous: apkg.Lock | None = None,
    *,
    now: float,
    note_types: dict[Any, NoteType] | None = None,
) -> tuple[Path, apkg.Lock]:
    """Build like `quizgen build` does, with a fixed clock; return the .apkg path and lock."""
    package = apkg.build_package(
        questions, previous or apkg.Lock(), clock=lambda: now, note_types=note_types
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / apkg.PACKAGE
    path.write_bytes(package.apkg)
    (out_dir / apkg.LOCK).write_bytes(package.lock.to_bytes())
    return path, package.lock


@contextmanager
def collection(path: Path) -> Iterator[Collection]:
    col = Collection(str(path))
    try:
        yield col
    finally:
        col.close()


def import_package(col: Collection, package: Path) -> Any:
    """Import with Anki's default options, as a student clicking File › Import would."""
    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions()
    )
    return col.import_anki_package(request).log


@dataclass(frozen=True)
class CardState:
    reps: int
    ivl: int
    due: int
    queue: int
    type: int
    lapses: int


def card_state(col: Collection, card_id: int) -> CardState:
    card = col.get_card(card_id)
    return CardState(card.reps, card.ivl, card.due, card.queue, card.type, card.lapses)


def notes_by_question(col: Collection) -> dict[str, Any]:
    """Every note in the collection, by its QuestionId field; fails on a duplicate id."""
    found: dict[str, Any] = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        question_id = note["QuestionId"]
        assert question_id not in found, f"duplicate note for {question_id}"
        found[question_id] = note
    return found


def quizgen_note_types(col: Collection) -> dict[str, int]:
    """Name → id of every note type the packages brought in."""
    return {
        entry.name: entry.id
        for entry in col.models.all_names_and_ids()
        if entry.name.startswith("quizgen")
    }
