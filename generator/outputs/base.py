"""What every output shares with the build: the options, the context, the error, the entry.

This module imports no output and not the build, so the arrows point one way:
build.py → outputs (the registry) → each output → this module.

An output is one `Output` entry in `generator.outputs.REGISTRY`:

- `name`: a short, stable id ("anki", "quiz", "coverage") for messages and tests.
- `files`: the names it may write in the output folder, as `fnmatch` patterns
  ("quiz-*.html"). Every name its render function returns matches one of them,
  and no other output's patterns match it (tests/test_outputs.py holds every
  output to that), so two outputs can never overwrite each other's files.
- `render`: a function `BuildContext -> {file name: bytes}`.

What a render function must do:

- Be a pure function of the context: the same questions, options and previous
  files give the same bytes, or `quizgen build --check` fails on every run. No
  clock, no random seed but `options.seed`, no order from a set or the file system.
- Return plain file names (no folders); the build writes them atomically, all or
  none, and records them in the manifest.
- Treat every text as untrusted: escape it for the format it writes (HTML pages go
  through outputs/html.py, the one sandboxed, autoescaping Jinja environment).
- Report what a user can fix by raising `RenderError(Problem(...))`: the build
  shows the problem and writes nothing. Anything else is a bug and propagates.
- Import an optional library inside the function that needs it (see quiz/pdf.py)
  and a heavy one at the top of its own module: outputs are imported only when
  building, never by `quizgen check`.
- It may run in a forked worker (workers.py): it may read the context freely,
  must not rely on changing shared state, and its result comes back by pickle.

`context.questions` is already cut to `options.deck` when the build has --deck; an
output that writes per-bank files names a deck build's files apart (as Anki's
`quizgen-<slug>.apkg` does) so a deck build never replaces the whole-bank file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from ..bank.model import Pool, Problem, Source, SourcedQuestion
from ..paths import DEFAULT_PACKAGE


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path = Path("decks")
    deck: str | None = None
    paper: str = "letter"
    versions: int = 1
    seed: int = 0
    pdf: bool = False
    # How many renderers run at once; None: every CPU for a large bank, else one.
    jobs: int | None = None
    # Which outputs to write, by name (generator/formats.py); empty: all of them.
    formats: tuple[str, ...] = ()
    # The stem of the files named after the project: quizgen.apkg, quizgen.moodle.xml, …
    package: str = DEFAULT_PACKAGE


@dataclass(frozen=True)
class BuildContext:
    """What a renderer gets: the checked questions, the options, and the previous outputs."""

    questions: tuple[SourcedQuestion, ...]
    options: BuildOptions
    previous: Callable[[str], bytes | None]
    # Every article of the bank, cited or not, so coverage can show what no question tests.
    sources: tuple[Source, ...] = ()
    # The bank's pools: each printed version asks `pick` of a pool's questions.
    pools: Mapping[str, Pool] = field(default_factory=dict)


# A renderer maps the checked bank to {file name in the output folder: bytes}.
Renderer = Callable[[BuildContext], dict[str, bytes]]


class RenderError(Exception):
    """A renderer cannot run, e.g. an optional tool is missing: reported as a problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem

    def __reduce__(self) -> tuple[type[RenderError], tuple[Problem]]:
        # Raised in a forked renderer, it comes back to the build through pickle.
        return (RenderError, (self.problem,))


@dataclass(frozen=True)
class Output:
    """One output of the build: its name, the files it may write, and how to render them."""

    name: str
    files: tuple[str, ...]
    render: Renderer

    def writes(self, file_name: str, package: str = DEFAULT_PACKAGE) -> bool:
        """Whether file_name is one this output declares (case-sensitive, as on Linux).

        A pattern's `{package}` is the project's package name (paths.PACKAGE_NAME allows
        no character that fnmatch reads as a wildcard).
        """
        return any(
            fnmatchcase(file_name, pattern.replace("{package}", package)) for pattern in self.files
        )
