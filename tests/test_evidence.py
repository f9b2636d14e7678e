"""The evidence every export shows: each distinct quote once, the answer's spans marked."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator import api
from generator.outputs.evidence import Piece, byline, evidence_of, merged, pieces

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_spans_are_joined_where_they_touch_or_overlap() -> None:
    assert merged([(5, 9), (0, 2), (2, 3), (8, 12), (20, 20)]) == [(0, 3), (5, 12)]


def test_a_quote_is_cut_into_marked_and_plain_pieces() -> None:
    assert pieces("withhold $4 billion now", [(9, 19)]) == (
        Piece("withhold "),
        Piece("$4 billion", marked=True),
        Piece(" now"),
    )


@given(st.text(max_size=40), st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45))))
def test_the_pieces_give_back_the_quote(quote: str, spans: list[tuple[int, int]]) -> None:
    cut = pieces(quote, [(start, min(end, len(quote))) for start, end in spans])
    assert "".join(piece.text for piece in cut) == quote
    assert all(piece.text for piece in cut)


def test_every_bank_question_has_its_answer_marked_in_a_quote() -> None:
    result = api.check_bank([REPO_ROOT / "questions"], REPO_ROOT / "seeds")
    for question in result.questions:
        evidence = evidence_of(question)
        assert evidence.question_id == question.id
        assert evidence.quotes, question.id
        assert any(quote.marked for quote in evidence.quotes), question.id
        assert len({quote.text for quote in evidence.quotes}) == len(evidence.quotes)


def test_an_article_is_named_by_title_author_and_date() -> None:
    result = api.check_bank([REPO_ROOT / "questions"], REPO_ROOT / "seeds")
    epstein = result.bank.sources["epstein"]
    assert byline(epstein) == (
        "“Trump and Sessions Keep Trying to Institute Anti-Immigrant Policies”, "
        "by Ruthie Epstein (2017-11-27)"
    )
