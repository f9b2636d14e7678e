"""`quizgen lsp` driven by pytest-lsp, as VS Code and as Neovim (0.11) start it.

VS Code counts positions in UTF-16 code units, Neovim 0.11 in UTF-8 bytes; the test file has
an emoji and an accented letter before a problem on its line, so a column in the wrong unit
is a different number. Expected positions are counted here with Python's own encoders.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
import pytest_lsp
from lsp_helpers import (
    QUESTIONS,
    SERVER,
    RecordingClient,
    apply_edits,
    make_project,
    open_document,
    published,
    publishes_of,
    replace_all,
    start,
    uri,
    write,
)
from lsprotocol import types

from generator import api

pytestmark = pytest.mark.asyncio

CLIENTS = {"visual-studio-code": "utf-16", "neovim": "utf-8"}


@pytest_lsp.fixture(config=SERVER, params=list(CLIENTS))
async def client(lsp_client: RecordingClient, tmp_path: Path, request):
    make_project(tmp_path)
    await start(lsp_client, tmp_path, request.param)
    lsp_client.root = tmp_path
    lsp_client.encoding = CLIENTS[request.param]
    yield
    await lsp_client.shutdown_session()


def units(text: str, encoding: str) -> int:
    """How many code units of the encoding text takes, as the client counts a column."""
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text.encode("utf-8"))


def check_lines(root: Path) -> list[str]:
    """What `quizgen check` reports in root, as `path:line:col: message` lines."""
    previous = Path.cwd()
    os.chdir(root)
    try:
        result = api.check_bank([Path("questions")], Path("seeds"), Path("decks"))
    finally:
        os.chdir(previous)
    return [str(problem) for problem in result.problems]


def as_check_lines(client: RecordingClient, root: Path) -> list[str]:
    """The client's diagnostics as check's lines, columns turned back into characters."""
    lines = []
    for document_uri, found in client.diagnostics.items():
        path = Path(document_uri.removeprefix("file://"))
        text = path.read_text(encoding="utf-8").split("\n") if path.is_file() else []
        for diagnostic in found:
            start = diagnostic.range.start
            column = _characters(text[start.line], start.character, client.encoding)
            prefix = "warning: " if diagnostic.severity == types.DiagnosticSeverity.Warning else ""
            shown = os.path.relpath(path, root)
            lines.append(f"{shown}:{start.line + 1}:{column + 1}: {prefix}{diagnostic.message}")
    return sorted(lines)


def _characters(line: str, count: int, encoding: str) -> int:
    for index in range(len(line) + 1):
        if units(line[:index], encoding) >= count:
            return index
    return len(line)


CHOICE = """\
  - id: amount-choice
    type: choice
    ask: How much?
    answer: "{{ clawback_ok }}"
    wrong: [Café 🎉, Chicago, chicago]
"""


async def test_open_shows_checks_problems_at_the_right_place(client: RecordingClient) -> None:
    path = client.root / "questions" / "q.yaml"
    write(path, QUESTIONS + CHOICE)
    text = open_document(client, path)
    params = await published(client, path, version=1)
    lines = text.split("\n")
    by_message = {d.message.split(":")[0]: d for d in params.diagnostics}
    duplicate = next(d for d in params.diagnostics if "is the same as" in d.message)
    row = next(i for i, line in enumerate(lines) if "chicago]" in line)
    assert duplicate.range.start == types.Position(
        line=row, character=units(lines[row][: lines[row].index("chicago]")], client.encoding)
    )
    quote = by_message["fact 'clawback'"]
    quote_row = next(i for i, line in enumerate(lines) if "é🎉" in line)
    assert quote.range.start.line == quote_row
    assert quote.range.end.character == units(lines[quote_row], client.encoding)
    assert quote.severity == types.DiagnosticSeverity.Error and quote.source == "quizgen"
    # Exactly check's problems: the same messages, at the same places.
    assert as_check_lines(client, client.root) == sorted(check_lines(client.root))


async def test_ten_quick_changes_give_one_check_of_the_last(client: RecordingClient) -> None:
    path = client.root / "questions" / "q.yaml"
    text = open_document(client, path)
    await published(client, path, version=1)
    before = len(publishes_of(client, path))
    for version in range(2, 12):
        replace_all(client, path, text.replace("How much", f"How much ({version})"), version)
        await asyncio.sleep(0.02)
    last = await published(client, path)
    assert last.version == 11
    await asyncio.sleep(0.6)  # longer than the debounce: a second check would be here by now
    assert [p.version for p in publishes_of(client, path)[before:]] == [11]


async def test_broken_yaml_is_a_diagnostic_and_completion_keeps_the_facts(
    client: RecordingClient,
) -> None:
    path = client.root / "questions" / "q.yaml"
    text = open_document(client, path)
    await published(client, path, version=1)
    broken = text + '  - id: typing\n    type: short\n    ask: "{{ \n'
    replace_all(client, path, broken, 2)
    params = await published(client, path, version=2)
    assert [d.message for d in params.diagnostics] == [
        "this quoted text is never closed: add the closing quote"
    ]
    row = len(broken.split("\n")) - 2
    items = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            position=types.Position(line=row, character=len('    ask: "{{ ')),
        )
    )
    # clawback_ok is defined in this very file, which no longer loads.
    assert {"clawback", "clawback_ok"} <= {item.label for item in items.items}


async def test_editing_an_article_republishes_the_files_that_quote_it(
    client: RecordingClient,
) -> None:
    path = client.root / "questions" / "q.yaml"
    article = client.root / "seeds" / "000_e819e73592b8496a.txt"
    open_document(client, path)
    first = await published(client, path, version=1)
    assert not any("clawback_ok" in d.message for d in first.diagnostics)
    text = open_document(client, article)
    edited = text.replace("clawback of $4 billion", "clawback of $4 million")
    assert edited != text
    replace_all(client, article, edited, 2)
    params = await published(client, path, after=len(publishes_of(client, path)))
    assert any(
        d.message.startswith("fact 'clawback_ok': quote not found") for d in params.diagnostics
    )
    sources = await published(client, client.root / "seeds" / "sources.yaml", after=0)
    assert any("has changed since its sha256" in d.message for d in sources.diagnostics)
    replace_all(client, article, text, 3)
    params = await published(client, path, after=len(publishes_of(client, path)))
    assert not any("clawback_ok" in d.message for d in params.diagnostics)


async def complete(client: RecordingClient, path: Path, line: str, text: str) -> list[str]:
    """Completion labels with the cursor at the end of line, appended to text."""
    document = text + line
    replace_all(client, path, document, 50 + len(publishes_of(client, path)))
    rows = document.split("\n")
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            position=types.Position(line=len(rows) - 1, character=units(rows[-1], client.encoding)),
        )
    )
    client.last_items = result.items
    return [item.label for item in result.items]


async def test_completion(client: RecordingClient) -> None:
    path = client.root / "questions" / "q.yaml"
    text = open_document(client, path)
    await published(client, path, version=1)
    question = "  - id: more\n"
    assert {"clawback", "clawback_ok", "leopold_clawback"} & set(
        await complete(client, path, question + '    ask: "é🎉 {{ cla', text)
    ) >= {"clawback", "clawback_ok"}
    assert "clawback_ok" in await complete(client, path, question + "    fact: cl", text)
    sources = await complete(client, path, "", text.replace("source: leopold", "source: le", 1))
    assert sources == []  # the cursor is at the end of the file, not after source:
    facts_only = text.split("questions:")[0]
    assert set(await complete(client, path, "  another:\n    source: ", facts_only)) == {
        "leopold",
        "epstein",
        "empty-threat",
        "gun-violence",
        "quandary",
    }
    assert await complete(client, path, question + "    type: ", text) == [
        "short",
        "choice",
        "cloze",
        "match",
        "truefalse",
    ]
    keys = await complete(client, path, question + "    pri", text)
    assert {"printed", "ask", "answer", "wrong"} <= set(keys) and "id" not in keys
    printed = next(item for item in client.last_items if item.label == "printed")
    assert "printed quizzes" in printed.documentation
    fact_keys = await complete(client, path, "  another:\n    ", facts_only)
    assert set(fact_keys) == {"source", "quote", "value"}
    assert set(await complete(client, path, "ta", "deck: x\n")) >= {"tags", "facts", "questions"}


async def hover(
    client: RecordingClient, path: Path, text: str, needle: str, skip: int = 1
) -> str | None:
    rows = text.split("\n")
    row = next(i for i, line in enumerate(rows) if needle in line)
    column = rows[row].index(needle) + skip
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            position=types.Position(line=row, character=units(rows[row][:column], client.encoding)),
        )
    )
    return result.contents.value if result else None


async def test_hover(client: RecordingClient) -> None:
    path = client.root / "questions" / "q.yaml"
    text = open_document(
        client, path, QUESTIONS + "  - id: c\n    type: cloze\n    fact: clawback_ok\n"
    )
    await published(client, path, version=1)
    shown = await hover(client, path, text, "clawback_ok }}")
    assert "$4 billion" in shown
    assert "**threaten state and local governments" in shown  # the quote, marked in its paragraph
    assert "Jeff Sessions is wrong on immigration law, and he knows it" in shown
    assert shown == await hover(client, path, text, "fact: clawback_ok", len("fact: c"))
    source = await hover(client, path, text, "source: leopold", len("source: l"))
    assert "Jeff Sessions is wrong on immigration law" in source and "David Leopold" in source
    sources = client.root / "seeds" / "sources.yaml"
    listed = open_document(client, sources)
    epstein = await hover(client, sources, listed, "  epstein:", 3)
    assert "Ruthie Epstein" in epstein and "2017-11-27" in epstein
    assert await hover(client, path, text, "ask: How") is None


async def definition(
    client: RecordingClient, path: Path, text: str, needle: str, skip: int = 0, row: int = -1
):
    rows = text.split("\n")
    if row == -1:
        row = next(i for i, line in enumerate(rows) if needle in line)
    column = rows[row].index(needle) + skip
    return await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            position=types.Position(line=row, character=units(rows[row][:column], client.encoding)),
        )
    )


async def test_go_to_definition(client: RecordingClient) -> None:
    path = client.root / "questions" / "q.yaml"
    text = QUESTIONS + "  - id: c\n    type: cloze\n    fact: clawback_ok\n"
    open_document(client, path, text)
    await published(client, path, version=1)
    rows = text.split("\n")
    key_row = rows.index("  clawback_ok:")
    for needle, skip in (("{{ clawback_ok", 4), ("fact: clawback_ok", 8)):
        target = await definition(client, path, text, needle, skip)
        assert target.uri == uri(path)
        assert target.range.start == types.Position(line=key_row, character=2)
    # A fact's source: leads to the quote in the article file...
    target = await definition(client, path, text, "source: leopold", row=key_row + 1)
    article = client.root / "seeds" / "000_e819e73592b8496a.txt"
    assert target.uri == uri(article)
    article_rows = article.read_text(encoding="utf-8").split("\n")
    line = article_rows[target.range.start.line]
    start = _characters(line, target.range.start.character, client.encoding)
    assert line[start:].startswith("threaten state and local governments")
    # ... or, for a quote the article lacks, to the article itself.
    target = await definition(client, path, text, "source: leopold")
    assert target.uri == uri(article) and target.range.start.line == 0


async def code_actions(client: RecordingClient, path: Path, row: int) -> list[types.CodeAction]:
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)),
            range=types.Range(
                start=types.Position(line=row, character=0),
                end=types.Position(line=row, character=0),
            ),
            # No diagnostics and no data: the server works the fix out from the document.
            context=types.CodeActionContext(diagnostics=[]),
        )
    )


async def test_quick_fix_pastes_the_closest_passage(client: RecordingClient) -> None:
    path = client.root / "questions" / "q.yaml"
    text = QUESTIONS.replace(
        '    quote: "é🎉 "', '    quote: "withholding and clawback of $5 billion"'
    )
    text = text.replace("deck: Café 🎉 deck", "deck: x")
    text = text.replace('"é🎉 "', "")
    open_document(client, path, text)
    params = await published(client, path, version=1)
    (problem,) = [d for d in params.diagnostics if "Closest passage" in d.message]
    actions = await code_actions(client, path, problem.range.start.line)
    (action,) = actions
    assert action.kind == types.CodeActionKind.QuickFix and "closest passage" in action.title
    fixed = apply_edits(text, action.edit.changes[uri(path)], client.encoding)
    assert "withholding and clawback of $4 billion" in fixed
    replace_all(client, path, fixed, 2)
    params = await published(client, path, version=2)
    assert list(params.diagnostics) == []


async def test_quick_fix_block_quote_keeps_its_style(client: RecordingClient) -> None:
    path = client.root / "questions" / "q.yaml"
    text = QUESTIONS.replace('    quote: "é🎉 "\n', "").replace(
        "  clawback:\n    source: leopold\n    value: $4 billion\n", ""
    )
    text = text.replace("of $4 billion in critical", "of $5 billion in critical", 1)
    text = text.replace("    value: $4 billion\nquestions", "    value: $5 billion\nquestions")
    open_document(client, path, text)
    params = await published(client, path, version=1)
    (problem,) = [d for d in params.diagnostics if "Closest passage" in d.message]
    (action,) = await code_actions(client, path, problem.range.start.line)
    fixed = apply_edits(text, action.edit.changes[uri(path)], client.encoding)
    assert "    quote: >-\n      threaten state" in fixed
    replace_all(client, path, fixed, 2)
    params = await published(client, path, version=2)
    # Now the quote is found; the value $5 billion is what is wrong, and check says so.
    assert [d.message.split(":")[0] for d in params.diagnostics] == ["fact 'clawback_ok'"]
    assert "value '$5 billion' does not occur in its quote" in params.diagnostics[0].message


async def test_quick_fix_did_you_mean(client: RecordingClient) -> None:
    path = client.root / "questions" / "q.yaml"
    text = QUESTIONS.replace('answer: "{{ clawback_ok }}"', 'anwser: "{{ clawback_ok }}"')
    text += (
        '  - id: second\n    type: short\n    ask: "é🎉 {{ clawbak_ok }}?"\n'
        '    answer: "{{ clawback_ok }}"\n'
    )
    open_document(client, path, text)
    params = await published(client, path, version=1)
    fixed = text
    for wanted in ("unknown key 'anwser'", "unknown fact 'clawbak_ok'"):
        problem = next(d for d in params.diagnostics if wanted in d.message)
        (action,) = await code_actions(client, path, problem.range.start.line)
        fixed = apply_edits(fixed, action.edit.changes[uri(path)], client.encoding)
    assert 'answer: "{{ clawback_ok }}"' in fixed and "é🎉 {{ clawback_ok }}?" in fixed
    replace_all(client, path, fixed, 2)
    params = await published(client, path, version=2)
    assert not any("unknown" in d.message for d in params.diagnostics)
