"""Driving `quizgen lsp` from tests: a project folder, a real client, and waits with bounds."""

from __future__ import annotations

import asyncio
import shutil
import sys
import textwrap
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import PositionCodec
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

REPO = Path(__file__).resolve().parent.parent


class RecordingClient(LanguageClient):
    """pytest-lsp's client, keeping every publishDiagnostics in order, not just the last."""

    publishes: list[types.PublishDiagnosticsParams]


def recording_client() -> RecordingClient:
    client = RecordingClient(converter_factory=default_converter)
    client.publishes = []

    def publish(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.publishes.append(params)

    features = {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish}
    register_lsp_features(client, features)
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "generator", "lsp"], client_factory=recording_client
)
# Generous: a wait only ends this early when something is wrong, and CI machines are slow.
WAIT = 20.0

# A fact with an emoji and an accented letter before the quote on its line, so a column
# counted in the wrong unit lands on the wrong character.
QUESTIONS = """\
deck: Café 🎉 deck
facts:
  clawback:
    source: leopold
    quote: "é🎉 "
    value: $4 billion
  clawback_ok:
    source: leopold
    quote: >-
      threaten state and local governments with the withholding and clawback
      of $4 billion in critical law enforcement and community-safety funding
    value: $4 billion
questions:
  - id: clawback-amount
    type: short
    ask: How much did Sessions threaten to claw back?
    answer: "{{ clawback_ok }}"
"""


def make_project(root: Path, questions: str = QUESTIONS) -> Path:
    """A project in root: questions/q.yaml and a copy of the real seeds."""
    shutil.copytree(REPO / "seeds", root / "seeds")
    (root / "questions").mkdir()
    write(root / "questions" / "q.yaml", questions)
    return root


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def uri(path: Path) -> str:
    return path.absolute().as_uri()


async def start(client: LanguageClient, root: Path, spec: str) -> None:
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(spec),
            root_uri=uri(root),
            workspace_folders=[types.WorkspaceFolder(uri=uri(root), name=root.name)],
        )
    )


def publishes_of(client: RecordingClient, path: Path) -> list[types.PublishDiagnosticsParams]:
    return [params for params in client.publishes if params.uri == uri(path)]


async def published(
    client: RecordingClient, path: Path, version: int | None = None, after: int | None = None
) -> types.PublishDiagnosticsParams:
    """Wait for diagnostics of path: the first one after the `after`-th publish of path
    (by default, after those already received), and for that version if one is given."""
    seen = len(publishes_of(client, path)) if after is None else after

    async def wait() -> types.PublishDiagnosticsParams:
        while True:
            for params in publishes_of(client, path)[seen:]:
                if version is None or params.version == version:
                    return params
            await asyncio.sleep(0.005)

    return await asyncio.wait_for(wait(), WAIT)


def apply_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """The text after the edits, applied as a client does, in the negotiated position units."""
    document = TextDocument("untitled:edit", text, position_codec=PositionCodec(encoding))
    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
    for edit in reversed(ordered):
        document.apply_change(
            types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)
        )
    return document.source


def open_document(client: LanguageClient, path: Path, text: str | None = None) -> str:
    text = path.read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri(path), language_id="yaml", version=1, text=text
            )
        )
    )
    return text


def replace_all(client: LanguageClient, path: Path, text: str, version: int) -> None:
    """Send the whole text as the new version, as clients do for a full sync."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
