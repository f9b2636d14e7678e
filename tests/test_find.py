"""`quizgen find`: exact passages, near misses, and facts that check accepts unchanged."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from generator.authoring.formatting import fact_yaml
from generator.authoring.search import Hit, search
from generator.bank.load import load_bank
from generator.bank.model import Bank, Fact, Location
from generator.bank.passages import sentence_spans
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "authoring"
REAL_QUESTIONS = ROOT / "questions"
REAL_SEEDS = ROOT / "seeds"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def find_in_fixture(*args: str) -> Result:
    return run("find", *args, "--questions", FIXTURE / "questions", "--seeds", FIXTURE / "seeds")


def pasted_blocks(stdout: str) -> list[str]:
    """The YAML that find prints for pasting: from each '# paste' line to the blank line."""
    blocks: list[str] = []
    current: list[str] | None = None
    for line in stdout.splitlines():
        if line.startswith("  # paste under facts:"):
            current = [line]
            blocks.append("")
        elif current is not None and line.strip():
            current.append(line)
        elif current is not None:
            blocks[-1] = "\n".join(current)
            current = None
        if current is not None:
            blocks[-1] = "\n".join(current)
    return blocks


def question_file(blocks: list[str]) -> str:
    """A question file with the pasted facts, and a cloze question on each of them.

    The clozes stay off paper: hundreds of overlapping quotes from one article would
    print each other's blanks, which is what the giveaway warning is for, not this test.
    """
    ids = [next(iter(yaml.safe_load("facts:\n" + b)["facts"])) for b in blocks]
    questions = "".join(
        f"  - id: pasted-{i}\n    type: cloze\n    fact: {fact_id}\n    printed: false\n"
        for i, fact_id in enumerate(ids)
    )
    return "deck: Pasted\nfacts:\n" + "\n".join(blocks) + "\n\nquestions:\n" + questions


def check_pasted(tmp_path: Path, text: str, questions: Path, seeds: Path) -> Result:
    new_file = tmp_path / "pasted.yaml"
    new_file.write_text(text, encoding="utf-8")
    return run(
        "check", "--questions", questions, "--questions", new_file, "--seeds", seeds,
        "--decks", tmp_path / "no-decks",
    )  # fmt: skip


# Sentences ------------------------------------------------------------------------------


def test_sentences_are_exact_slices_and_abbreviations_do_not_end_them() -> None:
    paragraph = (
        'Mayor Ana Ruiz said: "This is a good day: the harbor will grow, and so will jobs #1 in '
        'the region." She added that the U.S. Army Corps of Engineers would review the plan by '
        "Jan. 15."
    )
    spans = sentence_spans(paragraph)
    texts = [paragraph[s.start : s.end] for s in spans]
    assert texts == [
        'Mayor Ana Ruiz said: "This is a good day: the harbor will grow, and so will jobs #1 in '
        'the region."',
        "She added that the U.S. Army Corps of Engineers would review the plan by Jan. 15.",
    ]


def test_a_sentence_may_end_after_a_closing_curly_quote() -> None:
    paragraph = "We were not ‘soft on crime.’ I’ve never met anyone who is."
    texts = [paragraph[s.start : s.end] for s in sentence_spans(paragraph)]
    assert texts == ["We were not ‘soft on crime.’", "I’ve never met anyone who is."]


# Exact matches --------------------------------------------------------------------------


def test_a_digit_finds_the_number_written_as_a_word() -> None:
    result = find_in_fixture("9")
    assert result.exit_code == 0, result.output
    assert "harbor ¶2 (tests/data/authoring/seeds/harbor.txt:4)" in result.stdout
    assert "The city council voted [[nine]] to two on Tuesday" in result.stdout
    # The bank's fact 'nine' quotes that sentence: reuse it rather than add a twin.
    assert "to expand the harbor.\n  already quoted by: nine\n" in result.stdout
    assert "river ¶2" in result.stdout
    assert "The river has [[nine]] bridges and one ferry." in result.stdout
    facts = [yaml.safe_load("facts:\n" + b)["facts"] for b in pasted_blocks(result.stdout)]
    assert [next(iter(f.values()))["value"] for f in facts] == ["nine", "nine"]
    assert "quizgen: 2 passages in 2 articles." in result.stderr


def test_suggested_ids_never_collide_with_the_bank_or_each_other() -> None:
    # The fixture bank already has a fact named 'nine'.
    result = find_in_fixture("nine")
    ids = [
        next(iter(yaml.safe_load("facts:\n" + b)["facts"])) for b in pasted_blocks(result.stdout)
    ]
    assert ids == ["nine_2", "nine_3"]


def test_a_number_value_gets_an_id_that_starts_with_a_letter() -> None:
    result = find_in_fixture("400")
    (block,) = pasted_blocks(result.stdout)
    assert "  river_400:\n" in block
    assert "value: '400'" in block  # quoted, so YAML keeps it text


def test_source_filter_searches_one_article() -> None:
    result = find_in_fixture("nine", "--source", "river")
    assert result.exit_code == 0
    assert "river ¶2" in result.stdout
    assert "harbor" not in result.stdout.replace("# paste under facts: in", "")


def test_unknown_source_is_a_usage_error_with_the_known_ids() -> None:
    result = find_in_fixture("nine", "--source", "rivr")
    assert result.exit_code == 2
    assert (
        "Error: unknown source 'rivr' (did you mean 'river'?); the sources are: harbor, river"
        in result.stderr
    )
    assert "Traceback" not in result.output


def test_empty_text_is_a_usage_error() -> None:
    result = find_in_fixture("  ")
    assert result.exit_code == 2
    assert "give the words to find" in result.stderr


def test_missing_seeds_are_reported_as_content_problems(tmp_path: Path) -> None:
    result = run("find", "nine", "--questions", FIXTURE / "questions", "--seeds", tmp_path)
    assert result.exit_code == 1
    assert f"{tmp_path}/sources.yaml" in result.stdout or "sources.yaml" in result.stdout
    assert "Traceback" not in result.output


def test_a_broken_question_file_does_not_stop_find(tmp_path: Path) -> None:
    questions = tmp_path / "questions"
    shutil.copytree(FIXTURE / "questions", questions)
    (questions / "broken.yaml").write_text("facts: [\n", encoding="utf-8")
    result = run("find", "nine", "--questions", questions, "--seeds", FIXTURE / "seeds")
    assert result.exit_code == 0
    assert "run quizgen check" in result.stderr
    assert "[[nine]]" in result.stdout


def test_a_long_sentence_is_cut_to_the_clauses_around_the_match() -> None:
    result = find_in_fixture("2019")
    (block,) = pasted_blocks(result.stdout)
    fact = next(iter(yaml.safe_load("facts:\n" + block)["facts"].values()))
    assert fact["value"] == "2019"
    assert "2019" in fact["quote"]
    assert fact["quote"].startswith("the benefits outweighed the costs")
    assert not fact["quote"].startswith("Critics")  # not the whole 300-character sentence


def test_many_matches_are_limited_and_counted() -> None:
    result = run(
        "find", "Sessions", "--limit", "3", "--questions", REAL_QUESTIONS, "--seeds", REAL_SEEDS
    )
    assert result.exit_code == 0
    assert len(pasted_blocks(result.stdout)) == 3
    total = int(re.search(r"quizgen: (\d+) passages", result.stderr).group(1))
    assert total > 3
    assert "showing the first 3 (narrow the phrase, or use --source)" in result.stderr


# Near misses ----------------------------------------------------------------------------


def test_a_half_remembered_phrase_finds_its_sentence() -> None:
    result = find_in_fixture("dreging would cost twelve milion")
    assert result.exit_code == 1  # no exact match: like grep, 1 says so
    assert result.stdout.startswith(
        "No passage contains 'dreging would cost twelve milion'. The closest ones:"
    )
    first = result.stdout.split("\n\n")[1]
    assert first.startswith("harbor ¶4, ")
    assert "% similar" in first
    assert "[[dredging would cost $12 million]]" in first
    fact = next(
        iter(yaml.safe_load("facts:\n" + pasted_blocks(result.stdout)[0])["facts"].values())
    )
    assert fact["value"] == "dredging would cost $12 million"


def test_nothing_close_says_so() -> None:
    result = find_in_fixture("zzzz qqqq xxxx")
    assert result.exit_code == 1
    assert "Nothing is close either; try fewer words." in result.stdout


def test_real_bank_near_miss() -> None:
    result = run(
        "find", "courts blocked every step", "--questions", REAL_QUESTIONS, "--seeds", REAL_SEEDS
    )
    assert result.exit_code == 1
    first = result.stdout.split("\n\n")[1]
    assert first.startswith("epstein ¶4, ")
    assert "But the [[courts have blocked them every step]] of the way." in first


# Round trips: what find prints, pasted unchanged, passes check ----------------------------


@pytest.mark.parametrize(
    "query",
    [
        "9",  # a number as a word
        "good day",  # a quote holding ': ', '"' and '#'
        "Yes",  # a sentence that starts with a quote mark, with '...' inside the article text
        "wait and see",  # curly quotes
        "<script>alert(1)</script>",  # markup is just text here
        "2019",  # a clause cut from a long sentence
        "U.S. Army",
        "dreging would cost twelve milion",  # a near miss
        "ferry carries students",  # a near miss in another article
    ],
)
def test_find_output_pasted_into_a_question_file_passes_check(tmp_path: Path, query: str) -> None:
    found = find_in_fixture(query)
    blocks = pasted_blocks(found.stdout)
    assert blocks, found.output
    checked = check_pasted(
        tmp_path, question_file(blocks), FIXTURE / "questions", FIXTURE / "seeds"
    )
    assert checked.exit_code == 0, checked.output
    assert "every answer is sourced" in checked.stderr


def test_every_sentence_of_the_real_articles_round_trips(tmp_path: Path) -> None:
    """For each sentence, search three of its words (and a misspelling), as a contributor
    adding facts one after another would: every fact printed passes check beside the bank."""
    bank, articles, problems = load_bank([REAL_QUESTIONS], REAL_SEEDS)
    assert not problems
    blocks: list[str] = []
    facts = dict(bank.facts)
    for article in articles.values():
        for paragraph in article.paragraphs:
            for sentence in sentence_spans(paragraph):
                words = re.findall(r"\w+", paragraph[sentence.start : sentence.end])
                middle = len(words) // 2
                phrase = " ".join(words[max(0, middle - 1) : middle + 2])
                misspelt = phrase[:-1] + "q" if len(phrase) > 6 else phrase
                for query in (phrase, misspelt):
                    current = dataclasses.replace(bank, facts=facts)
                    result = search(current, {article.source.id: article}, query, limit=2)
                    for hit in result.hits or result.close[:1]:
                        blocks.append(fact_yaml(hit))
                        facts[hit.fact_id] = Fact(
                            hit.fact_id, hit.source_id, hit.quote, hit.value, Location("x")
                        )
    assert len(blocks) > 250
    checked = check_pasted(tmp_path, question_file(blocks), REAL_QUESTIONS, REAL_SEEDS)
    assert checked.exit_code == 0, checked.output[:3000]
    # Not even a warning, but those about the article itself: words it lost, or
    # words it quotes from someone (the pasted facts come with no questions that name them).
    reading = ("where the article lost words", "that the article attributes to")
    assert [
        line for line in checked.stdout.splitlines() if not any(r in line for r in reading)
    ] == []


# The YAML itself ------------------------------------------------------------------------

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200).map(
    lambda s: " ".join(s.split())
)


@given(quote=_TEXT, value=_TEXT)
def test_fact_yaml_reads_back_as_the_same_strings(quote: str, value: str) -> None:
    hit = Hit("src", 1, 1, quote, (), "some_fact", quote, value)
    loaded = yaml.safe_load("facts:\n" + fact_yaml(hit))
    assert loaded == {"facts": {"some_fact": {"source": "src", "quote": quote, "value": value}}}


def test_long_quotes_are_folded_like_the_bank() -> None:
    quote = "a " * 50 + "end"
    hit = Hit("src", 1, 1, quote, (), "long", quote.strip(), "end")
    text = fact_yaml(hit)
    assert text.startswith("  long:\n    source: src\n    quote: >-\n      a a a")
    assert text.endswith("    value: end\n")


def test_empty_bank_suggests_plain_ids() -> None:
    empty = Bank(sources={}, facts={}, questions=())
    _, articles, _ = load_bank([FIXTURE / "questions"], FIXTURE / "seeds")
    result = search(empty, articles, "nine")
    assert [hit.fact_id for hit in result.hits] == ["nine", "nine_2"]


def test_a_passage_with_more_of_the_words_ranks_first() -> None:
    # Five sentences have "officers"; only one also has "802".
    result = run("find", "802 officers", "--questions", REAL_QUESTIONS, "--seeds", REAL_SEEDS)
    first = result.stdout.split("\n\n")[1]
    assert first.startswith("epstein ¶9, ")
    assert "[[802 new full-time law enforcement officers]]" in first
