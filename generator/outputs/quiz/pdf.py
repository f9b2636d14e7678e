"""HTML quiz → PDF with WeasyPrint, an optional extra imported only when --pdf asks for it.

WeasyPrint writes the same bytes for the same HTML (no creation date), which
keeps `quizgen build --check` meaningful for committed PDFs. It never fetches
anything: the quizzes are self-contained, and the fetcher refuses every URL so
that nothing in a question can make a build reach the network.
"""

from __future__ import annotations

from typing import NoReturn

from ...bank.model import Location, Problem
from ..base import RenderError

INSTALL_HINT = "pip install 'quizgen[pdf]' (WeasyPrint also needs the system Pango library)"


def _refuse(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"quizzes are self-contained; refusing to fetch {url[:80]!r}")


def html_to_pdf(html: bytes) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        # OSError: the Python package is there but the Pango library it loads is not.
        raise RenderError(
            Problem(
                Location("--pdf"),
                f"cannot write PDFs: WeasyPrint is unavailable ({error}); "
                f"{INSTALL_HINT}, or build without --pdf",
            )
        ) from None
    return HTML(string=html.decode("utf-8"), base_url=None, url_fetcher=_refuse).write_pdf()
