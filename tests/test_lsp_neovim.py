"""A real editor: headless Neovim opens a question file with a wrong quote, sees it flagged,
completes a fact id inside '{{ ', applies the quick fix, and sees the diagnostic clear.

Neovim's own LSP client talks to `quizgen lsp` (tests/lsp_neovim.lua). Neovim stores a
diagnostic's column in bytes, converted from the server's UTF-16 by Neovim itself, so the
curly apostrophe before the quote on its line must be counted right on both sides.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from lsp_helpers import make_project

HERE = Path(__file__).resolve().parent

QUESTIONS = (
    (
        "facts:\n"
        "  tax: {source: leopold, value: county’s decision,"
        ' quote: "A city or county’s decision to spend tax dollars"}\n'
    )
    + """\
questions:
  - id: tax-who
    type: short
    ask: Whose decision does not prevent ICE from doing its job?
    answer: "{{ tax }}"
"""
)


def test_neovim_flags_a_wrong_quote_and_fixes_it(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    assert nvim, "Neovim is needed (apt-get install neovim); .ci/run installs it"
    root = make_project(tmp_path / "project", QUESTIONS)
    out = tmp_path / "seen.json"
    env = {
        **os.environ,
        "QUIZGEN_NVIM_ROOT": str(root),
        "QUIZGEN_NVIM_FILE": str(root / "questions" / "q.yaml"),
        "QUIZGEN_NVIM_OUT": str(out),
        "QUIZGEN_NVIM_PYTHON": sys.executable,
        "PYTHONPATH": str(HERE.parent),
    }
    done = subprocess.run(
        [nvim, "--headless", "--clean", "-u", "NONE", "-c", f"luafile {HERE / 'lsp_neovim.lua'}"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.is_file(), done.stderr
    seen = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in seen, seen["error"]
    assert seen["flagged"] is True
    line = QUESTIONS.split("\n")[1]
    assert seen["diagnostic"]["line"] == 1
    # Neovim's column is in bytes: the quote starts after a curly apostrophe (3 bytes).
    assert seen["diagnostic"]["col"] == len(line[: line.index('"A city')].encode("utf-8"))
    assert seen["diagnostic"]["message"].startswith(
        "fact 'tax': quote not found in 'leopold' (000_e819e73592b8496a.txt). Closest passage"
    )
    assert "tax" in seen["completion"]
    assert seen["applied"] is True
    assert seen["cleared"] is True and seen["remaining"] == []
    assert "county’s decision not to spend tax dollars" in seen["lines"][1]
