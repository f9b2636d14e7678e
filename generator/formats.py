"""The names of the build's outputs, for `--format` and quizgen.toml's `[build] formats`.

Kept apart from generator/outputs/, whose package imports every renderer: the command
line offers these names without loading one. tests/test_outputs.py holds this list, the
registry and the project file's schema together.
"""

from __future__ import annotations

FORMATS: tuple[str, ...] = ("anki", "quiz", "canvas-qti", "moodle", "gift", "coverage")
