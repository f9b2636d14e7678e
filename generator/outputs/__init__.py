"""What a build writes: the registry of outputs, one module or subpackage each.

The build knows outputs only through `REGISTRY`; see base.py for what an
output declares and what its render function must do.

To add an output (for example an LMS export):
1. Write `generator/outputs/<name>.py` (or a subpackage once it has several
   modules) with a `render(context: BuildContext) -> dict[str, bytes]`, importing
   only what the outputs share (`.base`, `.html`, `.evidence`, and `.lms` for an LMS
   export), `..bank` and `..paths` (never from build.py).
2. Add one `Output(...)` line below, with the file patterns it writes.
Nothing in build.py or workers.py changes. tests/test_outputs.py then checks
that it writes only the files it declares and that no two outputs share a name.

The order is the order renderers are started in (the quizzes take longest);
the files are written sorted by name whatever the order.
"""

from __future__ import annotations

from .anki.package import render as render_anki
from .base import Output
from .canvas_qti import render as render_canvas_qti
from .coverage import render_coverage
from .gift import render as render_gift
from .moodle import render as render_moodle
from .quiz.render import render_quizzes

REGISTRY: tuple[Output, ...] = (
    Output("quiz", ("quiz-*.html", "quiz-*.pdf"), render_quizzes),
    Output(
        "anki",
        ("{package}.apkg", "{package}.lock.json", "{package}-*.apkg", "{package}-*.lock.json"),
        render_anki,
    ),
    Output(
        "canvas-qti", ("{package}.canvas-qti.zip", "{package}-*.canvas-qti.zip"), render_canvas_qti
    ),
    Output("moodle", ("{package}.moodle.xml", "{package}-*.moodle.xml"), render_moodle),
    Output("gift", ("{package}.gift", "{package}-*.gift"), render_gift),
    Output("coverage", ("coverage.html", "coverage-*.html"), render_coverage),
)
