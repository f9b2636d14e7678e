"""For every example folder, the language server's diagnostics are `quizgen check`'s lines.

The server is started in the case folder as an editor would start it, with the real seeds
unless the case has its own (as tests/regenerate_examples.py runs check). Nothing is opened:
the diagnostics are those of the files on disk, turned back into `path:line:col: message`
with each column counted back from UTF-16 into characters.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from lsp_helpers import WAIT, recording_client, start
from lsprotocol import types
from regenerate_examples import arguments, case_id, cases, expected

pytestmark = pytest.mark.asyncio

CASES = list(cases())


def shown(path: Path) -> str:
    """A path as check shows it from the case folder (paths.display)."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def utf16_to_characters(line: str, units: int) -> int:
    count = 0
    for index, char in enumerate(line):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def as_lines(published: dict[str, list[types.Diagnostic]]) -> list[str]:
    lines = []
    for uri, found in published.items():
        path = Path(uri.removeprefix("file://"))
        raw = path.read_bytes() if path.is_file() else b""
        text = raw.decode("utf-8", "replace").removeprefix("\ufeff").split("\n")
        for diagnostic in found:
            start = diagnostic.range.start
            row = text[start.line] if start.line < len(text) else ""
            column = utf16_to_characters(row, start.character) + 1
            warning = "warning: " if diagnostic.severity == types.DiagnosticSeverity.Warning else ""
            lines.append(f"{shown(path)}:{start.line + 1}:{column}: {warning}{diagnostic.message}")
    return lines


@pytest.mark.parametrize("folder", CASES, ids=case_id)
async def test_the_server_reports_what_check_prints(folder: Path, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    options = arguments(folder)[1:]  # check's options for this case, minus the command
    client = recording_client()
    await client.start_io(sys.executable, "-m", "generator", "lsp", *options, cwd=folder)
    try:
        await start(client, folder, "visual-studio-code")
        # Answers once the whole bank is checked and every file's diagnostics are sent.
        await asyncio.wait_for(
            client.workspace_execute_command_async(
                types.ExecuteCommandParams(command="quizgen.check")
            ),
            WAIT,
        )
        found = sorted(as_lines(client.diagnostics))
        assert found == sorted(expected(folder).lines)
    finally:
        await client.shutdown_session()
        await client.stop()
