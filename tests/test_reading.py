"""The rules that read around a quote: lost text, borrowed voice, a false value's kind.

The example folders (tests/examples/valid/warning-*) show the messages; these
tests pin the heuristics themselves on the real articles and on small texts.
"""

from __future__ import annotations

from bisect import bisect_left
from pathlib import Path

import pytest

from generator.bank.sources import load_sources
from generator.bank.text import normal_offsets, normalise_mapped
from generator.rules.attribution import voices
from generator.rules.damage import damaged_spots, damaged_stretches
from generator.rules.giveaways import _prints
from generator.rules.kinds import kind_of, mismatch
from generator.rules.spots import touches

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = load_sources(ROOT / "seeds").articles


def test_the_damage_in_the_real_articles_is_found_and_nothing_else() -> None:
    found = {
        (article_id, spot.shown)
        for article_id, article in ARTICLES.items()
        for spot in damaged_spots(article)
    }
    assert found == {
        ("epstein", "in threatened"),  # buried in [an executive order that] threatened
        ("epstein", "he that"),  # he [announced] that recipients
        ("epstein", "Chicago , ruling"),  # in Chicago [blocked …], ruling
        ("epstein", "Philadelphia ."),  # in Philadelphia [did the same].
        ("epstein", "claimed that had"),  # claimed that [most grantees] had agreed
        ("epstein", "at least of to"),  # at least [29 letters] of [warning] to
        ("empty-threat", "tags: , , , Blog"),  # the tags were links
    }


@pytest.mark.parametrize(
    "text",
    [
        "He went on to say it was out of reach, because of the law.",  # on to, out of
        "It was interfered with by the federal government.",  # with by
        "In the thereof clause, a proof of the point.",  # 'of' inside a word
        "He said that had been a mistake ... and so it was.",  # said that had; an ellipsis
        "Prices rose 4.5 percent.",
    ],
)
def test_prose_is_not_damage(text: str) -> None:
    assert damaged_stretches(text) == []


@pytest.mark.parametrize(
    ("text", "spot"),
    [
        ("A court in Boston , ruling that", "Boston ,"),
        ("the agency sent at least of to states", "at least of"),
        ("In May, she the funds were gone", "she"),
        ("A rule hidden in required to report", "in"),
        ("and reported that had agreed to it", "reported that"),
    ],
)
def test_each_mark_of_lost_text_is_found(text: str, spot: str) -> None:
    ((start, end),) = damaged_stretches(text)
    assert text[start:end] == spot


def test_normal_offsets_agree_with_mapping_every_character() -> None:
    texts = [p for article in ARTICLES.values() for p in article.paragraphs]
    texts += ["  Chicago ,  ruling\u00a0that “it” — ﬁne .", "tags: , , , Blog"]
    for text in texts:
        origin = normalise_mapped(text).origin
        offsets = range(len(text) + 1)
        assert normal_offsets(text, offsets) == [bisect_left(origin, o) for o in offsets]


def speakers_of(article_id: str, words: str) -> tuple[str, ...]:
    for voice in voices(ARTICLES[article_id]):
        if words in voice.stretch.text:
            return voice.speakers
    raise AssertionError(f"no voice holds {words!r}")


@pytest.mark.parametrize(
    ("article_id", "words", "speaker"),
    [
        ("empty-threat", "Penalizing communities", "International Association of Chiefs of Police"),
        ("empty-threat", "We’re going to chalk", "Michael Hernandez"),  # after "… said."
        ("empty-threat", "endanger public safety", "Jim Pasco"),  # before the appositive
        ("quandary", "It’s like don’t ask", "Stodder"),  # "he explained": the last speaker
        ("quandary", "bully pulpit", "Stein"),
        ("quandary", "state of denial", "Jessica Vaughan"),
        ("quandary", "So then why doesn’t Sessions", "Stodder"),  # "…?” Stodder asked."
        ("epstein", "no meaningful relationship", "judge"),  # a common noun
        ("gun-violence", "not immediately clear", "AP"),  # "From the AP:"
    ],
)
def test_the_speaker_is_the_one_the_attribution_names(
    article_id: str, words: str, speaker: str
) -> None:
    assert speakers_of(article_id, words)[0] == speaker


def test_a_scare_quote_and_the_authors_own_words_are_no_voice() -> None:
    texts = [voice.stretch.text for voice in voices(ARTICLES["empty-threat"])]
    assert not any(text == "“sanctuary city”" for text in texts)
    assert not any("Sessions’ somewhat deranged obsession" in text for text in texts)
    assert not any(
        v.stretch.text.startswith("Jeff Sessions has been")
        for v in voices(ARTICLES["empty-threat"])
    )


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("$4 billion", "money"),
        ("$265 million", "money"),
        ("nine jurisdictions", "number"),
        ("48 hours", "number"),
        ("June 30", "date"),
        ("2016", "date"),
        ("Seventh Circuit", "name"),
        ("10th Amendment", "name"),
        ("the Justice Department", "name"),
        ("new and expansive", "words"),
    ],
)
def test_kinds(value: str, kind: str) -> None:
    assert kind_of(value) == kind


def test_a_value_of_the_same_kind_is_no_mismatch() -> None:
    assert mismatch("Ninth Circuit", "Fourth Circuit") is None
    assert mismatch("new and expansive", "narrow and long-standing") is None
    assert "is a number where the fact's value 'Congress' is a name" in (
        mismatch("Congress", "48") or ""
    )


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("four cities and $4 billion", False),
        ("4.5% of", False),
        ("all 4 cities", True),
        ("4", True),
    ],
)
def test_a_bare_number_is_given_away_only_by_itself(text: str, printed: bool) -> None:
    assert _prints(text, "4") is printed


@pytest.mark.parametrize(
    ("quote", "touched"),
    [
        ("In September, a federal court in Chicago ... ruling that the Justice", False),
        ("In September, a federal court in Chicago , ruling that the Justice", True),
        ("a federal court in Chicago", True),
        ("ruling that the Justice Department", False),
    ],
)
def test_a_quote_may_skip_the_damage_with_an_ellipsis(quote: str, touched: bool) -> None:
    article = ARTICLES["epstein"]
    (spot,) = [s for s in damaged_spots(article) if s.shown == "Chicago , ruling"]
    assert touches(article.find(quote), spot.stretch) is touched
