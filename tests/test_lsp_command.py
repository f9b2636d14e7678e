"""The `quizgen lsp` command: pygls is imported only by it, and its absence is a clear word."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_check_does_not_import_pygls(tmp_path: Path) -> None:
    program = (
        "import sys\n"
        "from generator.cli import main\n"
        "try:\n"
        "    main(['check', '--no-cache'])\n"
        "except SystemExit as done:\n"
        "    code = done.code\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')]\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_lsp_without_pygls_says_what_to_install(tmp_path: Path) -> None:
    program = (
        "import sys\n"
        "sys.modules['pygls'] = None\n"  # as if the lsp extra were not installed
        "from generator.cli import main\n"
        "main(['lsp'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "pip install 'quizgen[lsp]'" in done.stderr
    assert "Traceback" not in done.stderr
