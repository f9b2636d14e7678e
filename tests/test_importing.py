"""`quizgen add`: saved news pages and the PDFs Chromium prints from them become articles.

The pages are in tests/data/importing/ (see importing_pages.py); the PDFs are printed from
them in headless Chromium at the start of the session, with the browser's own header and
footer (date, title, address, page numbers), as a teacher's "Save as PDF" makes them.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from importing_pages import (
    BODY,
    BOILERPLATE,
    HTML_PARAGRAPHS,
    METADATA,
    PAGES_DIR,
    PDF_PARAGRAPHS,
)
from quiz_helpers import print_to_pdf

from generator import api
from generator.bank.model import Location, Source
from generator.bank.passages import sentence_spans
from generator.bank.sources import Article
from generator.importing.add import add_readings
from generator.importing.readers import read_input

PRINT_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}\s?[AP]M")
PAGE_NAMES = sorted(HTML_PARAGRAPHS)


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each page printed to PDF by Chromium, with the browser's header and footer."""
    folder = tmp_path_factory.mktemp("printed")
    return {
        name: print_to_pdf(PAGES_DIR / f"{name}.html", folder / f"{name}.pdf", browser_headers=True)
        for name in PAGE_NAMES
    }


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip("\n") for p in text.split("\n\n") if p.strip())


def _sentences(paragraphs: tuple[str, ...]) -> list[str]:
    return [p[s.start : s.end] for p in paragraphs for s in sentence_spans(p)]


def _added(project: Path, source: Path, monkeypatch, run_line) -> str:
    """Add source into project with the real command; the new article's text."""
    monkeypatch.chdir(project)
    before = set((project / "seeds").glob("*.txt"))
    result = run_line(["add", str(source)])
    assert result.exit_code == 0, result.output
    [article] = set((project / "seeds").glob("*.txt")) - before
    return article.read_text("utf-8")


@pytest.fixture
def project(tmp_path: Path, run_line) -> Path:
    result = run_line(["init", str(tmp_path / "quiz")])
    assert result.exit_code == 0, result.output
    return tmp_path / "quiz"


# What each extractor makes of the pages -----------------------------------------------


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_saved_page_gives_exactly_its_article(name: str) -> None:
    reading = read_input(str(PAGES_DIR / f"{name}.html"))
    assert _paragraphs(reading.extracted.article) == HTML_PARAGRAPHS[name]
    found = {key: getattr(reading.extracted, key) for key in METADATA[name]}
    assert found == METADATA[name]


@pytest.mark.parametrize("name", sorted(PDF_PARAGRAPHS))
def test_a_printed_page_gives_exactly_its_article(name: str, printed) -> None:
    reading = read_input(str(printed[name]))
    assert _paragraphs(reading.extracted.article) == PDF_PARAGRAPHS[name]
    assert reading.extracted.title == METADATA[name]["title"]
    assert reading.extracted.author == METADATA[name]["author"]


def test_a_page_printed_without_a_print_stylesheet_keeps_every_body_paragraph(printed) -> None:
    """The whole page is on paper, so its boilerplate is too; the article is all there."""
    paragraphs = _paragraphs(read_input(str(printed["museum-bones"])).extracted.article)
    for paragraph in BODY["museum-bones"]:
        assert paragraph in paragraphs
    assert not [p for p in paragraphs if PRINT_DATE.search(p) or "file:///" in p]


@pytest.mark.parametrize(
    ("name", "kind"),
    [(name, "html") for name in PAGE_NAMES] + [(name, "pdf") for name in PDF_PARAGRAPHS],
)
def test_no_boilerplate_line_is_left(name: str, kind: str, printed) -> None:
    path = PAGES_DIR / f"{name}.html" if kind == "html" else printed[name]
    text = read_input(str(path)).extracted.article
    left = [word for word in BOILERPLATE if word.casefold() in text.casefold()]
    assert left == []
    assert not PRINT_DATE.search(text)


def test_pdf_ligatures_become_letters_and_broken_words_are_joined(printed) -> None:
    text = read_input(str(printed["school-lunch"])).extracted.article
    assert "Unified" in text and "staff report" in text
    assert not re.search("[\ufb00-\ufb06\u2010\u00ad]", text)
    museum = read_input(str(printed["museum-bones"])).extracted.article
    # "duck&shy;billed" broke across a line in print, with Chromium's U+2010 at the break.
    assert "a duckbilled dinosaur" in museum


# Every sentence of every body can be quoted -------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [(name, "html") for name in PAGE_NAMES] + [(name, "pdf") for name in PAGE_NAMES],
)
def test_check_accepts_every_body_sentence_as_a_quote(
    name: str, kind: str, printed, project: Path, monkeypatch, run_line
) -> None:
    source = PAGES_DIR / f"{name}.html" if kind == "html" else printed[name]
    _added(project, source, monkeypatch, run_line)
    [source_id] = [
        line.split(":")[0]
        for line in (project / "seeds" / "sources.yaml").read_text("utf-8").splitlines()
        if line.startswith("  ") and not line.startswith("    ") and "example" not in line
    ]
    facts = []
    for number, sentence in enumerate(_sentences(BODY[name])):
        value = max(re.findall(r"[A-Za-z]{4,}", sentence), key=len)
        quote = sentence.replace("\\", "\\\\").replace('"', '\\"')
        facts.append(
            f"  s{number}:\n    source: {source_id.strip()}\n"
            f'    quote: "{quote}"\n    value: "{value}"\n'
        )
    (project / "questions" / "sentences.yaml").write_text(
        "facts:\n"
        + "".join(facts)
        + textwrap.dedent(
            """\
            questions:
              - id: first-sentence
                type: cloze
                fact: s0
            """
        ),
        encoding="utf-8",
    )
    result = api.check_bank([Path("questions")], Path("seeds"), Path("decks"))
    assert [str(p) for p in result.errors] == []
    assert len(result.bank.facts) == len(_sentences(BODY[name])) + 1


def _article(text: str) -> Article:
    return Article(Source("a", Path("a.txt"), "A", text, Location("a.txt")))


_IMPORTED = {
    name: _article(read_input(str(PAGES_DIR / f"{name}.html")).extracted.article)
    for name in PAGE_NAMES
}
_ALL_SENTENCES = [
    (name, sentence) for name in PAGE_NAMES for sentence in _sentences(HTML_PARAGRAPHS[name])
]
_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})


@given(
    picked=st.sampled_from(_ALL_SENTENCES),
    spaces=st.lists(st.sampled_from([" ", "  ", "\n", " \t", "\u00a0", "\n  "]), min_size=1),
    straight=st.booleans(),
)
def test_a_retyped_sentence_of_any_imported_page_is_found(picked, spaces, straight) -> None:
    """Straight quotes for curly ones, and any spacing, as a teacher re-types a sentence."""
    name, sentence = picked
    words = sentence.split()
    retyped = words[0] + "".join(
        spaces[index % len(spaces)] + word for index, word in enumerate(words[1:])
    )
    if straight:
        retyped = retyped.translate(_STRAIGHT)
    assert _IMPORTED[name].find(retyped) is not None


# What `quizgen add` writes ------------------------------------------------------------


def test_add_writes_the_article_its_original_and_an_entry_with_its_sha256(
    project: Path, monkeypatch, run_line
) -> None:
    monkeypatch.chdir(project)
    before = (project / "seeds" / "sources.yaml").read_text("utf-8")
    result = run_line(["add", str(PAGES_DIR / "frog-chorus.html")])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "added 'tree-frogs-change-tune': “Tree frogs change their tune as cities grow louder”,"
        " 10 paragraphs and 17 sentences (seeds/tree-frogs-change-tune.txt)\n"
    )
    assert 'quizgen find "a phrase" --source tree-frogs-change-tune' in result.stderr
    after = (project / "seeds" / "sources.yaml").read_text("utf-8")
    # The comments, order and layout of what was there stay byte for byte.
    assert after.startswith(before)
    article = (project / "seeds" / "tree-frogs-change-tune.txt").read_bytes()
    assert after[len(before) :] == (
        "  tree-frogs-change-tune:\n"
        "    file: tree-frogs-change-tune.txt\n"
        "    title: Tree frogs change their tune as cities grow louder\n"
        "    author: Maria Delgado\n"
        "    published: '2024-03-14'\n"
        "    origin: frog-chorus.html\n"
        f"    retrieved: '{_today()}'\n"
        f"    sha256: {hashlib.sha256(article).hexdigest()}\n"
    )
    original = project / "seeds" / "originals" / "tree-frogs-change-tune.html"
    assert original.read_bytes() == (PAGES_DIR / "frog-chorus.html").read_bytes()
    assert run_line(["check"]).exit_code == 0


def _today() -> str:
    import datetime

    return datetime.date.today().isoformat()


def test_flags_override_the_page_and_several_paths_are_fine(
    project: Path, monkeypatch, run_line
) -> None:
    monkeypatch.chdir(project)
    result = run_line(
        [
            "add",
            str(PAGES_DIR / "school-lunch.html"),
            "--id",
            "breakfast",
            "--title",
            "Free breakfast",
            "--author",
            "J. O’Connor",
            "--published",
            "2023-05-03",
        ]
    )
    assert result.exit_code == 0, result.output
    sources = (project / "seeds" / "sources.yaml").read_text("utf-8")
    assert "  breakfast:\n    file: breakfast.txt\n    title: Free breakfast\n" in sources
    assert "author: J. O’Connor\n    published: '2023-05-03'" in sources
    two = run_line(
        ["add", str(PAGES_DIR / "frog-chorus.html"), str(PAGES_DIR / "museum-bones.html")]
    )
    assert two.exit_code == 0, two.output
    assert [line.split("'")[1] for line in two.stdout.splitlines()] == [
        "tree-frogs-change-tune",
        "museum-finds-dinosaur-bones",
    ]
    assert run_line(["check"]).exit_code == 0


def test_a_text_already_in_the_bank_is_named_and_nothing_changes(
    project: Path, monkeypatch, run_line, tmp_path: Path
) -> None:
    monkeypatch.chdir(project)
    assert run_line(["add", str(PAGES_DIR / "frog-chorus.html")]).exit_code == 0
    snapshot = _tree(project / "seeds")
    # The same text, saved again with other line endings and spacing: still the same article.
    copy = tmp_path / "frog copy.txt"
    text = (project / "seeds" / "tree-frogs-change-tune.txt").read_text("utf-8")
    copy.write_bytes(text.replace("\n", "\r\n").replace(". ", ".  ").encode())
    result = run_line(["add", str(PAGES_DIR / "frog-chorus.html"), str(copy)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{PAGES_DIR / 'frog-chorus.html'}: its text is already in the bank as "
        "'tree-frogs-change-tune'; nothing changed",
        f"{copy}: its text is already in the bank as 'tree-frogs-change-tune'; nothing changed",
    ]
    assert _tree(project / "seeds") == snapshot


def test_a_text_file_is_taken_as_it_is(project: Path, monkeypatch, run_line, tmp_path) -> None:
    reading = tmp_path / "notes.md"
    reading.write_bytes(
        "# Cells divide\r\n\r\nA cell\u00a0copies its DNA\u00ad before it divides.\r\n"
        "It then splits in two.\r\n".encode()
    )
    text = _added(project, reading, monkeypatch, run_line)
    assert (
        text
        == "# Cells divide\n\nA cell copies its DNA before it divides.\nIt then splits in two.\n"
    )
    assert "title: Cells divide\n" in (project / "seeds" / "sources.yaml").read_text("utf-8")


# Bad input: one located line, and nothing written --------------------------------------


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".quizgen-add.lock"
    }


def _hostile(tmp_path: Path, printed) -> dict[str, tuple[Path | str, str]]:
    """Each bad input, and the start of the message that must name it."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    binary = folder / "photo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    json_page = folder / "data.html"
    json_page.write_text('{"title": "not a page"}', encoding="utf-8")
    empty_page = folder / "menu.html"
    empty_page.write_text(
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
        encoding="utf-8",
    )
    not_pdf = folder / "article.pdf"
    not_pdf.write_bytes((PAGES_DIR / "frog-chorus.html").read_bytes())
    scan_page = folder / "scan.html"
    scan_page.write_text(
        "<html><body><svg width='600' height='800'><rect x='50' y='50' width='500' "
        "height='700' fill='#ccc'/><circle cx='300' cy='300' r='120'/></svg></body></html>",
        encoding="utf-8",
    )
    scan = print_to_pdf(scan_page, folder / "scan.pdf")
    encrypted = folder / "locked.pdf"
    _encrypt(printed["frog-chorus"], encrypted)
    latin1 = folder / "latin1.txt"
    latin1.write_bytes("Caf\xe9 society\n".encode("latin-1"))
    blank = folder / "blank.txt"
    blank.write_text(" \n\n \n", encoding="utf-8")
    word = folder / "essay.docx"
    word.write_bytes(b"PK\x03\x04")
    huge = folder / "huge.html"
    with huge.open("wb") as stream:
        stream.truncate(21 * 1024 * 1024)
    return {
        "binary": (binary, "does not look like a web page"),
        "json": (json_page, "does not look like a web page"),
        "empty extraction": (empty_page, "no article text found in the page"),
        "not a pdf": (not_pdf, "is not a PDF"),
        "scanned": (scan, "has no text to extract: it is probably a scan"),
        "encrypted": (encrypted, "is encrypted with a password"),
        "not utf-8": (latin1, "is not UTF-8 (byte 0xe9)"),
        "blank": (blank, "is empty"),
        "unsupported": (word, "unsupported file type '.docx'"),
        "too big": (huge, "is 21.0 MB, over the 20 MB limit"),
        "missing": (folder / "gone.html", "file not found"),
        "offline url": ("http://127.0.0.1:9/article", "could not fetch the page"),
    }


def _encrypt(source: Path, target: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    writer.write(target)


def test_each_bad_input_gets_one_located_line_and_nothing_is_written(
    project: Path, monkeypatch, run_line, tmp_path: Path, printed
) -> None:
    cases = _hostile(tmp_path, printed)
    monkeypatch.chdir(project)
    snapshot = _tree(project / "seeds")
    for case, (path, message) in cases.items():
        # With a good page beside it: one bad input, and nothing at all is written.
        result = run_line(["add", str(PAGES_DIR / "frog-chorus.html"), str(path)])
        assert result.exit_code == 1, case
        [line] = result.stdout.splitlines()
        assert line.startswith(f"{path}:"), case
        assert re.match(r"^.+:\d+:\d+: ", line), case
        assert message in line, (case, line)
        assert "Traceback" not in result.output
        assert result.stderr == "quizgen: nothing was written; seeds/ is as it was.\n"
        assert _tree(project / "seeds") == snapshot, case
    assert not list((project / "seeds").rglob("*.tmp"))


def test_flags_that_name_one_article_with_several_paths_are_a_usage_error(
    project: Path, monkeypatch, run_line
) -> None:
    monkeypatch.chdir(project)
    pages = [str(PAGES_DIR / "frog-chorus.html"), str(PAGES_DIR / "museum-bones.html")]
    assert run_line(["add", *pages, "--title", "T"]).exit_code == 2
    assert run_line(["add", pages[0], "--id", "Bad Id"]).exit_code == 2
    assert run_line(["add", pages[0], "--published", "last week"]).exit_code == 2
    taken = run_line(["add", pages[0], "--id", "example"])
    assert taken.exit_code == 1
    assert "the id 'example' is taken" in taken.stdout


def test_a_failed_write_leaves_nothing_behind(project: Path, monkeypatch) -> None:
    """sources.yaml cannot be replaced: the articles and originals already renamed go too."""
    monkeypatch.chdir(project)
    snapshot = _tree(project / "seeds")
    import os

    real_replace = os.replace

    def refuse_the_index(source, target):
        if Path(target).name == "sources.yaml":
            raise PermissionError(13, "Permission denied", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", refuse_the_index)
    with pytest.raises(PermissionError):
        add_readings([str(PAGES_DIR / "frog-chorus.html")], Path("seeds"))
    assert _tree(project / "seeds") == snapshot
