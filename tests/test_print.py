"""The bank's whole quiz, versions A and B on letter and A4, printed by real headless Chromium
and read back with poppler; and the fixture's hostile markup loaded in Chromium.

Chromium takes most of a second per PDF, so each PDF is printed once for the module.
"""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from quiz_helpers import (
    PrintedPdf,
    bank_result,
    dump_dom,
    fixture_result,
    print_to_pdf,
    quiz_files,
    read_pdf,
    squeeze,
)

from generator.bank.model import QuestionType
from generator.outputs.base import BuildOptions
from generator.outputs.html import split_at
from generator.outputs.quiz.draw import draw
from generator.outputs.quiz.layout import Placed, QuizVersion, lay_out

SEED = 2024
PAPERS = {"letter": (612.0, 792.0), "a4": (595.3, 841.9)}
# Absolutely placed labels that pdftotext may put between the lines of a question's text.
LABEL_LINE = re.compile(r"(?m)^(?:\d+ pts?|True|False)$\n?")
CASES = [(paper, letter) for paper in PAPERS for letter in "AB"]
KEY_KICKER = "TEACHER'S COPY"


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], PrintedPdf]:
    """quiz-all-A and quiz-all-B of the real bank, each printed on letter and on A4."""
    folder = tmp_path_factory.mktemp("print")
    jobs = []
    for paper in PAPERS:
        files = quiz_files(bank_result(), BuildOptions(paper=paper, versions=2, seed=SEED))
        for letter in "AB":
            html = folder / f"{paper}-{letter}.html"
            html.write_bytes(files[f"quiz-all-{letter}.html"])
            jobs.append(((paper, letter), html, folder / f"{paper}-{letter}.pdf"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(lambda job: print_to_pdf(job[1], job[2]), jobs))
    return {case: read_pdf(pdf) for (case, _, _), pdf in zip(jobs, pdfs, strict=True)}


def printed_questions():
    """The bank's questions that go on paper (`printed: false` ones stay in Anki only)."""
    return [question for question in bank_result().questions if question.question.printed]


def drawn_questions(letter: str):
    """The printed questions that version `letter` asks: its own draw of every pool."""
    pools = bank_result().bank.pools
    return draw(printed_questions(), pools, SEED, "AB".index(letter))


def layout(letter: str) -> QuizVersion:
    return lay_out(drawn_questions(letter), letter, SEED)


def key_start(pdf: PrintedPdf) -> int:
    """The index of the first page of the answer key."""
    starts = [i for i, page in enumerate(pdf.pages) if KEY_KICKER in page]
    assert starts, "no answer key printed"
    return starts[0]


def quiz_text(pdf: PrintedPdf) -> str:
    """The students' pages, tidied line by line, without the labels placed beside questions."""
    return without_labels("\n".join(pdf.pages[: key_start(pdf)]))


def without_labels(text: str) -> str:
    return LABEL_LINE.sub("", squeeze_lines(text))


def segments(text: str, count: int) -> dict[int, str]:
    """Each question number → its text, up to the next number."""
    starts: list[int] = []
    for number in range(1, count + 1):
        found = re.compile(rf"(?m)^{number}\.(?: |$)").search(text, starts[-1] if starts else 0)
        assert found, f"question {number} is not printed (or not in order)"
        starts.append(found.start())
    ends = [*starts[1:], len(text)]
    return {n: text[s:e] for n, (s, e) in enumerate(zip(starts, ends, strict=True), 1)}


def printed_pieces(placed: Placed) -> list[str]:
    """The texts a question prints, each of which must be on the question's one page."""
    question = placed.question
    if placed.type is QuestionType.CLOZE:
        passage = placed.passage
        return [
            p for p, hidden in split_at(passage.text, passage.spans) if not hidden and p.strip()
        ]
    if placed.type is QuestionType.TRUEFALSE:
        return [question.statement]
    pieces = [question.ask]
    pieces += [f"{option.letter}. {option.text}" for option in placed.options]
    pieces += [pairing.item for pairing in placed.pairings]
    pieces += [f"{partner.letter}. {partner.text}" for partner in placed.partners]
    return pieces


@pytest.mark.parametrize(("paper", "letter"), CASES)
def test_the_paper_size_is_the_one_asked_for(printed, paper: str, letter: str) -> None:
    width, height = printed[paper, letter].size
    expected_width, expected_height = PAPERS[paper]
    assert abs(width - expected_width) < 1 and abs(height - expected_height) < 1


@pytest.mark.parametrize(("paper", "letter"), CASES)
def test_every_question_is_printed_once_in_its_versions_order(printed, paper, letter) -> None:
    version = layout(letter)
    text = quiz_text(printed[paper, letter])
    found = segments(text, len(version.questions))
    flat = comparable(text)
    for placed in version.questions:
        if placed.type is QuestionType.CLOZE:
            continue  # its text may come back in pieces; the page test finds its words
        stem = comparable(placed.question.ask or placed.question.statement)
        assert stem in comparable(found[placed.number]), (placed.number, stem)
        assert flat.count(stem) == 1, (placed.number, stem)
    assert not re.search(rf"(?m)^{len(version.questions) + 1}\. ", text)


@pytest.mark.parametrize(("paper", "letter"), CASES)
def test_no_question_is_split_across_two_pages(printed, paper: str, letter: str) -> None:
    pdf = printed[paper, letter]
    pages = [without_labels(page) for page in pdf.pages[: key_start(pdf)]]
    truefalse_on = Counter()
    for placed in layout(letter).questions:
        on = [i for i, page in enumerate(pages) if re.search(rf"(?m)^{placed.number}\.( |$)", page)]
        assert len(on) == 1, (placed.number, on)
        for piece in printed_pieces(placed):
            assert printed_in(piece, pages[on[0]], placed), (placed.number, piece, on[0] + 1)
        if placed.type is QuestionType.TRUEFALSE:
            truefalse_on[on[0]] += 1
    # "True" and "False" to circle sit on the same page as their statements.
    for index, page in enumerate(pdf.pages[: key_start(pdf)]):
        lines = squeeze_lines(page).splitlines()
        assert lines.count("True") == lines.count("False") == truefalse_on[index], index + 1


@pytest.mark.parametrize(("paper", "letter"), CASES)
def test_the_key_starts_at_the_top_of_a_new_page(printed, paper: str, letter: str) -> None:
    pdf = printed[paper, letter]
    start = key_start(pdf)
    assert start > 0
    lines = [line for line in pdf.pages[start].splitlines() if line.strip()]
    # The first line is the page's running head; the key's own heading comes right after it.
    assert lines[0] == f"Answer key · Version {letter}"
    assert lines[1].startswith(KEY_KICKER)
    assert "END OF THE QUIZ" in pdf.pages[start - 1]
    assert not any("Answer key" in page for page in pdf.pages[:start])
    assert all("Answer key · Version" in page for page in pdf.pages[start:])


@pytest.mark.parametrize(("paper", "letter"), CASES)
def test_every_page_has_the_version_and_page_n_of_n(printed, paper: str, letter: str) -> None:
    pages = printed[paper, letter].pages
    for number, page in enumerate(pages, 1):
        assert f"Version {letter} · Page {number} of {len(pages)}" in page, number
    # The version is also in the body of page 1, not only in the footer.
    assert pages[0].count(f"Version {letter}") >= 2
    # A loose page still says whose it is.
    start = key_start(printed[paper, letter])
    assert all(page.lstrip().startswith("Name ____") for page in pages[1:start])
    assert all(page.lstrip().startswith(f"Answer key · Version {letter}") for page in pages[start:])


@pytest.mark.parametrize(("paper", "letter"), CASES)
def test_the_printed_quick_key_is_this_versions_key(printed, paper: str, letter: str) -> None:
    pdf = printed[paper, letter]
    key = "\n".join(pdf.pages[key_start(pdf) :])
    quick = key.split("Quick key", 1)[1].split("Answers with their evidence", 1)[0]
    quick = re.sub(r"Answer key · Version . · Page \d+ of \d+", "", quick)
    parts = re.split(r"(?m)^(\d+)\. ", quick)[1:]
    entries = {
        int(n): comparable(answer) for n, answer in zip(parts[::2], parts[1::2], strict=True)
    }
    version = layout(letter)
    assert entries == {p.number: comparable(p.short_key) for p in version.questions}
    # Each choice's key letter is printed, on the quiz, beside the answer's text.
    found = segments(quiz_text(pdf), len(version.questions))
    for placed in version.questions:
        if placed.type is QuestionType.CHOICE:
            expected = f"{entries[placed.number]}. {placed.question.answer}"
            assert comparable(expected) in comparable(found[placed.number]), placed.number


@pytest.mark.parametrize("paper", PAPERS)
def test_versions_a_and_b_differ_in_order(printed, paper: str) -> None:
    def order(letter: str) -> list[str]:
        found = segments(quiz_text(printed[paper, letter]), len(layout(letter).questions))
        return [squeeze(found[n])[:60] for n in sorted(found)]

    a, b = order("A"), order("B")
    assert a != b
    assert len(a) == len(drawn_questions("A"))
    assert len(b) == len(drawn_questions("B"))


@pytest.mark.parametrize("paper", PAPERS)
def test_versions_a_and_b_ask_different_questions_and_each_key_grades_its_own(
    printed, paper: str
) -> None:
    """The bank's pools (the courts, the letters) give A and B different questions: each
    version's pages print its own draw, and its key gives the ids and answers of that draw."""
    drawn = {letter: {q.id for q in drawn_questions(letter)} for letter in "AB"}
    only = {"A": drawn["A"] - drawn["B"], "B": drawn["B"] - drawn["A"]}
    pools = bank_result().bank.pools
    pooled = {q.id for q in printed_questions() if q.question.pool in pools}
    assert only["A"] and only["B"] and only["A"] | only["B"] <= pooled
    questions = {q.id: q for q in printed_questions()}
    for letter, other in (("A", "B"), ("B", "A")):
        pdf = printed[paper, letter]
        students = comparable(quiz_text(pdf))
        key = comparable("\n".join(pdf.pages[key_start(pdf) :]))
        for question_id in only[letter]:
            assert comparable(questions[question_id].ask) in students, question_id
            assert comparable(question_id) in key, question_id
        for question_id in only[other]:
            assert comparable(questions[question_id].ask) not in students, question_id
            assert comparable(question_id) not in key, question_id
    assert layout("A").points == layout("B").points


def comparable(text: str) -> str:
    """Text as pdftotext gives it back: it joins a word broken at a hyphen ("community-
    safety" → "communitysafety"), so hyphens are dropped on both sides of a comparison."""
    return squeeze(text).replace("-", "")


def printed_in(piece: str, text: str, placed: Placed) -> bool:
    """Whether the piece is in the text. pdftotext may return a match's two columns, and the
    text beside a cloze's blank, as separate blocks out of order: there only the words count."""
    if placed.type not in (QuestionType.MATCH, QuestionType.CLOZE):
        return comparable(piece) in comparable(text)
    return not Counter(comparable(piece).split()) - Counter(comparable(text).split())


def squeeze_lines(text: str) -> str:
    """Text with spaces tidied but line starts kept, so "N. " still begins a line."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


# Hostile markup in a real browser -----------------------------------------


@pytest.fixture(scope="module")
def fixture_dom(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The DOM of the fixture's quiz after Chromium ran it, and of a page that does run a script."""
    folder = tmp_path_factory.mktemp("dom")
    quiz = folder / "quiz-all.html"
    quiz.write_bytes(quiz_files(fixture_result(), BuildOptions())["quiz-all.html"])
    control = folder / "control.html"
    control.write_text(
        "<!DOCTYPE html><title>unchanged</title><script>document.title='pwned'</script>",
        encoding="utf-8",
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        quiz_dom, control_dom = pool.map(dump_dom, [quiz, control])
    return quiz_dom, control_dom


def test_chromes_own_headers_and_footers_never_print(tmp_path: Path) -> None:
    """Chrome's print dialog adds a date, title and URL by default; the page's margin boxes
    leave no margin empty for them."""
    quiz = tmp_path / "quiz-all.html"
    quiz.write_bytes(quiz_files(fixture_result(), BuildOptions())["quiz-all.html"])
    pdf = read_pdf(print_to_pdf(quiz, tmp_path / "quiz.pdf", browser_headers=True))
    assert len(pdf.pages) >= 2
    for number, page in enumerate(pdf.pages, 1):
        assert "file://" not in page and not re.search(r"\d+/\d+/\d+", page), number
        assert "Fixture · Version A" not in page, number  # the <title>


def test_the_check_would_see_a_script_run(fixture_dom: tuple[str, str]) -> None:
    assert "<title>pwned</title>" in fixture_dom[1]


def test_no_script_or_handler_from_yaml_runs_in_chromium(fixture_dom: tuple[str, str]) -> None:
    dom = fixture_dom[0]
    assert "<title>Fixture · Version A</title>" in dom
    assert "pwned</title>" not in dom
    assert "<script" not in dom and "<img" not in dom and "<b>" not in dom
    # The markup is on the page as text, exactly as the YAML wrote it.
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert "&lt;img src=x onerror=\"document.title='pwned'\"&gt;" in dom
    assert "Lee &lt;b&gt;Park&lt;/b&gt;" in dom
