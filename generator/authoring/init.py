"""`quizgen init [DIR]`: a project that `quizgen check` and `quizgen build` pass at once.

It holds one tiny article, one fact and one question, so that every file shows its
format by example, and the editor settings that point at the published JSON Schemas.
Nothing that exists is overwritten: if any file would be, nothing is written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..bank.model import Location, Problem
from ..bank.schema import schema_text
from ..importing.writing import write_together
from ..paths import display

EXAMPLE_ARTICLE = """\
Honeybees dance to share directions

A honeybee that finds a good patch of flowers returns to the hive and performs a waggle \
dance on the comb.

The angle of the dance tells the other bees which way to fly, measured from the direction \
of the sun. The length of the waggle run tells them how far to go.

Karl von Frisch described the dance in the 1940s, and he shared the 1973 Nobel Prize in \
Physiology or Medicine for the work.
"""

SOURCES = """\
# The articles that every quote in questions/ must come from.
# Each id is what a fact's `source:` names. `sha256` pins the file's bytes:
# if an article changes, `quizgen check` reports every fact that cites it.
# `quizgen add FILE` adds an article here; `quizgen repin ID` accepts a corrected one.
sources:
  example:
    file: example.txt
    title: Honeybees dance to share directions
    sha256: {sha256}
"""

QUESTIONS = """\
# yaml-language-server: $schema=../.vscode/question-file.schema.json
# One file is one deck. A fact is a value and the verbatim quote that proves it;
# a question uses facts through {{{{ fact_id }}}}. Run `quizgen find "a phrase"` to get a
# fact to paste, and `quizgen check` to prove every answer.
deck: {deck}::Honeybees

facts:
  waggle_dance:
    source: example
    quote: >-
      returns to the hive and performs a waggle dance on the comb
    value: waggle dance

questions:
  - id: bee-dance-name   # permanent: it keys the students' Anki notes
    type: short
    ask: What does a honeybee perform on the comb to tell other bees where flowers are?
    answer: "{{{{ waggle_dance }}}}"
"""

PROJECT = """\
# The quizgen project file. Options on the command line win over what it says.

[folders]
questions = "questions"   # the question files, one per deck
seeds = "seeds"           # the articles and sources.yaml
decks = "decks"           # where `quizgen build` writes

[build]
paper = "letter"          # or "a4"
versions = 1              # quiz versions A, B, … with shuffled questions and options
seed = 0                  # the same seed always gives the same files
# formats = ["anki", "quiz", "moodle"]   # write only these (default: every output)

[package]
name = "quizgen"          # the files' stem: quizgen.apkg, quizgen.moodle.xml, …
"""

GITIGNORE = """\
.venv/
# build and import internals: folder locks and temp files renamed into place
decks/.quizgen-build.lock
decks/.*.tmp
seeds/.quizgen-add.lock
seeds/.*.tmp
"""


@dataclass
class InitResult:
    directory: Path
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.problems


def project_files(directory: Path, deck: str = "My quiz") -> dict[Path, bytes]:
    """Every file of a new project, by path: the project file last, as it marks a project."""
    article = EXAMPLE_ARTICLE.encode("utf-8")
    settings = {
        "yaml.schemas": {
            "./.vscode/question-file.schema.json": "questions/*.yaml",
            "./.vscode/sources.schema.json": "seeds/sources.yaml",
        },
        "evenBetterToml.schema.associations": {"quizgen\\.toml$": "./.vscode/project.schema.json"},
    }
    files = {
        directory / "seeds" / "example.txt": article,
        directory / "seeds" / "sources.yaml": SOURCES.format(
            sha256=hashlib.sha256(article).hexdigest()
        ).encode("utf-8"),
        directory / "questions" / "example.yaml": QUESTIONS.format(deck=deck).encode("utf-8"),
        directory / ".gitignore": GITIGNORE.encode("utf-8"),
        directory / ".vscode" / "settings.json": (json.dumps(settings, indent=2) + "\n").encode(),
    }
    for name in ("question-file", "sources", "project"):
        files[directory / ".vscode" / f"{name}.schema.json"] = schema_text(name).encode("utf-8")
    files[directory / "quizgen.toml"] = PROJECT.encode("utf-8")
    return files


def init_project(directory: Path) -> InitResult:
    """Write a new project into directory (made if missing); refuse if any file exists."""
    result = InitResult(directory)
    if directory.exists() and not directory.is_dir():
        result.problems.append(Problem(Location(display(directory)), "is a file, not a folder"))
        return result
    files = project_files(directory)
    for path in files:
        if path.exists() or path.is_symlink():
            result.problems.append(
                Problem(
                    Location(display(path)),
                    "already exists: quizgen init never overwrites a file; "
                    "start the project in a new folder",
                )
            )
    if result.problems:
        return result
    (directory / "decks").mkdir(parents=True, exist_ok=True)
    write_together(files, replace_last=False)
    result.written = list(files)
    return result
