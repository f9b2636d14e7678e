"""Question templates (`each:`): one question per row, with ids that never depend on the others.

The rows' questions must be ordinary questions to every stage after load, located at their
rows, and a row's id must stay the same when rows are added, moved or removed, because it
keys the students' Anki notes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from anki_helpers import (
    card_state,
    checked,
    collection,
    import_package,
    notes_by_question,
    write_package,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import api
from generator.bank.load import load_bank
from generator.bank.model import Question
from generator.outputs.anki.notes import note_guid

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
EXAMPLE = REPO / "tests" / "examples" / "valid" / "templates-and-pools" / "questions"

FACTS = """\
facts:
  court_california:
    source: epstein
    quote: >-
      A federal court in California put the executive order's provision on
      hold.
    value: California
  court_chicago:
    source: epstein
    quote: >-
      In September, a federal court in Chicago , ruling that the Justice
      Department had no authority to impose new requirements on the grant
      money
    value: Chicago
"""
CITIES = {"california": "court_california", "chicago": "court_chicago"}


def bank_file(rows: list[tuple[str, str]], extra: str = "") -> str:
    """A file with one template whose rows are (key, city), each a court question."""
    lines = [
        FACTS,
        "questions:",
        "  - id: court",
        "    type: short",
        "    ask: In which {{ place }} was the court?",
        '    answer: "{{ court }}"',
        "    each:",
    ]
    # Quoted: YAML would read a key such as 0 or 1e3 as a number.
    lines += [
        f"      '{key}': {{court: {CITIES[city]}, place: {city}-ish place}}" for key, city in rows
    ]
    return "\n".join(lines) + "\n" + extra


def load(text: str) -> tuple[list[Question], list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "q.yaml"
        path.write_text(text, encoding="utf-8")
        bank, _, problems = load_bank([path], SEEDS)
    return list(bank.questions), [str(p) for p in problems]


def content(question: Question) -> tuple[object, ...]:
    """Everything a question is, except where it was written."""
    return (question.id, question.type, question.ask, question.answer, question.template)


ROW_KEYS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True)
ROWS = st.lists(
    st.tuples(ROW_KEYS, st.sampled_from(sorted(CITIES))),
    min_size=1,
    max_size=6,
    unique_by=lambda row: row[0],
)


@settings(deadline=None)
@given(ROWS, st.randoms(use_true_random=False))
def test_any_rows_give_unique_ids_that_only_their_key_decides(rows, random) -> None:
    questions, problems = load(bank_file(rows))
    assert problems == []
    ids = [question.id for question in questions]
    assert ids == [f"court-{key}" for key, _ in rows]
    assert len(set(ids)) == len(ids)
    # Reorder the rows and drop some: every remaining row gives the very same question.
    shuffled = random.sample(rows, k=random.randint(1, len(rows)))
    again, problems = load(bank_file(shuffled))
    assert problems == []
    before = {question.id: content(question) for question in questions}
    assert all(before[question.id] == content(question) for question in again)
    assert [q.id for q in again] == [f"court-{key}" for key, _ in shuffled]


@settings(deadline=None)
@given(ROWS)
def test_a_generated_id_is_refused_when_a_hand_written_question_has_it(rows) -> None:
    key, city = rows[0]
    hand_written = (
        f"  - id: court-{key}\n    type: short\n    ask: Which city?\n"
        f'    answer: "{{{{ {CITIES[city]} }}}}"\n'
    )
    # The hand-written question comes after the template in the file, and is still first:
    # ids written out are claimed before any template's rows.
    questions, problems = load(bank_file(rows, hand_written))
    assert [q.id for q in questions].count(f"court-{key}") == 1
    assert len(problems) == 1
    assert f"question 'court-{key}': this id is already used at" in problems[0]


def test_each_row_is_located_at_its_row_and_names_the_facts_it_gives() -> None:
    questions, problems = load(bank_file([("a", "chicago"), ("b", "california")]))
    assert problems == []
    first, second = questions
    row_line = (
        bank_file([("a", "chicago")])
        .splitlines()
        .index("      'a': {court: court_chicago, place: chicago-ish place}")
    )
    assert first.location.line == row_line + 1
    assert second.location.line == row_line + 2
    assert first.answer == "{{ court_chicago }}"
    assert first.ask == "In which chicago-ish place was the court?"
    # The answer points at the row's value that gives it.
    assert first.where("answer").line == row_line + 1
    assert first.where("answer").column > first.location.column


def test_rows_are_checked_on_their_own_and_reach_every_stage() -> None:
    result = api.check_bank([EXAMPLE], SEEDS)
    assert result.success, [str(p) for p in result.problems]
    by_id = {question.id: question for question in result.questions}
    court = by_id["court-chicago"]
    assert court.answer == "Chicago"
    assert court.wrong == ("New York", "Baltimore", "Boston")
    assert court.evidence[0].fact.id == "court_chicago"
    assert by_id["court-short-chicago"].answer == "CHICAGO"
    assert by_id["court-short-chicago"].ask.startswith("In september, a court ruled")
    assert by_id["court-cloze-california"].evidence[0].fact.id == "court_california"
    assert result.bank.templates[0].question_ids == (
        "court-california",
        "court-chicago",
    )


def test_stats_shows_templates_rows_and_pools() -> None:
    result = api.check_bank([EXAMPLE], SEEDS)
    stats = api.bank_stats(result)
    data = stats.as_json()
    assert [(t["id"], t["rows"]) for t in data["templates"]] == [
        ("court", 2),
        ("court-cloze", 2),
        ("court-short", 1),
    ]
    assert [(p["id"], p["pick"], len(p["questions"])) for p in data["pools"]] == [
        ("amounts", 1, 2),
        ("courts", 1, 2),
    ]
    from generator.authoring.stats import format_text

    text = format_text(stats)
    assert "Templates: 3" in text
    assert "  court  2 rows (" in text
    assert "  courts  each version asks 1 of 2 (" in text


# The student's history ---------------------------------------------------------------------

T1 = 1_700_000_000.0


def test_adding_a_row_keeps_every_other_rows_review_history(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "q.yaml").write_text(bank_file([("chicago", "chicago"), ("cal", "california")]))
    first, first_lock = write_package(tmp_path / "v1", checked(bank), now=T1)
    col_path = tmp_path / "student.anki2"
    with collection(col_path) as col:
        import_package(col, first)
        notes = notes_by_question(col)
        assert set(notes) == {"court-chicago", "court-cal"}
        assert notes["court-chicago"].guid == note_guid("court-chicago")
        reviewed = {}
        for question_id in ("court-chicago", "court-cal"):
            card = notes[question_id].cards()[0]
            card.start_timer()
            col.sched.answerCard(card, 3)
            reviewed[question_id] = (card.id, card_state(col, card.id))
        revlog = col.db.all("select * from revlog order by id")
        note_ids = {key: note.id for key, note in notes.items()}
    # A teacher adds a row at the top and moves the others around.
    rows = [("cal-again", "california"), ("cal", "california"), ("chicago", "chicago")]
    (bank / "q.yaml").write_text(bank_file(rows))
    second, second_lock = write_package(tmp_path / "v2", checked(bank), first_lock, now=T1 + 60)
    # The rows that were there before are, to Anki, the notes they were.
    assert {k: second_lock.notes[k] for k in first_lock.notes} == first_lock.notes
    with collection(col_path) as col:
        log = import_package(col, second)
        assert [entry.fields[0] for entry in log.new] == ["court-cal-again"]
        assert not log.updated
        notes = notes_by_question(col)
        assert set(notes) == {"court-chicago", "court-cal", "court-cal-again"}
        for question_id, (card_id, state) in reviewed.items():
            assert notes[question_id].id == note_ids[question_id]
            assert card_state(col, card_id) == state
            assert state.reps == 1
        assert col.db.all("select * from revlog order by id") == revlog
