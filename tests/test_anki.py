"""The Anki package, proven with the real Anki backend: import, review, update, re-import."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from anki_helpers import (
    REPO,
    SEEDS,
    CardState,
    card_state,
    checked,
    collection,
    copy_fixture_bank,
    import_package,
    notes_by_question,
    quizgen_note_types,
    write_package,
)
from click.testing import CliRunner

from generator.bank.model import QuestionType
from generator.cli import main
from generator.outputs.anki import package as apkg
from generator.outputs.anki.notes import (
    choice_options,
    highlighted,
    note_for,
    note_guid,
    option_order,
)
from generator.outputs.anki.notetypes import MAX_PAIRS, NOTE_TYPES
from generator.outputs.base import BuildContext, BuildOptions

T1 = 1_700_000_000  # the first build's clock
CORE = "Fixture::Core"


# Identity and text ------------------------------------------------------------------------


def test_guid_depends_on_the_question_id_alone(tmp_path: Path) -> None:
    question = next(q for q in checked(copy_fixture_bank(tmp_path / "bank")) if q.id == "fx-short")
    reworded = dataclasses.replace(question, ask="Something else entirely?", answer="$4 billion")
    assert note_for(reworded).guid == note_for(question).guid == note_guid("fx-short")
    assert note_guid("fx-short") != note_guid("fx-choice")
    # A changed namespace would turn every student's note into a new one: pin one value.
    assert note_guid("leopold-clawback-amount") == "OKVNnLIRQr"


def test_text_is_escaped_before_it_is_highlighted() -> None:
    quote = 'a <b>bold</b> & [sound:x.mp3] "{{c2::y}}" value'
    start = quote.index("value")
    marked = highlighted(quote, [(start, start + 5)])
    assert marked == (
        'a &lt;b&gt;bold&lt;/b&gt; &amp; &#91;sound:x.mp3] "&#123;&#123;c2::y&#125;&#125;" '
        "<mark>value</mark>"
    )
    # In a cloze deletion, '::' would start a hint and '}}' would end it early.
    assert highlighted("x a::b}} y", [(2, 8)], cloze=True) == "x {{c1::a&#58;&#58;b&#125;&#125;}} y"
    # Overlapping spans are one mark.
    assert highlighted("abcdef", [(1, 3), (2, 5)]) == "a<mark>bcde</mark>f"


def test_options_keep_their_letters_when_reworded(tmp_path: Path) -> None:
    question = next(q for q in checked(copy_fixture_bank(tmp_path / "bank")) if q.id == "fx-choice")
    options, answer = choice_options(question)
    assert options[answer] == question.answer
    assert options[-1] == "None of the above"  # last_option stays last
    reworded = dataclasses.replace(question, wrong=("Office A", "Office B"), answer="Office C")
    _, moved_answer = choice_options(reworded)
    assert moved_answer == answer
    assert option_order("fx-choice", 3) == option_order("fx-choice", 3)
    assert sorted(option_order("fx-choice", 7)) == list(range(7))


def test_stamp_keeps_the_mod_until_the_content_changes() -> None:
    assert apkg.stamp(None, "h1", 100) == apkg.Stamp("h1", 100)
    kept = apkg.Stamp("h1", 100)
    assert apkg.stamp(kept, "h1", 500) is kept
    assert apkg.stamp(kept, "h2", 500) == apkg.Stamp("h2", 500)
    # Even with a clock behind the old mod, a change must be newer for Anki to apply it.
    assert apkg.stamp(kept, "h2", 50) == apkg.Stamp("h2", 101)


def test_an_unreadable_lock_counts_as_empty() -> None:
    for data in (None, b"", b"not json", b"[]", b'{"notes": {"x": {"hash": "h"}}}'):
        assert apkg.Lock.parse(data) == apkg.Lock()


def test_lock_is_indented_json_with_sorted_keys() -> None:
    def as_json(stamps: dict[str, apkg.Stamp]) -> dict[str, Any]:
        return {
            key: {name: value for name, value in vars(stamp).items() if value is not None}
            for key, stamp in stamps.items()
        }

    awkward = {
        "fx-z": apkg.Stamp("h2", 2),
        'fx-"quoted"\\': apkg.Stamp("h1", 1, "Deck::“Sub”\twith\nbreaks"),
    }
    removed = {"fx-gone": apkg.Stamp("h3", 3, "Old")}
    for lock in (
        apkg.Lock(),
        apkg.Lock(awkward, {"short": apkg.Stamp("h4", 4)}),
        apkg.Lock({}, {}, removed),
    ):
        data: dict[str, Any] = {
            "version": apkg.LOCK_VERSION,
            "notes": as_json(lock.notes),
            "notetypes": as_json(lock.notetypes),
        }
        if lock.removed:
            data["removed"] = as_json(lock.removed)
        expected = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        assert lock.to_bytes() == expected.encode()
        assert apkg.Lock.parse(lock.to_bytes()) == lock


def test_note_type_ids_and_names_are_frozen() -> None:
    """Anki compares field and template names: changing one forks every student's note type."""
    tail = ["Quote", "Citation", "SourceId", "Extra"]
    pairs = [f"{side}{n}" for n in range(1, 13) for side in ("Left", "Right", "Quote")]
    expected = {
        QuestionType.SHORT: (
            1698201101,
            "quizgen Short answer",
            ["QuestionId", "Question", "Answer", *tail],
            ["Card"],
        ),
        QuestionType.CHOICE: (
            1698201102,
            "quizgen Multiple choice",
            ["QuestionId", "Question", "Options", "Answer", *tail],
            ["Card"],
        ),
        QuestionType.TRUEFALSE: (
            1698201103,
            "quizgen True or false",
            ["QuestionId", "Statement", "Answer", *tail],
            ["Card"],
        ),
        QuestionType.CLOZE: (1698201104, "quizgen Cloze", ["QuestionId", "Text", *tail], ["Cloze"]),
        QuestionType.MATCH: (
            1698201105,
            "quizgen Match",
            ["QuestionId", "Question", *pairs, *tail],
            [f"Pair {n}" for n in range(1, 13)],
        ),
    }
    actual = {
        kind: (t.id, t.name, list(t.fields), [template.name for template in t.templates])
        for kind, t in NOTE_TYPES.items()
    }
    assert actual == expected
    assert MAX_PAIRS == 12


# The student's round trip ----------------------------------------------------------------


@dataclass(frozen=True)
class RoundTrip:
    collection: Path
    first_log: Any
    second_log: Any
    reviewed_card: int
    state_before: CardState
    revlog_before: list[Any]
    note_ids_before: dict[str, int]
    first_lock: apkg.Lock
    second_lock: apkg.Lock
    first_package: Path


def _edit_bank(bank: Path) -> None:
    """Reword a question, add a pair to the match, and add a new question."""
    core = bank / "core.yaml"
    text = core.read_text()
    text = text.replace("Which <city> did", "Which <city>, reworded, did")
    text = text.replace(
        '      - ["{{ tenth_amendment_leopold }}", "coercing states"]\n',
        '      - ["{{ tenth_amendment_leopold }}", "coercing states"]\n'
        '      - ["{{ fourth_amendment_leopold }}", "a warrant signed by a judge"]\n',
    )
    text += (
        "\n  - id: fx-new\n    type: short\n    ask: A new question?\n"
        '    answer: "{{ memo_office }}"\n'
    )
    core.write_text(text)


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    root = tmp_path_factory.mktemp("round-trip")
    bank = copy_fixture_bank(root / "bank")
    first_package, first_lock = write_package(root / "v1", checked(bank), now=T1)
    col_path = root / "student.anki2"
    with collection(col_path) as col:
        first_log = import_package(col, first_package)
        col.decks.select(col.decks.id_for_name(CORE))
        card = col.sched.getCard()
        assert card is not None
        col.sched.answerCard(card, 3)
        reviewed = card.id
        state_before = card_state(col, reviewed)
        revlog_before = col.db.all("select * from revlog order by id")
        note_ids = {key: note.id for key, note in notes_by_question(col).items()}
    _edit_bank(bank)
    # The same second as the first build: the lock alone must make the edits newer.
    second_package, second_lock = write_package(root / "v2", checked(bank), first_lock, now=T1)
    with collection(col_path) as col:
        second_log = import_package(col, second_package)
    return RoundTrip(
        col_path, first_log, second_log, reviewed, state_before, revlog_before, note_ids,
        first_lock, second_lock, first_package,
    )  # fmt: skip


def test_first_import_has_every_note_and_card(round_trip: RoundTrip) -> None:
    assert len(round_trip.first_log.new) == 7
    assert not round_trip.first_log.conflicting
    with collection(round_trip.collection) as col:
        names = {col.decks.name(col.get_card(cid).did) for cid in col.find_cards("")}
    assert names == {CORE, f"{CORE}::Sub"}


def test_reimport_updates_in_place_and_keeps_the_review(round_trip: RoundTrip) -> None:
    log = round_trip.second_log
    assert not log.conflicting
    assert [entry.fields[0] for entry in log.new] == ["fx-new"]
    assert sorted(entry.fields[0] for entry in log.updated) == ["fx-match", "fx-short"]
    # Anki logs a note it already has, unchanged, as a "duplicate" and skips it.
    unchanged = set(round_trip.note_ids_before) - {"fx-match", "fx-short"}
    assert {entry.fields[0] for entry in log.duplicate} == unchanged
    with collection(round_trip.collection) as col:
        notes = notes_by_question(col)  # also fails on a duplicate
        assert set(notes) == {*round_trip.note_ids_before, "fx-new"}
        for question_id, note_id in round_trip.note_ids_before.items():
            assert notes[question_id].id == note_id, f"{question_id} was not updated in place"
        assert "Which &lt;city&gt;, reworded, did" in notes["fx-short"]["Question"]
        assert notes["fx-short"].guid == note_guid("fx-short")
        # The pair added to the match arrives as a new card of the same note.
        assert len(notes["fx-match"].cards()) == 3
        assert card_state(col, round_trip.reviewed_card) == round_trip.state_before
        assert round_trip.state_before.reps == 1
        assert col.db.all("select * from revlog order by id") == round_trip.revlog_before
        assert len(round_trip.revlog_before) == 1
        assert col.card_count() == 10  # 6 single cards + 3 pairs + the new question
        assert len(quizgen_note_types(col)) == 5


def test_lock_mods_rise_only_for_changed_notes(round_trip: RoundTrip) -> None:
    before, after = round_trip.first_lock.notes, round_trip.second_lock.notes
    changed = {key for key in before if after[key] != before[key]}
    assert changed == {"fx-short", "fx-match"}
    assert after["fx-short"].mod == before["fx-short"].mod + 1
    assert after["fx-new"].mod == T1
    assert round_trip.second_lock.notetypes == round_trip.first_lock.notetypes


def test_every_card_shows_its_question_answer_and_citation(round_trip: RoundTrip) -> None:
    citation = "“Jeff Sessions is wrong on immigration law, and he knows it”, David Leopold"
    with collection(round_trip.collection) as col:
        notes = notes_by_question(col)
        for question_id, note in notes.items():
            for card in note.cards():
                answer = card.answer()
                assert f'<div class="qid">{question_id}</div>' in answer
                assert "Leopold" in answer or "Epstein" in answer
        short = notes["fx-short"].cards()[0]
        question = short.question()
        assert "Which &lt;city&gt;, reworded, did &lt;script&gt;" in question
        assert "<script" not in question and "<city>" not in question
        assert "&#91;sound:evil.mp3]" in question and not short.question_av_tags()
        assert "<mark>$4 billion</mark>" in short.answer() and citation in short.answer()

        choice = notes["fx-choice"].cards()[0]
        assert "&lt;b&gt;Civil Rights&lt;/b&gt; Division" in choice.question()
        letters = re.findall(r'<span class="letter">([A-D])\.</span> ([^<]+)<', choice.question())
        assert [text for _, text in letters][-1] == "None of the above"
        right = next(
            letter for letter, text in letters if text == "Office of the Inspector General"
        )
        assert (
            f'<span class="letter">{right}.</span> Office of the Inspector General'
            in (choice.answer().split('id="answer"')[1])
        )

        cloze = notes["fx-cloze"].cards()[0]
        assert "$4 billion" not in cloze.question() and "[...]" in cloze.question()
        assert '<span class="cloze" data-ordinal="1">$4 billion</span>' in cloze.answer()
        assert citation in cloze.question()

        false = notes["fx-tf-false"].cards()[0]
        assert "First Amendment" in false.question()
        assert '<div class="answer">False</div>' in false.answer()
        assert "<mark>Fourth Amendment</mark>" in false.answer()

        match = sorted(notes["fx-match"].cards(), key=lambda card: card.ord)
        assert "California → ?" in match[0].question()
        assert "California → put the executive order's provision on hold" in match[0].answer()
        assert "<mark>California</mark>" in match[0].answer()
        assert "10th Amendment → coercing states" in match[1].answer()
        assert "Epstein" in match[0].answer() and citation in match[1].answer()


def test_tags_and_decks(round_trip: RoundTrip) -> None:
    with collection(round_trip.collection) as col:
        notes = notes_by_question(col)
        assert sorted(notes["fx-choice"].tags) == sorted(
            ["choice", "fixture", "offices", "source::leopold"]
        )
        assert sorted(notes["fx-sub-short"].tags) == sorted(
            ["extra-tag", "short", "source::epstein", "sub"]
        )
        assert set(notes["fx-match"].tags) == {
            "fixture", "match", "source::epstein", "source::leopold"
        }  # fmt: skip
        assert notes["fx-match"]["SourceId"] == "epstein leopold"
        sub = col.get_card(notes["fx-sub-short"].cards()[0].id)
        assert col.decks.name(sub.did) == f"{CORE}::Sub"


def test_a_template_change_updates_the_note_type_in_place(tmp_path: Path) -> None:
    questions = checked(copy_fixture_bank(tmp_path / "bank"))
    first, lock = write_package(tmp_path / "v1", questions, now=T1)
    short = NOTE_TYPES[QuestionType.SHORT]
    template = short.templates[0]
    changed = dataclasses.replace(
        short,
        css=short.css + "\n.changed-css { color: red; }\n",
        templates=(dataclasses.replace(template, front=template.front + "<p>changed front</p>"),),
    )
    types = {**NOTE_TYPES, QuestionType.SHORT: changed}
    second, second_lock = write_package(tmp_path / "v2", questions, lock, now=T1, note_types=types)
    assert second_lock.notes == lock.notes
    assert second_lock.notetypes["short"].mod == lock.notetypes["short"].mod + 1
    with collection(tmp_path / "student.anki2") as col:
        import_package(col, first)
        log = import_package(col, second)
        assert not log.conflicting and not log.updated and not log.new
        assert quizgen_note_types(col)["quizgen Short answer"] == short.id
        assert len(quizgen_note_types(col)) == 5
        stored = col.models.get(short.id)
        assert ".changed-css" in stored["css"]
        card = notes_by_question(col)["fx-short"].cards()[0]
        assert "changed front" in card.question()
        assert col.note_count() == 7


# Reproducible, checkable builds ----------------------------------------------------------


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    questions = checked(copy_fixture_bank(tmp_path / "bank"))
    first = apkg.build_package(questions, apkg.Lock(), clock=lambda: T1)
    again = apkg.build_package(questions, apkg.Lock(), clock=lambda: T1)
    assert first.apkg == again.apkg and first.lock == again.lock
    # A day later, from the lock, nothing changed: the same bytes.
    later = apkg.build_package(questions, first.lock, clock=lambda: T1 + 86_400)
    assert later.apkg == first.apkg
    assert later.lock.to_bytes() == first.lock.to_bytes()
    lock = json.loads(first.lock.to_bytes())
    assert lock["version"] == 1
    assert set(lock["notes"]) == {q.id for q in questions}
    assert set(lock["notetypes"]) == {"short", "choice", "cloze", "match", "truefalse"}


def test_build_check_passes_after_build_and_fails_after_an_edit(tmp_path: Path) -> None:
    bank = copy_fixture_bank(tmp_path / "bank")
    out = tmp_path / "decks"
    args = ["build", "--questions", str(bank), "--seeds", str(SEEDS), "--out", str(out)]
    runner = CliRunner()
    built = runner.invoke(main, args, catch_exceptions=False)
    assert built.exit_code == 0, built.output
    assert (out / "quizgen.apkg").exists() and (out / "quizgen.lock.json").exists()
    assert runner.invoke(main, [*args, "--check"], catch_exceptions=False).exit_code == 0
    _edit_bank(bank)
    stale = runner.invoke(main, [*args, "--check"], catch_exceptions=False)
    assert stale.exit_code == 1
    assert "quizgen.apkg: out of date" in stale.output


def test_one_deck_builds_its_own_package_with_the_same_mods(tmp_path: Path) -> None:
    bank = copy_fixture_bank(tmp_path / "bank")
    out = tmp_path / "decks"
    args = ["build", "--questions", str(bank), "--seeds", str(SEEDS), "--out", str(out)]
    runner = CliRunner()
    assert runner.invoke(main, args, catch_exceptions=False).exit_code == 0
    one = runner.invoke(main, [*args, "--deck", f"{CORE}::Sub"], catch_exceptions=False)
    assert one.exit_code == 0, one.output
    assert apkg.output_names(f"{CORE}::Sub")[0] == "quizgen-fixture--core--sub.apkg"
    whole = apkg.Lock.parse((out / "quizgen.lock.json").read_bytes())
    part = apkg.Lock.parse((out / "quizgen-fixture--core--sub.lock.json").read_bytes())
    assert set(part.notes) == {"fx-sub-short"}
    assert part.notes["fx-sub-short"] == whole.notes["fx-sub-short"]
    with collection(tmp_path / "student.anki2") as col:
        log = import_package(col, out / "quizgen-fixture--core--sub.apkg")
        assert [entry.fields[0] for entry in log.new] == ["fx-sub-short"]


# The real bank -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_bank() -> tuple[Any, ...]:
    return checked(REPO / "questions")


def test_real_bank_imports_with_every_card_rendered(
    real_bank: tuple[Any, ...], tmp_path: Path
) -> None:
    package, _ = write_package(tmp_path / "decks", real_bank, now=T1)
    with collection(tmp_path / "student.anki2") as col:
        log = import_package(col, package)
        assert len(log.new) == len(real_bank) and not log.conflicting
        notes = notes_by_question(col)
        assert set(notes) == {q.id for q in real_bank}
        by_type = Counter(str(q.type) for q in real_bank)
        note_types = quizgen_note_types(col)
        for kind, note_type in NOTE_TYPES.items():
            assert (
                col.models.use_count(col.models.get(note_types[note_type.name]))
                == by_type[str(kind)]
            )
        match_cards = sum(len(q.pairs) for q in real_bank if q.type is QuestionType.MATCH)
        assert col.card_count() == len(real_bank) - by_type["match"] + match_cards
        for question in real_bank:
            note = notes[question.id]
            citation = question.sources[0].citation.replace("&", "&amp;")
            for card in note.cards():
                front, back = card.question(), card.answer()
                assert citation in back, question.id
                assert "<mark>" in back or question.type is QuestionType.CLOZE, question.id
                if question.type in (QuestionType.SHORT, QuestionType.CHOICE):
                    assert _shown(question.ask) in front
                    assert _shown(question.answer) in back.split('id="answer"')[1]
                elif question.type is QuestionType.TRUEFALSE:
                    assert _shown(question.statement) in front
                    assert f'<div class="answer">{question.answer}</div>' in back
                elif question.type is QuestionType.CLOZE:
                    assert 'class="cloze"' in front and "[...]" in front
                else:
                    left, right = question.pairs[card.ord]
                    assert f"{_shown(left)} → {_shown(right)}" in back


def _shown(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_committed_decks_are_up_to_date(real_bank: tuple[Any, ...]) -> None:
    """decks/ must be rebuilt and committed with every change to questions/."""
    decks = REPO / "decks"
    context = BuildContext(real_bank, BuildOptions(out_dir=decks), _reader(decks))
    files = apkg.render(context)
    for name in (apkg.PACKAGE, apkg.LOCK):
        assert (decks / name).read_bytes() == files[name], (
            f"decks/{name} is out of date: run `quizgen build` and commit decks/"
        )


def _reader(folder: Path) -> Any:
    def read(name: str) -> bytes | None:
        path = folder / name
        return path.read_bytes() if path.exists() else None

    return read
