"""A web page saved from a browser → the article's paragraphs, with trafilatura.

trafilatura is made for this and beats the alternatives on what matters here: it keeps a
link's text inside its sentence (goose3 drops it: "puzzles of ."), and it drops the cookie
notices, share bars, "Read more" boxes and author blurbs that readability-lxml keeps. Its
text has one paragraph or heading per line, and starts with the headline when the
article's own container holds it.
"""

from __future__ import annotations

import json
import re

from .cleaning import clean_paragraph
from .extracted import Extracted, Refused

# A page saved from a browser opens with one of these within its first few kilobytes.
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|p|div)[\s>]", re.I)
_SNIFF_BYTES = 64 * 1024
# trafilatura's metadata keeps a byline's separators ("Priya Natarajan ·").
_BYLINE_EDGES = " \t·•|,;:-–—"
_BY = re.compile(r"^by\s+", re.I)
# Fewer words than this is a menu or a teaser that trafilatura fell back on, not an article.
MIN_ARTICLE_WORDS = 25


def looks_like_html(raw: bytes) -> bool:
    return _HTML_START.search(raw[:_SNIFF_BYTES]) is not None


def extract_page(raw: bytes) -> Extracted:
    """The article in a saved page; Refused if the bytes are not a page or hold no article."""
    if b"\0" in raw[:_SNIFF_BYTES] or not looks_like_html(raw):
        raise Refused(
            "does not look like a web page (no <html>, <body> or <p> tag): "
            "save the page from your browser as 'Web Page, HTML only'"
        )
    import trafilatura  # imported here: only `quizgen add` needs it, and it takes 0.3 s

    # extract() rather than bare_extraction(): only extract() applies NFC. include_links=False
    # keeps a link's text in its sentence, without writing its address into the text.
    found = trafilatura.extract(
        raw,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_formatting=False,
        include_images=False,
    )
    data = json.loads(found) if found else {}
    paragraphs = [p for p in (clean_paragraph(line) for line in data.get("text", "").split("\n"))]
    paragraphs = [p for p in paragraphs if p]
    if sum(len(p.split()) for p in paragraphs) < MIN_ARTICLE_WORDS:
        raise Refused(
            "no article text found in the page: if it needs a login or builds the text with "
            "scripts, open it in your browser, select the article, and save it as a .txt file"
        )
    title = _clean(data.get("title"))
    if title and title != paragraphs[0] and _has_headline(raw, title):
        # The headline stood outside the article's container: it is still the article's
        # first line, and a question may quote it.
        paragraphs.insert(0, title)
    return Extracted(
        tuple(paragraphs),
        title=title,
        author=_byline(data.get("author")),
        published=_clean(data.get("date")),
    )


def _clean(value: object) -> str | None:
    return clean_paragraph(value) or None if isinstance(value, str) else None


def _byline(value: object) -> str | None:
    author = _clean(value)
    if author is None:
        return None
    return _BY.sub("", author.strip(_BYLINE_EDGES)).strip(_BYLINE_EDGES) or None


def _has_headline(raw: bytes, title: str) -> bool:
    """Whether an <h1> of the page reads exactly the title (and not, say, "Title | Site")."""
    from lxml import html

    try:
        tree = html.fromstring(raw)
    except (ValueError, html.etree.ParserError):
        return False
    return any(clean_paragraph(h1.text_content()) == title for h1 in tree.iter("h1"))
