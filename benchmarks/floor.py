"""The floor: the work no implementation of `quizgen build` can avoid, as one process.

It parses the same YAML files with PyYAML's C loader and writes one genanki
note per question (a plain Model/Note/Package, `write_to_db` into a temporary
SQLite file). run.py times it in a fresh child process, start-up included,
exactly as it times `quizgen check` and `quizgen build`.

    python benchmarks/floor.py BANK_DIR      # BANK_DIR holds questions/ and seeds/
"""

from __future__ import annotations

import gc
import itertools
import sqlite3
import sys
import tempfile
from pathlib import Path

import genanki
import yaml

MODEL = genanki.Model(
    1607392319,
    "Floor",
    fields=[{"name": "Question"}, {"name": "Answer"}],
    templates=[{"name": "Card 1", "qfmt": "{{Question}}", "afmt": "{{Answer}}"}],
)
TIMESTAMP = 1_700_000_000.0


def _load(path: Path) -> object:
    with path.open("rb") as stream:
        return yaml.load(stream, Loader=yaml.CSafeLoader)


def _fields(question: dict[str, object]) -> list[str]:
    front = question.get("ask") or question.get("statement") or question.get("fact") or ""
    back = question.get("answer", "")
    return [str(front), str(back)]


def floor(bank: Path) -> int:
    # The same collector setting as quizgen's (generator/cli.py), so the comparison is
    # like for like: with the default, the floor itself grows faster than the bank.
    gc.set_threshold(100_000, 50, 1000)
    _load(bank / "seeds" / "sources.yaml")
    decks: dict[str, genanki.Deck] = {}
    notes = 0
    for path in sorted((bank / "questions").glob("*.yaml")):
        data = _load(path)
        name = data["deck"]
        deck = decks.setdefault(name, genanki.Deck(len(decks) + 1, name))
        for question in data["questions"]:
            deck.add_note(genanki.Note(model=MODEL, fields=_fields(question), guid=question["id"]))
            notes += 1
    package = genanki.Package(list(decks.values()))
    with tempfile.TemporaryDirectory() as temp:
        connection = sqlite3.connect(Path(temp) / "collection.anki2")
        package.write_to_db(connection.cursor(), TIMESTAMP, itertools.count(int(TIMESTAMP * 1000)))
        connection.commit()
        connection.close()
    return notes


if __name__ == "__main__":
    print(floor(Path(sys.argv[1])))
