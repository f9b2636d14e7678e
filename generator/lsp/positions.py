"""Positions between quizgen and the editor.

quizgen counts lines and columns from 1, in characters (code points). LSP counts from 0, in
the unit the client and server agreed on at start-up: UTF-16 code units (VS Code, the
protocol's default), UTF-8 bytes (Neovim 0.11) or code points (Emacs). pygls's document
helpers convert; nothing here counts code units by hand.
"""

from __future__ import annotations

from lsprotocol import types
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange


def line_text(document: TextDocument, line: int) -> str:
    """The 0-based line's text without its line break ('' past the end)."""
    lines = document.lines
    return lines[line].rstrip("\r\n") if 0 <= line < len(lines) else ""


def problem_range(document: TextDocument, line: int, column: int) -> types.Range:
    """The range a diagnostic marks: from quizgen's 1-based place to the end of its line."""
    row, start = line - 1, column - 1
    text = line_text(document, row)
    end = max(start, len(text.rstrip()))
    return document.range_to_client_units(
        ServerTextRange(ServerTextPosition(row, start), ServerTextPosition(row, end))
    )


def to_client(document: TextDocument, line: int, column: int) -> types.Position:
    """A 0-based line and code-point column, in the client's units."""
    return document.position_to_client_units(ServerTextPosition(line, column))


def client_range(
    document: TextDocument, start: tuple[int, int], end: tuple[int, int]
) -> types.Range:
    """A range given as 0-based (line, code-point column) pairs, in the client's units."""
    return document.range_to_client_units(
        ServerTextRange(ServerTextPosition(*start), ServerTextPosition(*end))
    )


def from_client(document: TextDocument, position: types.Position) -> tuple[int, int]:
    """The client's position as a 0-based line and code-point column."""
    server = document.position_from_client_units(position)
    return server.line, server.character


def column_in_units(document: TextDocument, position: types.Position) -> tuple[int, int]:
    """The client's position as quizgen counts: 1-based line and code-point column."""
    line, column = from_client(document, position)
    return line + 1, column + 1
