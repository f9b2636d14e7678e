"""Time `quizgen lsp` from the end of the debounce to the published diagnostics.

A real client (pygls's) starts `quizgen lsp` in the bank's folder, opens one question file
and then, again and again, changes one word of it and waits for the diagnostics of that
version. The time from sending the change to receiving them, less the server's debounce,
is the time a contributor waits once they stop typing. It is measured

- on this repository's bank, for its largest question file;
- on one file of the 10k synthetic bank (benchmarks/make_bank.py, made if missing);

and set beside the reference run: `quizgen check --no-cache` of the same bank, in one
process, without start-up (api.check_bank). Not a test: the numbers depend on the machine.

    python benchmarks/lsp.py            # both banks
    python benchmarks/lsp.py --repeat 20 --sizes bank
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from generator import api  # noqa: E402
from generator.lsp.server import DEBOUNCE_SECONDS  # noqa: E402


class Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("quizgen-benchmark", "1")
        self.arrived: dict[tuple[str, int | None], float] = {}

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(client: Client, params: types.PublishDiagnosticsParams) -> None:
            self.arrived[(params.uri, params.version)] = time.perf_counter()


async def wait_for(client: Client, uri: str, version: int) -> float:
    while (uri, version) not in client.arrived:
        await asyncio.sleep(0.0005)
    return client.arrived[(uri, version)]


async def latencies(root: Path, path: Path, repeat: int) -> list[float]:
    """Seconds from the end of the debounce to the diagnostics, for each of repeat edits."""
    client = Client()
    await client.start_io(sys.executable, "-m", "generator", "lsp", cwd=root)
    try:
        await client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(), root_uri=root.absolute().as_uri()
            )
        )
        client.initialized(types.InitializedParams())
        uri = path.absolute().as_uri()
        text = path.read_text(encoding="utf-8")
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="yaml", version=1, text=text
                )
            )
        )
        await asyncio.wait_for(wait_for(client, uri, 1), 120)
        found = []
        for version in range(2, repeat + 2):
            # A different word each time, so no parse can be reused: as when typing.
            edited = text.replace("questions:", f"# edit {version}\nquestions:", 1)
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=edited)],
                )
            )
            arrived = await asyncio.wait_for(wait_for(client, uri, version), 120)
            found.append(arrived - sent - DEBOUNCE_SECONDS)
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
    return found


def reference(root: Path, repeat: int) -> float:
    """The median time of `quizgen check --no-cache` of the bank, in process."""
    previous = Path.cwd()
    os.chdir(root)
    try:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            api.check_bank([Path("questions")], Path("seeds"), Path("decks"))
            times.append(time.perf_counter() - start)
    finally:
        os.chdir(previous)
    return statistics.median(times)


def largest(folder: Path) -> Path:
    return max(folder.rglob("*.yaml"), key=lambda p: (p.stat().st_size, p.name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--sizes", default="bank,10k", help="bank and/or 10k")
    options = parser.parse_args()
    rows = []
    for size in options.sizes.split(","):
        if size == "bank":
            root = REPO
            path = largest(root / "questions")
        else:
            root = HERE / "out" / size
            if not (root / "questions").is_dir():
                maker = [sys.executable, str(HERE / "make_bank.py"), "--size", size]
                subprocess.run(maker, check=True)
            path = sorted((root / "questions").glob("*.yaml"))[0]
        found = asyncio.run(latencies(root, path, options.repeat))
        check = reference(root, max(3, options.repeat // 3))
        lsp = statistics.median(found)
        rows.append((size, path.relative_to(root), lsp, max(found), check))
    print("| bank | file | after the debounce (median) | slowest | full `check` | ratio |")
    print("|---|---|---|---|---|---|")
    for size, path, lsp, slowest, check in rows:
        print(
            f"| {size} | {path} | {lsp * 1000:.1f} ms | {slowest * 1000:.1f} ms "
            f"| {check * 1000:.0f} ms | {lsp / check:.2f} |"
        )


if __name__ == "__main__":
    main()
