"""`quizgen stats`: counts per type, deck and article, coverage, unused facts, --json."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from generator import api
from generator.authoring.stats import facts_used
from generator.bank.model import QuestionType
from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "authoring"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def fixture_stats(*args: str) -> Result:
    return run("stats", *args, "--questions", FIXTURE / "questions", "--seeds", FIXTURE / "seeds")


def test_json_gives_every_number_for_the_fixture_bank() -> None:
    result = fixture_stats("--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == {
        "version": 1,
        "questions": 3,
        "facts": 4,
        "questions_per_type": {"short": 1, "choice": 1, "cloze": 1, "match": 0, "truefalse": 0},
        "questions_per_deck": {"Harbor": 3},
        "questions_per_article": {"harbor": 3, "river": 0},
        "articles": [
            {
                "id": "harbor",
                "title": "The harbor vote",
                # The header lines, the vote, the mayor, the critics, the fisherman, the website.
                "paragraphs": 6,
                "paragraphs_quoted": 2,
                "paragraph_share": 0.3333,
                # 1 + 2 + 2 + 1 + 1 + 1: "U.S." and "Jan." do not end a sentence.
                "sentences": 8,
                # 'nine' and 'debate_years' quote both sentences of ¶2; 'dredging_cost' ¶4.
                "sentences_quoted": 3,
                "sentence_share": 0.375,
                "facts": 3,
                "questions": 3,
                "damaged_spots": [],  # the fixture articles lost no words
            },
            {
                "id": "river",
                "title": "River notes",
                "paragraphs": 3,
                "paragraphs_quoted": 1,
                "paragraph_share": 0.3333,
                "sentences": 3,
                "sentences_quoted": 1,
                "sentence_share": 0.3333,
                "facts": 1,
                "questions": 0,
                "damaged_spots": [],  # the fixture articles lost no words
            },
        ],
        "unused_facts": [
            {
                "id": "debate_years",
                "source": "harbor",
                "location": "tests/data/authoring/questions/harbor.yaml:12:5",
            },
            {
                "id": "ferry_riders",
                "source": "river",
                "location": "tests/data/authoring/questions/river.yaml:4:5",
            },
        ],
        "articles_without_questions": ["river"],
        # The fixture has no template (each:) and no pool; tests/test_templates.py has both.
        "templates": [],
        "pools": [],
    }


def test_text_report_shows_the_same_numbers() -> None:
    result = fixture_stats()
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("3 questions and 4 facts over 2 articles\n")
    assert "Questions per type\n  short         1\n  choice        1\n  cloze         1\n" in text
    assert "Questions per deck\n  Harbor     3\n" in text
    assert "  harbor          2/6  33%          3/8  38%      3\n" in text
    assert "Facts no question uses: 2\n" in text
    assert "harbor.yaml:12:5: debate_years (harbor)" in text
    assert text.rstrip().endswith("Articles with no questions: river")


def test_a_bank_with_errors_reports_them_instead(tmp_path: Path) -> None:
    questions = tmp_path / "questions"
    shutil.copytree(FIXTURE / "questions", questions)
    path = questions / "harbor.yaml"
    path.write_text(path.read_text().replace("value: $12 million", "value: $13 million"))
    result = run("stats", "--questions", questions, "--seeds", FIXTURE / "seeds")
    assert result.exit_code == 1
    assert "value '$13 million' does not occur in its quote" in result.stdout
    assert "Questions per type" not in result.stdout


def test_a_fact_used_only_by_a_distractor_is_used() -> None:
    result = api.check_bank([FIXTURE / "questions"], FIXTURE / "seeds", FIXTURE / "no-decks")
    question = next(q for q in result.questions if q.id == "harbor-cost").question
    with_distractor = dataclasses.replace(question, wrong=("{{ debate_years }}", "$20 million"))
    assert facts_used(with_distractor) == {"dredging_cost", "debate_years"}


def test_real_bank_numbers_add_up() -> None:
    result = run("stats", "--json", "--questions", ROOT / "questions", "--seeds", ROOT / "seeds")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    checked = api.check_bank([ROOT / "questions"], ROOT / "seeds", ROOT / "decks")
    assert data["questions"] == len(checked.questions) == 102
    assert data["facts"] == len(checked.bank.facts)
    assert sum(data["questions_per_type"].values()) == 102
    assert set(data["questions_per_type"]) == {kind.value for kind in QuestionType}
    assert sum(data["questions_per_deck"].values()) == 102
    assert set(data["questions_per_article"]) == set(checked.bank.sources)
    # A question counts once for each article whose facts it uses.
    assert sum(data["questions_per_article"].values()) >= 102
    for article in data["articles"]:
        assert 0 < article["paragraphs_quoted"] <= article["paragraphs"]
        assert 0 < article["sentences_quoted"] <= article["sentences"]
        assert article["sentence_share"] == round(
            article["sentences_quoted"] / article["sentences"], 4
        )
    used = set().union(*(facts_used(q.question) for q in checked.questions))
    assert {f["id"] for f in data["unused_facts"]} == set(checked.bank.facts) - used
    assert data["articles_without_questions"] == []


def test_stats_lists_each_articles_damaged_spots() -> None:
    result = run("stats", "--json", "--questions", ROOT / "questions", "--seeds", ROOT / "seeds")
    assert result.exit_code == 0, result.output
    articles = {a["id"]: a for a in json.loads(result.stdout)["articles"]}
    assert articles["leopold"]["damaged_spots"] == []
    philadelphia = next(
        s for s in articles["epstein"]["damaged_spots"] if s["text"] == "Philadelphia ."
    )
    assert philadelphia["location"].endswith("001_573b5ad164594c6a.txt:18:280")
    assert philadelphia["reason"] == "a space before '.': the words before it were lost"
    text = run("stats", "--questions", ROOT / "questions", "--seeds", ROOT / "seeds").stdout
    assert "Places where an article lost words: 7" in text
    assert "epstein: 'at least of to': two prepositions in a row" in text
