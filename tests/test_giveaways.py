"""A printed quiz must not print one question's answer in another question."""

from __future__ import annotations

from pathlib import Path

from generator import api
from generator.bank.model import Severity
from generator.outputs.base import BuildOptions

ROOT = Path(__file__).resolve().parent.parent

FACTS = """\
facts:
  clawback:
    source: leopold
    quote: >-
      threaten state and local governments with the withholding and clawback
      of $4 billion in critical law enforcement and community-safety funding
    value: $4 billion
  tenth:
    source: leopold
    quote: the 10th Amendment of the Constitution prohibits the federal government
    value: 10th Amendment
"""

AMOUNT = """\
  - id: amount
    type: short
    ask: How much funding did Sessions threaten to claw back?
    answer: "{{ clawback }}"
"""

TRUE_STATEMENT = """\
  - id: amount-true
    type: truefalse
    fact: clawback
    statement: Sessions threatened to withhold {{ clawback }} in funding.
    answer: true
"""

FALSE_STATEMENT = """\
  - id: amount-false
    type: truefalse
    fact: clawback
    statement: Sessions threatened to withhold {{ clawback }} in funding.
    answer: false
    instead: $40 billion
"""

CHOICE_WITH_DISTRACTOR = """\
  - id: amendment
    type: choice
    ask: Which amendment does Leopold say bars coercing states?
    answer: "{{ tenth }}"
    wrong: ["$4 billion", "1st Amendment"]
"""


def check(tmp_path: Path, *questions: str, printed: bool = True):
    folder = tmp_path / "questions"
    folder.mkdir(exist_ok=True)
    body = "".join(questions)
    if not printed:
        body = body.replace("    type: truefalse\n", "    type: truefalse\n    printed: false\n")
    (folder / "deck.yaml").write_text(FACTS + "questions:\n" + body, encoding="utf-8")
    return api.check_bank([folder], ROOT / "seeds", tmp_path / "no-decks")


def warnings(result) -> list[str]:
    return [str(p) for p in result.problems if p.severity is Severity.WARNING]


def test_a_true_statement_that_prints_the_answer_is_a_warning(tmp_path: Path) -> None:
    result = check(tmp_path, AMOUNT, TRUE_STATEMENT)
    assert result.success
    (warning,) = warnings(result)
    assert "deck.yaml:" in warning
    assert "question 'amount': its answer '$4 billion' is printed by question 'amount-true'" in (
        warning
    )
    assert "printed: false" in warning


def test_two_statements_about_one_fact_give_each_other_away(tmp_path: Path) -> None:
    result = check(tmp_path, TRUE_STATEMENT, FALSE_STATEMENT)
    assert any(
        "question 'amount-false': question 'amount-true' also makes a statement" in w
        for w in warnings(result)
    )


def test_a_distractor_gives_an_answer_away_too(tmp_path: Path) -> None:
    (warning,) = warnings(check(tmp_path, AMOUNT, CHOICE_WITH_DISTRACTOR))
    assert (
        "question 'amount': its answer '$4 billion' is printed by question 'amendment' "
        "(wrong option 1) of the same deck" in warning
    )


def test_a_distractor_that_is_no_answer_gives_nothing_away(tmp_path: Path) -> None:
    assert warnings(check(tmp_path, CHOICE_WITH_DISTRACTOR)) == []


def test_the_all_decks_quiz_is_one_sheet(tmp_path: Path) -> None:
    """An answer printed by a question of another deck is given away on quiz-all."""
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "a.yaml").write_text("deck: A\n" + FACTS + "questions:\n" + AMOUNT, encoding="utf-8")
    (folder / "b.yaml").write_text(
        "deck: B\nquestions:\n" + CHOICE_WITH_DISTRACTOR, encoding="utf-8"
    )
    result = api.check_bank([folder], ROOT / "seeds", tmp_path / "no-decks")
    (warning,) = warnings(result)
    assert "of deck 'B', so the all-decks quiz gives it away" in warning


def test_a_false_statements_true_value_printed_elsewhere_gives_it_away(tmp_path: Path) -> None:
    shown = AMOUNT.replace("How much funding", "Was it $4 billion of funding")
    warning = next(
        w for w in warnings(check(tmp_path, FALSE_STATEMENT, shown)) if "amount-false" in w
    )
    assert "the value that makes it false '$4 billion' is printed by question 'amount'" in warning


def test_printed_false_silences_the_warning_and_keeps_the_question_off_paper(
    tmp_path: Path,
) -> None:
    result = check(tmp_path, AMOUNT, TRUE_STATEMENT, printed=False)
    assert warnings(result) == []
    out = tmp_path / "decks"
    built = api.build_outputs(result, BuildOptions(out_dir=out))
    assert built.success, built.problems
    (quiz,) = out.glob("quiz-*.html")
    html = quiz.read_text(encoding="utf-8")
    assert "How much funding did Sessions threaten to claw back?" in html
    assert "Sessions threatened to withhold" not in html
    # Anki still gets both questions.
    lock = (out / "quizgen.lock.json").read_text(encoding="utf-8")
    assert '"amount-true"' in lock


def test_the_real_bank_prints_no_answer_twice() -> None:
    result = api.check_bank([ROOT / "questions"], ROOT / "seeds", ROOT / "decks")
    assert warnings(result) == []
