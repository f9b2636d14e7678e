"""Printable quizzes without a browser: golden HTML, escaping, versions and their keys, PDFs.

Printing in Chromium is tested in test_print.py.
"""

from __future__ import annotations

import dataclasses
import random
import re
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape
from quiz_helpers import (
    FIXTURE,
    GOLDEN,
    GOLDEN_CASES,
    REGENERATE,
    bank_result,
    fixture_result,
    golden_files,
    quiz_files,
)

from generator import paths
from generator.bank.model import QuestionType
from generator.cli import main
from generator.outputs import html
from generator.outputs.base import BuildOptions
from generator.outputs.quiz import render as quiz
from generator.outputs.quiz.layout import TRUE_FALSE, label, lay_out, lay_out_each

FIXTURE_ARGS = ["--questions", str(FIXTURE / "questions"), "--seeds", str(FIXTURE / "seeds")]
HOSTILE = ("<script>document.title='pwned'</script>", "<img src=x onerror=")
# Every tag the quiz templates write; anything else in the output came from YAML.
OUR_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "section", "div", "p",
    "span", "h1", "h2", "cite", "strong", "ol", "ul", "li", "blockquote", "mark",
}  # fmt: skip


# Golden files --------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(GOLDEN_CASES))
def test_html_matches_the_golden_files(case: str) -> None:
    expected = {path.name: path.read_bytes() for path in sorted((GOLDEN / case).iterdir())}
    actual = golden_files(case)
    assert sorted(actual) == sorted(expected), f"file names changed; run {REGENERATE}"
    for name, content in actual.items():
        assert content == expected[name], f"{case}/{name} changed; if intended, run {REGENERATE}"


def test_the_regeneration_command_is_the_documented_one() -> None:
    script = Path(__file__).with_name("regenerate_golden.py")
    assert script.is_file() and f"python tests/{script.name}" == REGENERATE
    assert REGENERATE in script.read_text(encoding="utf-8")


# What a quiz holds ---------------------------------------------------------


def test_one_quiz_per_deck_and_one_for_all() -> None:
    names = sorted(quiz_files(fixture_result(), BuildOptions()))
    assert names == [
        "quiz-all.html",
        "quiz-script-document-title-pwned-script-img-src-x-onerror-title.html",
        "quiz-willow-river-clean-up.html",
    ]


def test_versions_get_letters_and_one_deck_gets_no_all_quiz() -> None:
    result = fixture_result()
    files = quiz_files(result, BuildOptions(versions=3))
    assert sorted(n for n in files if n.startswith("quiz-all")) == [
        "quiz-all-A.html",
        "quiz-all-B.html",
        "quiz-all-C.html",
    ]
    river = tuple(q for q in result.questions if q.deck == "Fixture::Willow River clean-up")
    only_river = dataclasses.replace(result, questions=river)
    assert sorted(quiz_files(only_river, BuildOptions())) == ["quiz-willow-river-clean-up.html"]


def test_file_names_fall_back_to_the_full_deck_name_when_last_parts_clash() -> None:
    names = quiz._file_names(["History::Week 1", "Science::Week 1", "Science::Week 2"])
    assert names == {
        "History::Week 1": "history-week-1",
        "Science::Week 1": "science-week-1",
        "Science::Week 2": "week-2",
    }
    assert quiz._file_names(["All"]) == {"All": "all-2"}  # never overwrites quiz-all
    assert quiz.slug("Ünïcödé — “quotes”") == "unicode-quotes"
    assert len(quiz.slug("word " * 40)) <= paths.MAX_SLUG
    assert quiz.slug("—").startswith("deck-")


def test_every_question_appears_once_with_its_points_and_the_total() -> None:
    result = fixture_result()
    version = lay_out(result.questions, "A", seed=0)
    assert Counter(p.question.id for p in version.questions) == Counter(
        q.id for q in result.questions
    )
    assert [p.number for p in version.questions] == list(range(1, len(result.questions) + 1))
    assert version.points == sum(q.question.points for q in result.questions) == 17
    page = quiz_files(result, BuildOptions())["quiz-all.html"].decode()
    assert 'Score <span class="rule"></span> / 17' in page
    assert '<span class="points">3&nbsp;pts</span>' in page  # the match with points: 3


def test_parts_group_question_types_in_a_fixed_order() -> None:
    version = lay_out(bank_result().questions, "B", seed=11)
    assert [s.type for s in version.sections] == [
        QuestionType.TRUEFALSE,
        QuestionType.CHOICE,
        QuestionType.MATCH,
        QuestionType.CLOZE,
        QuestionType.SHORT,
    ]
    assert all(p.type is s.type for s in version.sections for p in s.questions)


def test_cloze_blanks_the_value_and_short_lines_fit_the_answer() -> None:
    page = quiz_files(fixture_result(), BuildOptions())["quiz-willow-river-clean-up.html"]
    student = page.decode().split('<section class="key">')[0]
    assert (
        '"We found <span class="blank blank-m" aria-label="blank"></span>, a piano stool'
        in student.replace("&#34;", '"')
    )
    assert "four shopping trolleys" not in student
    assert student.count('class="write write-s"') == 1  # "3 tonnes"
    assert student.count('class="write write-l"') == 1  # "first Saturday in October"


# Escaping ------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.handlers: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.style: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.links += [value or "" for name, value in attrs if name in ("src", "href")]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.style if self._in_style else self.text).append(data)


def test_markup_from_yaml_is_shown_as_text_never_as_markup() -> None:
    for name, content in quiz_files(fixture_result(), BuildOptions(versions=2)).items():
        parsed = _Tags()
        parsed.feed(content.decode())
        assert set(parsed.tags) <= OUR_TAGS, name
        assert parsed.handlers == [], name
        text = "".join(parsed.text)
        if "river" not in name:
            for hostile in HOSTILE:
                assert hostile in text, (name, hostile)


SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='pwned'\">"


@pytest.mark.parametrize(
    ("field", "html_before", "raw"),
    [
        ("ask", '<p class="stem">Which comment showed up on the page? ', SCRIPT),
        ("statement", '<p class="stem">The first comment read ', SCRIPT),
        ("wrong", '<span class="option-text">', "<b>bold</b> & <i>friends</i>"),
        ("last_option", '<span class="option-text">', f"{SCRIPT} None of these"),
        ("pair", '<span class="match-text">', IMG),
        ("answer", '<strong class="answer">', IMG),
        ("quote", '<blockquote class="evidence">A reader&#39;s comment reading <mark>', SCRIPT),
        ("deck", "<h1>", f"{SCRIPT} & {IMG}"),
        ("source title", "<cite>“", f"When a comment form lets {SCRIPT} through"),
        ("author", "”, ", "Lee <b>Park</b>"),
        ("tag", '<p class="question-id">markup-fix · ', SCRIPT),
    ],
)
def test_each_field_is_escaped(field: str, html_before: str, raw: str) -> None:
    pages = "".join(c.decode() for c in quiz_files(fixture_result(), BuildOptions()).values())
    assert html_before + str(escape(raw)) in pages, field
    assert raw not in pages, field


def test_the_one_environment_is_sandboxed_autoescaping_and_strict() -> None:
    env = html.environment()
    assert env is html.environment()
    assert isinstance(env, SandboxedEnvironment)
    assert env.autoescape is True
    with pytest.raises(Exception, match="undefined"):
        html.render_page("quiz.html")
    unsafe = env.from_string("{{ x.__class__.__mro__ }}")
    with pytest.raises(Exception, match=r"unsafe|access"):
        unsafe.render(x="")


def test_split_at_marks_spans_and_keeps_every_character() -> None:
    pieces = list(html.split_at("the nine cities", [(4, 8)]))
    assert pieces == [("the ", False), ("nine", True), (" cities", False)]
    assert list(html.split_at("abc", [])) == [("abc", False)]
    assert list(html.split_at("", [])) == [("", False)]
    assert "".join(p for p, _ in html.split_at("abcdef", [(3, 9), (0, 1), (0, 2)])) == "abcdef"


def test_quizzes_are_self_contained_with_no_links_or_scripts() -> None:
    for name, content in quiz_files(fixture_result(), BuildOptions()).items():
        parsed = _Tags()
        parsed.feed(content.decode())
        assert parsed.links == [], name
        assert parsed.tags["style"] == 1 and "script" not in parsed.tags, name
        assert not re.search(r"(?i)url\(|@import", "".join(parsed.style)), name


# Versions ------------------------------------------------------------------


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not() -> None:
    result = fixture_result()
    options = BuildOptions(versions=2, seed=42)
    assert quiz_files(result, options) == quiz_files(result, options)
    other = quiz_files(result, dataclasses.replace(options, seed=43))
    assert other["quiz-all-A.html"] != quiz_files(result, options)["quiz-all-A.html"]


def test_versions_differ_in_order_and_each_key_follows_its_own_order() -> None:
    questions = bank_result().questions
    a, b = (lay_out(questions, letter, seed=5) for letter in "AB")
    order_a = [p.question.id for p in a.questions]
    order_b = [p.question.id for p in b.questions]
    assert order_a != order_b and sorted(order_a) == sorted(order_b)
    for version in (a, b):
        for placed in version.questions:
            _assert_key_matches_page(placed)


def test_the_order_does_not_depend_on_the_order_of_the_files() -> None:
    questions = list(bank_result().questions)
    shuffled = random.Random(1).sample(questions, len(questions))
    assert lay_out(questions, "C", seed=9) == lay_out(shuffled, "C", seed=9)


def test_adding_a_question_keeps_the_others_in_their_order() -> None:
    questions = list(bank_result().questions)
    without = [q for q in questions if q.id != questions[0].id]
    full = [p.question.id for p in lay_out(questions, "A", seed=2).questions]
    fewer = [p.question.id for p in lay_out(without, "A", seed=2).questions]
    assert [i for i in full if i != questions[0].id] == fewer


def test_quizzes_laid_out_together_are_laid_out_as_each_alone() -> None:
    questions = list(bank_result().questions)
    quizzes = [questions[::2], questions[1::3], questions]
    together = lay_out_each(quizzes, "B", seed=4)
    assert together == [lay_out(list(chosen), "B", seed=4) for chosen in quizzes]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), letter=st.sampled_from("ABCDEZ"))
def test_any_version_keeps_its_promises(seed: int, letter: str) -> None:
    questions = fixture_result().questions + bank_result().questions
    version = lay_out(questions, letter, seed)
    assert sorted(p.question.id for p in version.questions) == sorted(q.id for q in questions)
    for placed in version.questions:
        _assert_key_matches_page(placed)


def _assert_key_matches_page(placed) -> None:
    """The key's answer points, on the printed page, at the right text."""
    question = placed.question
    letters = [option.letter for option in placed.options]
    assert letters == [chr(ord("A") + i) for i in range(len(letters))]
    if question.type is QuestionType.CHOICE:
        texts = [option.text for option in placed.options]
        assert sorted(texts) == sorted(
            [question.answer, *question.wrong]
            + ([question.last_option] if question.last_option else [])
        )
        if question.last_option is not None:
            assert texts[-1] == question.last_option
        chosen = next(o for o in placed.options if o.letter == placed.answer)
        assert chosen.text == question.answer
    elif question.type is QuestionType.TRUEFALSE:
        assert tuple(option.text for option in placed.options) == TRUE_FALSE
        assert placed.answer == question.answer
    elif question.type is QuestionType.MATCH:
        assert sorted(p.item for p in placed.pairings) == sorted(left for left, _ in question.pairs)
        by_letter = {option.letter: option.text for option in placed.partners}
        for pairing in placed.pairings:
            assert (pairing.item, by_letter[pairing.letter]) in question.pairs
        assert placed.short_key == " ".join(p.letter for p in placed.pairings)
    else:
        assert placed.answer == question.answer


def test_options_past_z_get_two_letters() -> None:
    assert [label(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_last_option_stays_last_in_every_version() -> None:
    questions = [q for q in fixture_result().questions if q.last_option is not None]
    assert len(questions) == 2
    for seed in range(30):
        for placed in lay_out(questions, "AB"[seed % 2], seed).questions:
            assert placed.options[-1].text == placed.question.last_option


# Build, --check and PDF ----------------------------------------------------


def test_build_writes_the_quizzes_and_check_then_passes(tmp_path: Path) -> None:
    runner = CliRunner()
    arguments = ["build", *FIXTURE_ARGS, "--out", str(tmp_path), "--versions", "2", "--seed", "4"]
    first = runner.invoke(main, arguments, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert (tmp_path / "quiz-all-B.html").is_file()
    again = runner.invoke(main, [*arguments, "--check"], catch_exceptions=False)
    assert again.exit_code == 0, again.output


@pytest.fixture(scope="module")
def fixture_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two builds with --pdf, in separate folders, so their bytes can be compared."""
    folders = []
    for run in ("first", "second"):
        out = tmp_path_factory.mktemp(run)
        result = CliRunner().invoke(
            main,
            ["build", *FIXTURE_ARGS, "--out", str(out), "--pdf", "--paper", "a4"],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        folders.append(out)
    return folders[0], folders[1]


def test_pdfs_are_byte_identical_across_builds(fixture_pdfs: tuple[Path, Path]) -> None:
    first, second = fixture_pdfs
    names = sorted(p.name for p in first.glob("*.pdf"))
    assert names == sorted(p.name.replace(".html", ".pdf") for p in first.glob("quiz-*.html"))
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_weasyprint_pdfs_have_the_footer_and_paper(fixture_pdfs: tuple[Path, Path]) -> None:
    pdf = fixture_pdfs[0] / "quiz-all.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout
    pages = int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages"))
    )
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages}" in text.stdout
    assert "Version A" in text.stdout and "Answer key" in text.stdout


def test_missing_weasyprint_is_a_problem_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # None in sys.modules makes `import weasyprint` raise ImportError, as on a machine without it.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    result = CliRunner().invoke(
        main, ["build", *FIXTURE_ARGS, "--out", str(tmp_path), "--pdf"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "--pdf:1:1: cannot write PDFs: WeasyPrint is unavailable" in result.output
    assert "pip install 'quizgen[pdf]'" in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.glob("quiz-*")), "nothing is written when a renderer fails"
