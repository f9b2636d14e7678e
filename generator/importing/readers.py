"""Which extractor reads a file (by its kind), and the limits every input is held to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..bank.files import decode, read_bytes
from ..bank.model import Location, Problem
from ..paths import display
from .extracted import Extracted, Refused

# A saved page with its pictures inlined can be large; trafilatura reads up to 20 MB.
MAX_INPUT_BYTES = 20 * 1024 * 1024
FETCH_TIMEOUT_SECONDS = 20
PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
SUPPORTED = "a saved web page (.html), a PDF, or a .txt or .md file"
_URL = re.compile(r"^https?://", re.I)
_SAVE_THE_PAGE = (
    "save the page in your browser (File › Save Page As…, 'Web Page, HTML only') "
    "and run quizgen add FILE.html"
)


@dataclass(frozen=True)
class Reading:
    """An input read and extracted: the article, the original bytes, and where they came from."""

    extracted: Extracted
    original: bytes
    origin: str  # the file's name or the URL, as sources.yaml records it
    suffix: str  # the original's kind, for its copy under seeds/originals/


def is_url(argument: str) -> bool:
    return _URL.match(argument) is not None


def read_input(argument: str) -> Reading | Problem:
    """Read and extract one argument of `quizgen add`: a file path or a URL."""
    if is_url(argument):
        return _read_url(argument)
    path = Path(argument)
    shown = display(path)
    here = Location(shown)
    suffix = path.suffix.lower()
    if suffix not in PAGE_SUFFIXES | TEXT_SUFFIXES | {".pdf"}:
        kind = f"'{suffix}'" if suffix else "without an extension"
        return Problem(here, f"unsupported file type {kind}: add {SUPPORTED}")
    raw = read_bytes(path, shown, MAX_INPUT_BYTES, "save just the article, without its pictures")
    if isinstance(raw, Problem):
        return raw
    if suffix in TEXT_SUFFIXES:
        text = decode(raw, shown)
        if isinstance(text, Problem):
            return text
        return _extracted(here, raw, path.name, suffix, lambda: _plain(text, suffix))
    extract = _page if suffix in PAGE_SUFFIXES else _pdf
    return _extracted(here, raw, path.name, suffix, lambda: extract(raw))


def _extracted(here: Location, raw: bytes, origin: str, suffix: str, extract) -> Reading | Problem:
    try:
        return Reading(extract(), raw, origin, suffix)
    except Refused as refusal:
        return Problem(here, str(refusal))


INSTALL_HINT = "pip install 'quizgen[import]'"


def _page(raw: bytes) -> Extracted:
    from .page import extract_page

    try:
        return extract_page(raw)
    except ModuleNotFoundError as missing:
        raise Refused(f"needs {missing.name} to read a web page: {INSTALL_HINT}") from None


def _pdf(raw: bytes) -> Extracted:
    from .pdf import extract_pdf

    try:
        return extract_pdf(raw)
    except ModuleNotFoundError as missing:
        raise Refused(f"needs {missing.name} to read a PDF: {INSTALL_HINT}") from None


def _plain(text: str, suffix: str) -> Extracted:
    from .plain import extract_plain

    return extract_plain(text, markdown=suffix != ".txt")


def _read_url(url: str) -> Reading | Problem:
    """Fetch a page or PDF; offline (or refused), say how to add a saved copy instead."""
    import urllib.error
    import urllib.request

    here = Location(url)
    request = urllib.request.Request(url, headers={"User-Agent": "quizgen (quizgen add)"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            raw = response.read(MAX_INPUT_BYTES + 1)
            kind = response.headers.get_content_type()
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        return Problem(here, f"could not fetch the page ({reason}): {_SAVE_THE_PAGE}")
    if len(raw) > MAX_INPUT_BYTES:
        return Problem(here, f"is over the {MAX_INPUT_BYTES // 1048576} MB limit: {_SAVE_THE_PAGE}")
    if kind == "application/pdf" or raw.startswith(b"%PDF-"):
        return _extracted(here, raw, url, ".pdf", lambda: _pdf(raw))
    return _extracted(here, raw, url, ".html", lambda: _page(raw))
