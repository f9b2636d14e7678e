"""decks/coverage.html: the articles with what the quiz tests marked, linked both ways."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from quiz_helpers import dump_dom

from generator import api
from generator.outputs.base import BuildContext, BuildOptions
from generator.outputs.coverage import COVERAGE_FILE, render_coverage
from generator.paths import deck_slug

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "authoring"


class Page(HTMLParser):
    """Every element, id and link of a page, as a browser's parser sees the markup."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def coverage(questions: Path, seeds: Path, deck: str | None = None) -> str:
    result = api.check_bank([questions], seeds, questions.parent / "no-decks")
    assert result.success, result.problems
    chosen = tuple(q for q in result.questions if deck is None or q.deck == deck)
    sources = tuple(result.bank.sources.values())
    context = BuildContext(chosen, BuildOptions(deck=deck), lambda name: None, sources)
    (html,) = render_coverage(context).values()
    return html.decode("utf-8")


@pytest.fixture(scope="module")
def fixture_html() -> str:
    return coverage(FIXTURE / "questions", FIXTURE / "seeds")


@pytest.fixture(scope="module")
def real_html() -> str:
    return coverage(ROOT / "questions", ROOT / "seeds")


def test_markup_in_questions_and_articles_is_shown_as_text(fixture_html: str) -> None:
    assert "<script" not in fixture_html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fixture_html  # from the article
    assert "&lt;script&gt;alert(&#39;ask&#39;)&lt;/script&gt;" in fixture_html  # from the YAML
    page = Page(fixture_html)
    assert "script" not in page.tags
    assert "<script>alert(1)</script>" in "".join(page.text)


def test_the_page_is_self_contained(fixture_html: str) -> None:
    for outside in ("http://", "https://", " src=", "<link", "@import"):
        assert outside not in fixture_html


def test_every_link_lands_and_every_id_is_unique(fixture_html: str, real_html: str) -> None:
    for html in (fixture_html, real_html):
        page = Page(html)
        assert len(page.ids) == len(set(page.ids))
        internal = [link for link in page.links if link.startswith("#")]
        assert internal and set(internal) == set(page.links)
        assert {link[1:] for link in internal} <= set(page.ids)


def test_a_quoted_passage_is_marked_and_links_to_its_questions(fixture_html: str) -> None:
    # 'nine' proves question 1 (short) and question 3 (cloze).
    assert (
        '<span id="fact-nine"></span><mark title="nine">The city council voted nine to two on '
        'Tuesday to expand the harbor.</mark><sup class="refs"><a href="#q-harbor-vote" '
        'title="harbor-vote">1</a><a href="#q-harbor-vote-cloze" title="harbor-vote-cloze">3</a>'
        "</sup>"
    ) in fixture_html
    assert '<mark title="dredging_cost">warned that the dredging would cost $12 million</mark>' in (
        fixture_html
    )
    # Each question links back to the passage that proves it.
    question = re.search(r'<li id="q-harbor-vote-cloze".*?</li>', fixture_html, re.DOTALL)
    assert question is not None
    assert '<a href="#fact-nine">harbor: nine</a>' in question.group()
    assert "The city council voted _____ to two on Tuesday" in question.group()


def test_what_no_question_tests_stays_unmarked(fixture_html: str) -> None:
    # 'debate_years' is a fact, but no question uses it: the quiz does not test it.
    assert 'title="debate_years"' not in fixture_html
    assert " The vote ended a debate that lasted three years.</p>" in fixture_html
    assert '<p class="para untested" id="article-harbor-p3">' in fixture_html
    assert '<p class="para" id="article-harbor-p2">' in fixture_html
    # River has no questions: the whole-bank page still lists it, with nothing tested.
    assert "River notes" in fixture_html
    assert '<p class="para" id="article-river-p' not in fixture_html
    assert "2 of 8 sentences tested" in fixture_html


def test_overlapping_quotes_share_a_mark_and_keep_both_links(tmp_path: Path) -> None:
    questions = tmp_path / "questions"
    shutil.copytree(FIXTURE / "questions", questions)
    extra = questions / "overlap.yaml"
    extra.write_text(
        "deck: Overlap\n"
        "facts:\n"
        "  vote_margin:\n"
        "    source: harbor\n"
        "    quote: voted nine to two on Tuesday\n"
        "    value: two\n"
        "questions:\n"
        "  - id: overlap-margin\n"
        "    type: cloze\n"
        "    fact: vote_margin\n",
        encoding="utf-8",
    )
    html = coverage(questions, FIXTURE / "seeds")
    assert (
        '<mark title="nine">The city council </mark><span id="fact-vote_margin"></span>'
        '<mark class="overlap" title="nine, vote_margin">voted nine to two on Tuesday</mark>'
        '<sup class="refs"><a href="#q-overlap-margin" title="overlap-margin">4</a></sup>'
        '<mark title="nine"> to expand the harbor.</mark>'
    ) in html


def test_real_bank_shows_every_article_and_question(real_html: str) -> None:
    result = api.check_bank([ROOT / "questions"], ROOT / "seeds", ROOT / "decks")
    page = Page(real_html)
    for question in result.questions:
        assert f"q-{question.id}" in page.ids
        assert f"#q-{question.id}" in page.links  # some passage links to every question
    for source_id in result.bank.sources:
        assert f"article-{source_id}" in page.ids


def test_deck_build_covers_that_deck_only() -> None:
    deck = "Sessions and Sanctuary Cities::Leopold — Sessions is wrong on immigration law"
    html = coverage(ROOT / "questions", ROOT / "seeds", deck=deck)
    page = Page(html)
    assert f"<title>Coverage: {deck}</title>" in html
    assert [i for i in page.ids if i.startswith("article-") and "-p" not in i] == [
        "article-leopold"
    ]


def test_a_deck_build_writes_its_own_coverage_file() -> None:
    result = api.check_bank([FIXTURE / "questions"], FIXTURE / "seeds", FIXTURE / "no-decks")
    deck = result.questions[0].deck
    context = BuildContext(result.questions, BuildOptions(deck=deck), lambda name: None)
    assert list(render_coverage(context)) == [f"coverage-{deck_slug(deck)}.html"]


def test_a_whole_bank_build_shows_articles_no_question_cites() -> None:
    result = api.check_bank([FIXTURE / "questions"], FIXTURE / "seeds", FIXTURE / "no-decks")
    sources = tuple(result.bank.sources.values())
    cited = {source.id for question in result.questions for source in question.sources}
    uncited = [source for source in sources if source.id not in cited]
    assert uncited, "the fixture bank has an article with no questions"
    context = BuildContext(result.questions, BuildOptions(), lambda name: None, sources)
    html = render_coverage(context)[COVERAGE_FILE].decode("utf-8")
    for source in uncited:
        assert f'id="article-{source.id}"' in html


def test_build_writes_coverage_html_and_the_committed_one_is_current(real_html: str) -> None:
    assert (ROOT / "decks" / COVERAGE_FILE).read_text(encoding="utf-8") == real_html


def test_chromium_renders_the_markup_as_text(tmp_path: Path) -> None:
    """A real browser: the <script> in the YAML and in the article never becomes an element."""
    out = tmp_path / "decks"
    result = api.check_bank([FIXTURE / "questions"], FIXTURE / "seeds", out)
    built = api.build_outputs(result, BuildOptions(out_dir=out))
    assert built.success, built.problems
    dom = dump_dom(out / COVERAGE_FILE)
    assert "<script" not in dom.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert 'id="q-harbor-vote"' in dom
