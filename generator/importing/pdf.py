"""A PDF (a page printed from a browser, a handout) → the article's paragraphs, with pdfminer.six.

pdfminer.six rather than pypdf: pdfminer groups the lines of a paragraph into one text box,
so paragraphs survive, and it says where each box stands on the page, so running headers
and footers can be dropped. pypdf gives one stream of lines with no paragraph breaks
(measured on pages printed by Chromium; see README, "Start your own quiz").
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from .cleaning import clean_characters, squeeze_spaces
from .extracted import Extracted, Refused

# Browsers print the date and title at the top of each page and the address and "1/3" at the
# bottom, inside the page margin: a box wholly within this share of the height is dropped.
MARGIN_BAND = 0.05
MAX_PAGES = 300
# An automatic hyphen at a line break, as Chromium and WeasyPrint mark it (U+2010). A real
# hyphen is '-', and stays.
_BREAK_HYPHEN = "\u2010"
_LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d+(?:\s*(?:/|of)\s*\d+)?$", re.I)
_SENTENCE_END = tuple('.?!:;"”’)')
_BYLINE = re.compile(r"^By\s+([^\W\d][\w’'.-]*(?:\s+[^\W\d][\w’'.-]*){0,4})\s*(?:[,·|]|$)")


@dataclass(frozen=True)
class _Box:
    page: int
    top: float  # from the page's bottom, in points
    text: str
    font_size: float


def extract_pdf(raw: bytes) -> Extracted:
    """The paragraphs of a PDF with a text layer; Refused if it has none or cannot be read."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psexceptions import PSException

    if not raw.startswith(b"%PDF-"):
        raise Refused("is not a PDF (it does not start with %PDF-): is the file name right?")
    boxes: list[_Box] = []
    try:
        document = PDFDocument(PDFParser(io.BytesIO(raw)), password="")
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=LAParams())
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.create_pages(document)):
            if number == MAX_PAGES:
                raise Refused(f"has more than {MAX_PAGES} pages: an article is far shorter")
            interpreter.process_page(page)
            layout = device.get_result()
            low, high = layout.height * MARGIN_BAND, layout.height * (1 - MARGIN_BAND)
            for item in layout:
                if not isinstance(item, LTTextContainer):
                    continue
                if item.y0 >= high or item.y1 <= low:
                    continue  # a running header or footer, in the page margin
                sizes = [c.size for line in item for c in line if hasattr(c, "size")]
                text = _box_text(item.get_text())
                if text:
                    boxes.append(_Box(number, item.y1, text, max(sizes, default=0.0)))
        info = document.info[0] if document.info else {}
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise Refused(
            "is encrypted with a password: open it, print it to a new PDF (or save it as "
            "text), and add that file"
        ) from None
    except (PSException, ValueError, KeyError, TypeError, AssertionError) as error:
        raise Refused(f"cannot be read as a PDF ({type(error).__name__}): is it damaged?") from None
    boxes = [box for box in boxes if not _PAGE_NUMBER.match(box.text)]
    if not boxes:
        raise Refused(
            "has no text to extract: it is probably a scan. Run it through OCR (for example "
            "ocrmypdf), or type the article into a .txt file, and add that"
        )
    paragraphs = _join_across_pages(_drop_repeated(boxes))
    return Extracted(
        tuple(paragraphs),
        title=_title(boxes, _info_text(info, "Title")),
        author=_info_text(info, "Author") or _byline(boxes),
    )


def _box_text(text: str) -> str:
    """A text box's lines as one paragraph: broken words joined, ligatures made letters."""
    text = clean_characters(text).translate(_LIGATURES)
    joined = ""
    for line in text.split("\n"):
        line = squeeze_spaces(line)
        if not line:
            continue
        joined = _join(joined, line) if joined else line
    return joined


def _join(before: str, after: str) -> str:
    if before.endswith(_BREAK_HYPHEN):
        # pdfminer sees a gap before a hyphen that a soft hyphen made: "duck ‐" + "billed".
        return before[:-1].rstrip() + after
    if before.endswith("-") and len(before) > 1 and before[-2].isalpha():
        return before + after  # "grab-and-" + "go": a real hyphen, kept
    return f"{before} {after}"


def _drop_repeated(boxes: list[_Box]) -> list[_Box]:
    """Without a line that every page repeats at the same height: a running header."""
    pages = len({box.page for box in boxes})
    if pages < 2:
        return boxes
    seen: dict[tuple[str, int], set[int]] = {}
    for box in boxes:
        seen.setdefault((box.text, round(box.top)), set()).add(box.page)
    return [box for box in boxes if len(seen[box.text, round(box.top)]) < pages]


def _join_across_pages(boxes: list[_Box]) -> list[str]:
    """Paragraphs, a paragraph that a page break cut in two made whole again."""
    paragraphs: list[str] = []
    previous_page = -1
    for box in boxes:
        continues = (
            paragraphs
            and box.page != previous_page
            and not paragraphs[-1].endswith(_SENTENCE_END)
            and box.text[:1].islower()
        )
        if continues:
            paragraphs[-1] = _join(paragraphs[-1], box.text)
        else:
            paragraphs.append(box.text)
        previous_page = box.page
    return paragraphs


def _info_text(info: dict, key: str) -> str | None:
    value = info.get(key)
    if hasattr(value, "resolve"):
        value = value.resolve()
    if isinstance(value, bytes):
        from pdfminer.utils import decode_text

        value = decode_text(value)
    return squeeze_spaces(clean_characters(value)) or None if isinstance(value, str) else None


def _title(boxes: list[_Box], info_title: str | None) -> str | None:
    """The headline: the largest print on the first page, if the PDF's own title has it.

    A browser sets the PDF title from the page's <title>, which often adds the site's name
    ("Headline | The Courier"); the headline itself is the largest text on the first page.
    """
    first_page = [box for box in boxes if box.page == boxes[0].page]
    largest = max(first_page, key=lambda box: box.font_size).text
    if info_title is None or largest.casefold() in info_title.casefold():
        return largest
    return info_title


def _byline(boxes: list[_Box]) -> str | None:
    for box in boxes[:8]:
        match = _BYLINE.match(box.text)
        if match:
            return match.group(1)
    return None
