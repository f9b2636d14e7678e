"""quizgen's problems as LSP diagnostics, one list per file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from lsprotocol import types
from pygls.workspace import TextDocument

from . import positions
from .project import Problem, Severity, problem_message

SOURCE = "quizgen"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}


def by_file(problems: Iterable[Problem]) -> dict[Path, list[Problem]]:
    """Each file's problems, in check's order, keyed by the file's absolute path."""
    grouped: dict[Path, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(Path(problem.location.path).absolute(), []).append(problem)
    return grouped


def diagnostics(
    problems: list[Problem], document: Callable[[], TextDocument]
) -> list[types.Diagnostic]:
    """The problems of one file, placed in its text in the client's position units."""
    if not problems:
        return []
    text = document()
    return [
        types.Diagnostic(
            range=positions.problem_range(text, p.location.line, p.location.column),
            message=problem_message(p),
            severity=_SEVERITY[p.severity],
            source=SOURCE,
        )
        for p in problems
    ]
