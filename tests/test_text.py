"""Normalisation and quote finding: what may differ between a quote and its article, and what not.

Matching ignores whitespace (also before punctuation), letter case and typographic variants, and
nothing else; values and answers also match numbers across words and digits.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from generator.bank.model import Location, Source
from generator.bank.sources import Article, load_sources
from generator.bank.text import (
    _fold,
    _fold_text,
    _folded_pieces,
    answer_form_mapped,
    find_word,
    highlight_spans,
    normalise,
    normalise_answer,
    normalise_mapped,
    quote_pieces,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTICLES = load_sources(SEEDS).articles
# Every paragraph of every article, as (source id, words), for slicing quotes out of.
PARAGRAPHS = [
    (source_id, paragraph.split())
    for source_id, article in sorted(ARTICLES.items())
    for paragraph in article.paragraphs
    if len(paragraph.split()) >= 3
]
STRAIGHT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
# Text with the characters normalisation treats specially, mixed with anything at all.
TRICKY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(" \t\n\r\u00a0\u2009,.;:!?%)]}-–—‘’“”\"'`…ﬁÅÅǰß9 nine Ninth ")),
        st.characters(),
    ),
    max_size=60,
)


def article(text: str) -> Article:
    return Article(Source("test", Path("test.txt"), "Test", text, Location("test.txt")))


# Examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Chicago, ruling", "Chicago , ruling"),  # scraped text has a space before punctuation
        ("the Fourth Amendment", "the  fourth\namendment"),
        ("Sessions' letter", "Sessions’ letter"),
        ('"sanctuary city" policies', "“sanctuary city” policies"),
        ("money - that's the job", "money – that’s the job"),
        ("money - that's the job", "money — that’s the job"),
        ("June 30", "June\u00a030"),
        ("the final figure", "the ﬁnal figure"),  # NFKC: the 'fi' ligature
        ("STRASSE", "straße"),  # casefold
        ("it's `sanctuary`", "it’s ‘sanctuary’"),  # a backtick, in all-ASCII text too
        ("it`s", "it's"),
        ("a duckbilled dinosaur", "a duck\u00adbilled dinosaur"),  # a soft hyphen, copied
        ("sanctuary cities", "sanc\u200btuary\u2060 cities\ufeff"),  # zero-width, joiner, BOM
        ("the funding", "the fund\u200c\u200ding"),  # zero-width non-joiner and joiner
    ],
)
def test_what_normalisation_ignores(typed: str, printed: str) -> None:
    assert normalise(typed) == normalise(printed)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("$4 billion", "$5 billion"),
        ("did not find", "did find"),
        ("no court has held", "court has held"),
        ("clawback", "clawbacks"),
        ("state and local", "state or local"),
        ("re-arrest", "rearrest"),
        ("1373", "1,373"),
    ],
)
def test_what_normalisation_keeps(one: str, other: str) -> None:
    assert normalise(one) != normalise(other)
    assert normalise_answer(one) != normalise_answer(other)


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("nine", "9"),
        ("Nine jurisdictions", "9 jurisdictions"),
        ("forty-eight hours", "48 hours"),
        ("forty eight hours", "48 hours"),
        ("the tenth amendment", "the 10th amendment"),
        ("one hundred", "100"),
    ],
)
def test_answers_match_numbers_as_words_or_digits(words: str, digits: str) -> None:
    assert normalise_answer(words) == normalise_answer(digits)


def test_number_words_inside_other_words_are_left_alone() -> None:
    assert normalise_answer("someone") == "someone"
    assert normalise_answer("ninety-nine") == "99"
    assert normalise_answer("nineteen") == "19"


def test_find_word_refuses_a_match_inside_a_word() -> None:
    assert find_word("$40 billion", "$4") == -1
    assert find_word("$4 billion", "$4") == 0
    assert find_word("states and cities", "state") == -1
    assert find_word("the state, and", "state") == 4
    assert find_word("anything", "") == -1


def test_highlight_spans_are_original_indices_even_across_number_forms() -> None:
    quote = "Sessions threatened “nine” jurisdictions; nine\u00a0of them"
    spans = highlight_spans(quote, "9")
    assert [quote[start:end] for start, end in spans] == ["nine", "nine"]
    spans = highlight_spans("the  Fourth\nAmendment", "fourth amendment")
    assert spans == [(5, 21)]


def test_quote_pieces_split_on_ellipses() -> None:
    assert quote_pieces("Sessions ... showed up…in the room") == [
        "sessions",
        "showed up",
        "in the room",
    ]
    assert quote_pieces("...") == []


def test_find_matches_pieces_in_order_within_one_paragraph() -> None:
    text = article("First para has alpha and beta.\n\nSecond has gamma.\n")
    assert text.find("alpha ... beta") is not None
    assert text.find("beta ... alpha") is None
    assert text.find("alpha ... gamma") is None  # across paragraphs
    assert text.find("ALPHA   and\nBeta.") is not None
    assert text.find("lpha and") is None


def test_find_says_when_a_quote_only_misses_by_a_cut_word() -> None:
    text = article("Attorney General Jeff Sessions spoke.")
    assert text.partial_word("ttorney General") == (
        "the quote starts inside a word: 'ttorney' is part of 'Attorney'"
    )
    assert text.partial_word("General Jeff Sess") == (
        "the quote ends inside a word: 'Sess' is part of 'Sessions'"
    )
    assert text.partial_word("General Jim") is None


def test_closest_passage_is_whole_words_with_a_similarity() -> None:
    leopold = ARTICLES["leopold"]
    passage = leopold.closest("withholding and clawback of $5 billion in critical funding")
    assert passage is not None
    assert passage.text.startswith("withholding and clawback of $4 billion")
    assert 80 <= passage.similarity < 100


# Properties ----------------------------------------------------------------


@given(TRICKY)
@example("a ,b")
@example("ǰ")
@example("ﬁ\u0301")
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert normalise_answer(normalise_answer(text)) == normalise_answer(text)


@given(TRICKY)
def test_normalise_equals_the_mapped_form(text: str) -> None:
    mapped = normalise_mapped(text)
    assert mapped.text == normalise(text)
    assert len(mapped.origin) == len(mapped.text)
    assert list(mapped.origin) == sorted(mapped.origin)
    assert all(0 <= index < len(text) for index in mapped.origin)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=60))
def test_each_mapped_character_comes_from_its_origin(text: str) -> None:
    mapped = normalise_mapped(text)
    for character, index in zip(mapped.text, mapped.origin, strict=True):
        original = text[index]
        if character == " ":
            assert original.isspace()
        else:
            assert character == original.lower().replace("`", "'")


@given(TRICKY)
def test_the_mapped_answer_form_is_the_answer_form(text: str) -> None:
    mapped = answer_form_mapped(text)
    assert mapped.text == normalise_answer(text)
    assert len(mapped.starts) == len(mapped.text)
    assert list(mapped.starts) == sorted(mapped.starts)
    assert all(0 <= start < len(text) for start in mapped.starts)


@given(
    st.text(
        alphabet=st.one_of(
            st.characters(max_codepoint=0x7F), st.sampled_from(list("‘’‚‛′`´“”„‟″«»‐‑‒–—―−﹘﹣－"))
        ),
        max_size=60,
    )
)
def test_ascii_text_with_typographic_marks_folds_as_each_character_alone(text: str) -> None:
    # Such text takes a short cut (lower() and one table): it must fold as chunk by chunk.
    chunked = "".join(folded for _, _, folded, _ in _folded_pieces(text))
    assert _fold_text(text) == chunked
    assert _fold(text)[0] == chunked


@st.composite
def quotes(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A slice of an article paragraph at word boundaries: (source id, its words)."""
    source_id, words = draw(st.sampled_from(PARAGRAPHS))
    start = draw(st.integers(0, len(words) - 3))
    end = draw(st.integers(start + 3, min(len(words), start + 40)))
    return source_id, words[start:end]


def retyped(words: list[str], rng: random.Random) -> str:
    """The words as a person might type them: straight quotes, any case, any spacing."""
    typed = []
    for word in words:
        word = word.translate(STRAIGHT)
        word = rng.choice([word, word.lower(), word.upper(), word.title()])
        if word[0] in ",.;:!?%)" and rng.random() < 0.5:
            word = " " + word  # "Chicago ," is typed both ways
        typed.append(word)
    gaps = [rng.choice([" ", "  ", "\n", "\t", " \n  "]) for _ in typed]
    return rng.choice(["", " ", "\n"]) + "".join(w + g for w, g in zip(typed, gaps, strict=True))


@given(quotes(), st.randoms(use_true_random=False))
def test_a_retyped_slice_of_any_article_is_found(quote: tuple[str, list[str]], rng) -> None:
    source_id, words = quote
    assert ARTICLES[source_id].find(retyped(words, rng)) is not None


@given(quotes(), st.randoms(use_true_random=False), st.data())
def test_a_slice_with_one_word_changed_is_never_found(
    quote: tuple[str, list[str]], rng, data: st.DataObject
) -> None:
    source_id, words = quote
    alphanumeric = [i for i, w in enumerate(words) if any(map(str.isalnum, w))]
    assume(alphanumeric)
    index = data.draw(st.sampled_from(alphanumeric))
    word = words[index]
    position = data.draw(st.sampled_from([i for i, c in enumerate(word) if c.isalnum()]))
    old = word[position]
    pool = "0123456789" if old.isdigit() else "abcdefghijklmnopqrstuvwxyz"
    new = data.draw(st.sampled_from([c for c in pool if c != old.lower()]))
    changed = word[:position] + new + word[position + 1 :]
    article_words = {normalise(w) for w in ARTICLES[source_id].source.text.split()}
    # A change that makes another word of the article could, rarely, make another real passage.
    assume(normalise(changed) not in article_words)
    edited = [*words[:index], changed, *words[index + 1 :]]
    assert ARTICLES[source_id].find(retyped(edited, rng)) is None


@given(quotes(), st.data())
def test_a_slice_with_a_gap_is_found_with_an_ellipsis(
    quote: tuple[str, list[str]], data: st.DataObject
) -> None:
    source_id, words = quote
    assume(len(words) >= 5)
    cut = data.draw(st.integers(1, len(words) - 3))
    skip = data.draw(st.integers(1, len(words) - cut - 1))
    marker = data.draw(st.sampled_from([" ... ", "...", " … ", "…"]))
    typed = " ".join(words[:cut]) + marker + " ".join(words[cut + skip :])
    assert ARTICLES[source_id].find(typed) is not None
