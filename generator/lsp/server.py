"""`quizgen lsp`: the language server, on pygls.

Every open document is checked on open and on save, and again a moment after the last
change (one pending check per document; the next change cancels it). A check is the whole
bank's `quizgen check` with the editor's unsaved text (see project.py), so each file whose
problems changed is published again: editing an article re-publishes the question files
that quote it, and "no diagnostics" means `check` passes. Checks run one at a time on a
worker thread, so completion and hover answer while a large bank is checked.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from .. import __version__
from . import completion, definition, diagnostics, hover, positions, quickfix
from .project import Problem, Project, Snapshot, question_file_schema, sources_file_schema

DEBOUNCE_SECONDS = 0.2
# workspace/executeCommand: check the whole bank now; answers once every file is published.
CHECK_COMMAND = "quizgen.check"
log = logging.getLogger(__name__)


class QuizgenServer(LanguageServer):
    def __init__(
        self,
        question_paths: tuple[Path, ...],
        seeds_dir: Path,
        decks_dir: Path,
        debounce: float = DEBOUNCE_SECONDS,
        follow: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__("quizgen", __version__)
        self.debounce = debounce
        self.project = Project(question_paths, seeds_dir, decks_dir, follow)
        self.snapshot: Snapshot | None = None
        # The texts the last snapshot was checked with, by absolute path, and their versions.
        self.checked_texts: dict[Path, str] = {}
        self.checked_versions: dict[Path, int | None] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.published: dict[Path, list[Problem]] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quizgen-check")
        self.lock = asyncio.Lock()

    # Checking ------------------------------------------------------------------

    def unsaved(self) -> dict[Path, str]:
        return {path: text for path, (text, _) in self._open_documents().items()}

    def _open_documents(self) -> dict[Path, tuple[str, int | None]]:
        found: dict[Path, tuple[str, int | None]] = {}
        for document in self.workspace.text_documents.values():
            path = _path(document.uri)
            if path is not None:
                found[path.absolute()] = (document.source, document.version)
        return found

    async def check(self) -> Snapshot:
        """Check the bank as the editor has it, on the worker thread."""
        async with self.lock:
            held = self._open_documents()
            texts = {path: text for path, (text, _) in held.items()}
            loop = asyncio.get_running_loop()
            snapshot = await loop.run_in_executor(self.worker, self.project.check, texts)
            self.snapshot, self.checked_texts = snapshot, texts
            self.checked_versions = {path: version for path, (_, version) in held.items()}
            return snapshot

    async def check_and_publish(self, uri: str | None) -> None:
        snapshot = await self.check()
        self.publish(snapshot, uri)

    def publish(self, snapshot: Snapshot, uri: str | None) -> None:
        """Publish each file whose problems changed, and the document that asked, last."""
        current = diagnostics.by_file(snapshot.problems)
        asked = _path(uri) if uri else None
        asked_key = asked.absolute() if asked is not None else None
        changed = [
            path
            for path in sorted(set(current) | set(self.published))
            if current.get(path, []) != self.published.get(path, []) and path != asked_key
        ]
        if asked_key is not None:
            changed.append(asked_key)
        for path in changed:
            problems = current.get(path, [])
            uri_of_path = self._uri(path, uri if path == asked_key else None)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri_of_path,
                    diagnostics=diagnostics.diagnostics(
                        problems, lambda u=uri_of_path, p=path: self.document(u, p)
                    ),
                    # The version that was checked: the document may have changed since.
                    version=self.checked_versions.get(path),
                )
            )
        self.published = current

    def document(self, uri: str, path: Path) -> TextDocument:
        """The open document, or the file as check read it (a file that is not UTF-8, or a
        folder, still gets its diagnostics: undecodable bytes count as one character)."""
        if uri in self.workspace.text_documents:
            return self.workspace.get_text_document(uri)
        try:
            raw = path.read_bytes() if path.is_file() else b""
        except OSError:
            raw = b""
        text = raw.decode("utf-8", "replace").removeprefix("\ufeff")
        return TextDocument(uri, text, position_codec=self.workspace.position_codec)

    def _uri(self, path: Path, asked: str | None) -> str:
        if asked is not None:
            return asked
        for uri in self.workspace.text_documents:
            found = _path(uri)
            if found is not None and found.absolute() == path:
                return uri
        return from_fs_path(str(path)) or path.as_uri()

    def schedule(self, uri: str, delay: float) -> None:
        """Check after delay, unless another change to the document comes first."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            await self.check_and_publish(uri)

        task = asyncio.ensure_future(later())
        self.pending[uri] = task
        task.add_done_callback(lambda done: self._forget(uri, done))

    def _forget(self, uri: str, task: asyncio.Task[None]) -> None:
        if self.pending.get(uri) is task:
            del self.pending[uri]
        if not task.cancelled() and task.exception() is not None:
            log.error("quizgen check failed", exc_info=task.exception())

    async def current_snapshot(self, document: TextDocument) -> Snapshot:
        """A check of the document's text as it is now: the last one if that is its text."""
        path = _path(document.uri)
        key = path.absolute() if path is not None else None
        if self.snapshot is not None and self.checked_texts == self.unsaved():
            return self.snapshot
        if self.snapshot is not None and key is not None and key not in self.checked_texts:
            return self.snapshot
        return await self.check()

    def file_schema(self, document: TextDocument) -> dict | None:
        path = _path(document.uri)
        if path is None:
            return None
        if path.name == "sources.yaml" and self.project.is_seeds_file(path):
            return sources_file_schema()
        if self.project.is_question_file(path):
            return question_file_schema()
        return None


def _path(uri: str | None) -> Path | None:
    if not uri:
        return None
    found = to_fs_path(uri)
    return Path(found) if found else None


def _lines(document: TextDocument) -> list[str]:
    return document.source.split("\n")


def make_server(
    question_paths: tuple[Path, ...],
    seeds_dir: Path,
    decks_dir: Path,
    debounce: float = DEBOUNCE_SECONDS,
    follow: frozenset[str] = frozenset(),
) -> QuizgenServer:
    server = QuizgenServer(question_paths, seeds_dir, decks_dir, debounce, follow)

    @server.feature(types.INITIALIZE)
    def initialize(ls: QuizgenServer, params: types.InitializeParams) -> None:
        # Paths in messages are shown relative to the project, as `quizgen check` run there.
        root = (params.root_uri and to_fs_path(params.root_uri)) or params.root_path
        if root and Path(root).is_dir():
            os.chdir(root)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: QuizgenServer, params: types.InitializedParams) -> None:
        await ls.check_and_publish(None)

    @server.command(CHECK_COMMAND)
    async def check_command(ls: QuizgenServer, *arguments: object) -> int:
        await ls.check_and_publish(None)
        return len(ls.snapshot.problems) if ls.snapshot else 0

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: QuizgenServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: QuizgenServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: QuizgenServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: QuizgenServer, params: types.DidCloseTextDocumentParams) -> None:
        # The file now reads from disk again, which may differ from what was typed.
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: QuizgenServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.schedule("", 0)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["{", " ", ":"]),
    )
    async def complete(
        ls: QuizgenServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        file_schema = ls.file_schema(document)
        if file_schema is None:
            return None
        snapshot = ls.snapshot or await ls.check()
        row, column = positions.from_client(document, params.position)
        items = completion.complete(snapshot, _lines(document), row, column, file_schema)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: QuizgenServer, params: types.HoverParams) -> types.Hover | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        if ls.file_schema(document) is None:
            return None
        snapshot = ls.snapshot or await ls.check()
        row, column = positions.from_client(document, params.position)
        text = hover.hover_text(snapshot, _lines(document), row, column)
        return types.Hover(contents=hover.markdown(text)) if text else None

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def on_definition(
        ls: QuizgenServer, params: types.DefinitionParams
    ) -> types.Location | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        if ls.file_schema(document) is None:
            return None
        snapshot = ls.snapshot or await ls.check()
        row, column = positions.from_client(document, params.position)
        target = definition.definition(snapshot, _lines(document), row, column)
        if target is None:
            return None
        uri = ls._uri(target.path.absolute(), None)
        there = ls.document(uri, target.path.absolute())
        return types.Location(
            uri=uri, range=positions.client_range(there, target.start, target.end)
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    async def code_action(
        ls: QuizgenServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        path = _path(document.uri)
        if path is None or ls.file_schema(document) is None:
            return None
        snapshot = await ls.current_snapshot(document)
        wanted = document.range_from_client_units(params.range)
        first, last = wanted.start.line, wanted.end.line
        mine = diagnostics.by_file(snapshot.problems).get(path.absolute(), [])
        on_lines = [p for p in mine if first <= p.location.line - 1 <= last]
        actions = []
        for fix in quickfix.fixes(snapshot, on_lines, document.source):
            edit = types.TextEdit(
                range=positions.client_range(document, fix.start, fix.end), new_text=fix.text
            )
            actions.append(
                types.CodeAction(
                    title=fix.title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=diagnostics.diagnostics([fix.problem], lambda: document),
                    is_preferred=fix.preferred,
                    edit=types.WorkspaceEdit(changes={document.uri: [edit]}),
                )
            )
        return actions

    return server


def serve(
    question_paths: tuple[Path, ...],
    seeds_dir: Path,
    decks_dir: Path,
    debounce: float = DEBOUNCE_SECONDS,
    follow: frozenset[str] = frozenset(),
) -> None:
    """Run the server on stdin and stdout until the editor says exit.

    follow names the folders ("questions", "seeds", "decks") that quizgen.toml decides.
    """
    make_server(question_paths, seeds_dir, decks_dir, debounce, follow).start_io()
