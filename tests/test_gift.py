"""The GIFT export, read back by gift-pegjs (an independent GIFT parser, from npm) and
compared with the bank: every question's kind, id, category, text, options, key, tags
and evidence, on the real bank and on the hostile one (tests/data/lms/).

The reader is tests/readers/gift_read.js; `npm ci --prefix tests/readers` installs it
(.ci/run and the README's test command do).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from lms_helpers import (
    ROOT,
    checked,
    expected_categories,
    feedback_shown,
    flat,
    printed,
    render,
    shown,
    visible,
)

from generator.bank.model import QuestionType, SourcedQuestion
from generator.outputs import REGISTRY, gift
from generator.outputs.base import BuildContext, BuildOptions
from generator.outputs.evidence import evidence_of
from generator.outputs.lms import category_path

GIFT = next(output for output in REGISTRY if output.name == "gift")
READER = ROOT / "tests" / "readers" / "gift_read.js"
BANKS = ("bank", "hostile")
DECK = "Sessions and Sanctuary Cities::Epstein — Trump and Sessions keep trying"
ALLOWED_TAGS = {"p", "strong", "br"}
KINDS = {
    QuestionType.SHORT: "Short",
    QuestionType.CHOICE: "MC",
    QuestionType.TRUEFALSE: "TF",
    QuestionType.MATCH: "Matching",
    QuestionType.CLOZE: "Short",
}


def read(*files: Path) -> list[dict]:
    """What gift-pegjs reads in each file: its questions, or its parse error."""
    node = shutil.which("node")
    assert node, "node is missing: .ci/run installs nodejs and npm"
    assert (READER.parent / "node_modules" / "gift-pegjs").is_dir(), (
        "gift-pegjs is missing: run `npm ci --prefix tests/readers`"
    )
    done = subprocess.run(
        [node, str(READER), *map(str, files)], capture_output=True, text=True, check=False
    )
    return json.loads(done.stdout)


def gift_file(bank: str, tmp_path: Path, options: BuildOptions | None = None) -> Path:
    [(name, data)] = render(GIFT, bank, options).items()
    path = tmp_path / name
    path.write_bytes(data)
    return path


def parsed(path: Path) -> list[dict]:
    [result] = read(path)
    assert "error" not in result, result
    return result["questions"]


def by_id(questions: list[dict]) -> dict[str, tuple[str, dict]]:
    """Every question by its `[id:…]`, with the category it was read into."""
    found: dict[str, tuple[str, dict]] = {}
    category = None
    for question in questions:
        if question["type"] == "Category":
            category = question["title"]
            continue
        assert question["id"] not in found
        found[question["id"]] = (category, question)
    return found


def html_shown(text: dict) -> tuple[str, set[str]]:
    assert text["format"] == "html"
    words, tags = visible(text["text"])
    return flat(words), tags


def typed(text: str) -> str:
    """A short answer as Moodle stores it: `*` is its wildcard, so a literal one is `\\*`."""
    return flat(shown(text)).replace("*", "\\*")


def mismatches(bank: str, read_back: dict[str, tuple[str, dict]]) -> list[str]:
    """Every way the read-back questions differ from the bank's printed questions."""
    wrong: list[str] = []
    questions = printed(bank)
    if sorted(read_back) != sorted(q.id for q in questions):
        wrong.append(f"ids: {sorted(read_back)} != {sorted(q.id for q in questions)}")
    categories = expected_categories(bank)
    for question in questions:
        if question.id not in read_back:
            continue
        category, item = read_back[question.id]
        checks = {
            "category": (category, categories[question.id]),
            "title": (item["title"], question.id),
            "kind": (item["type"], KINDS[question.type]),
            "tags": (item["tags"], _tags(question) or None),
            **READ_BACK[question.type](question, item),
        }
        stem, stem_tags = html_shown(item["stem"])
        checks["stem markup"] = (stem_tags <= ALLOWED_TAGS, True)
        checks["stem"] = (stem, _stem(question))
        feedback, feedback_tags = html_shown(item["globalFeedback"])
        checks["feedback markup"] = (feedback_tags <= ALLOWED_TAGS, True)
        checks["feedback"] = (feedback, feedback_shown(question))
        wrong.extend(
            f"{question.id} {name}: read {got!r}, expected {expected!r}"
            for name, (got, expected) in checks.items()
            if got != expected
        )
    return wrong


def _tags(question: SourcedQuestion) -> list[str]:
    return [flat(shown(tag)) for tag in question.question.tags if "]" not in tag]


def _stem(question: SourcedQuestion) -> str:
    if question.type is QuestionType.TRUEFALSE:
        return flat(shown(question.statement))
    if question.type is QuestionType.CLOZE:
        # gift-pegjs reads a missing-word question as "before _____ after".
        pieces = evidence_of(question).quotes[0].pieces
        blank = next(number for number, piece in enumerate(pieces) if piece.marked)
        before = "".join(piece.text for piece in pieces[:blank])
        after = "".join(piece.text for piece in pieces[blank + 1 :])
        return flat(f"{shown(before)} _____ {shown(after)}")
    return flat(shown(question.ask))


def _read_short(question, item) -> dict:
    [choice] = item["choices"]
    return {
        "answer": ((choice["isCorrect"], choice["text"]["text"]), (True, typed(question.answer)))
    }


def _read_choice(question, item) -> dict:
    options = [(choice["isCorrect"], html_shown(choice["text"])[0]) for choice in item["choices"]]
    expected = sorted(
        [(True, flat(shown(question.answer)))]
        + [(False, flat(shown(wrong))) for wrong in question.wrong]
        + ([(False, flat(shown(question.last_option)))] if question.last_option else [])
    )
    checks = {"options": (sorted(options), expected)}
    if question.last_option is not None:
        checks["last option"] = (options[-1], (False, flat(shown(question.last_option))))
    return checks


def _read_truefalse(question, item) -> dict:
    return {"answer": (item["isTrue"], question.answer == "True")}


def _read_match(question, item) -> dict:
    pairs = [
        (html_shown(pair["subquestion"])[0], _decoded(pair["subanswer"]))
        for pair in item["matchPairs"]
    ]
    expected = [(flat(shown(left)), flat(shown(right))) for left, right in question.pairs]
    return {"pairs": (pairs, expected)}


# gift-pegjs 1.0.2 leaves its own placeholders for escaped characters in a match answer
# (its PlainText rule skips the decoding its other rules do); Moodle decodes them.
_PLACEHOLDERS = {
    "092": "\\",
    "058": ":",
    "035": "#",
    "061": "=",
    "123": "{",
    "125": "}",
    "126": "~",
}


def _decoded(text: str) -> str:
    return re.sub(r"&&(\d{3});", lambda match: _PLACEHOLDERS[match.group(1)], text)


def _read_cloze(question, item) -> dict:
    [choice] = item["choices"]
    [blank] = evidence_of(question).quotes[0].marked
    return {
        "embedded": (item["hasEmbeddedAnswers"], True),
        "answer": ((choice["isCorrect"], choice["text"]["text"]), (True, typed(blank))),
    }


READ_BACK = {
    QuestionType.SHORT: _read_short,
    QuestionType.CHOICE: _read_choice,
    QuestionType.TRUEFALSE: _read_truefalse,
    QuestionType.MATCH: _read_match,
    QuestionType.CLOZE: _read_cloze,
}


# Every question, read back --------------------------------------------------------------


@pytest.mark.parametrize("bank", BANKS)
def test_every_printed_question_reads_back_as_the_bank_has_it(bank: str, tmp_path) -> None:
    assert mismatches(bank, by_id(parsed(gift_file(bank, tmp_path)))) == []


def test_the_comparison_catches_an_export_that_does_not_escape(tmp_path, monkeypatch) -> None:
    """Without GIFT's escapes the hostile bank no longer reads back as itself."""
    monkeypatch.setattr(gift, "gift_escaped", lambda text: text.replace("\n", " "))
    [result] = read(gift_file("hostile", tmp_path))
    assert "error" in result or mismatches("hostile", by_id(result["questions"]))


def test_the_comparison_catches_a_wrong_key(tmp_path) -> None:
    path = gift_file("bank", tmp_path)
    text = path.read_text()
    path.write_text(text.replace("{TRUE####", "{FALSE####", 1))
    [wrong] = mismatches("bank", by_id(parsed(path)))
    assert "answer: read False, expected True" in wrong


def test_a_deck_build_holds_that_deck_only(tmp_path) -> None:
    path = gift_file("bank", tmp_path, BuildOptions(deck=DECK))
    slug = "sessions-and-sanctuary-cities--epstein-trump-and-sessions-keep-trying"
    assert path.name == f"quizgen-{slug}.gift"
    read_back = by_id(parsed(path))
    assert sorted(read_back) == sorted(q.id for q in printed("bank") if q.deck == DECK)


def test_the_committed_file_is_what_the_bank_builds_and_reads_back(tmp_path) -> None:
    committed = ROOT / "decks" / "quizgen.gift"
    assert committed.read_bytes() == gift_file("bank", tmp_path).read_bytes()
    assert mismatches("bank", by_id(parsed(committed))) == []


def test_rebuilds_are_byte_identical(tmp_path) -> None:
    first = render(GIFT, "hostile")
    assert render(GIFT, "hostile") == first


# What a teacher sees in Moodle ---------------------------------------------------------


def test_hostile_markup_stays_text(tmp_path) -> None:
    read_back = by_id(parsed(gift_file("hostile", tmp_path)))
    _, item = read_back["hostile-choice"]
    stem, tags = html_shown(item["stem"])
    assert "<script>alert(2)</script>" in stem and tags == set()
    options = [html_shown(choice["text"]) for choice in item["choices"]]
    assert ("<img src=x onerror=alert(3)>", set()) in options


def test_no_text_starts_a_line_and_only_our_comments_start_with_slashes(tmp_path) -> None:
    for bank in BANKS:
        for line in gift_file(bank, tmp_path).read_text().splitlines():
            assert not line.startswith("//") or line.startswith(
                (
                    "// Built by quizgen",
                    "// Import in",
                    "// Each question",
                    "// GIFT holds",
                    "// [id:",
                    "// [tag:",
                    "// Pool ",
                    "// quizgen left out ",
                    "// The Moodle XML export holds it.",
                )
            ), line


def test_a_question_not_printed_stays_out(tmp_path) -> None:
    read_back = by_id(parsed(gift_file("hostile", tmp_path)))
    assert "hostile-cloze" not in read_back
    assert any(not q.question.printed for q in checked("hostile").questions)


def test_a_pool_is_a_category_to_draw_random_questions_from(tmp_path) -> None:
    path = gift_file("bank", tmp_path)
    read_back = by_id(parsed(path))
    pool = checked("bank").bank.pools["epstein-courts"]
    members = [q for q in printed("bank") if q.question.pool == "epstein-courts"]
    assert len(members) > pool.pick
    for question in members:
        assert read_back[question.id][0] == category_path(question.deck, "epstein-courts")
    text = path.read_text()
    assert f"// Pool epstein-courts: add a random question that draws {pool.pick} from" in text
    # After the pool, the deck's next question is back in the deck's own category.
    after = [q for q in printed("bank") if q.deck == members[0].deck and q.question.pool is None]
    assert {read_back[q.id][0] for q in after} == {category_path(members[0].deck)}


def test_a_category_keeps_a_slash_in_a_deck_name() -> None:
    assert category_path("Civics::A/B test") == "$course$/top/Civics/A//B test"


def test_a_tag_that_holds_a_bracket_is_left_out(tmp_path) -> None:
    read_back = by_id(parsed(gift_file("hostile", tmp_path)))
    _, item = read_back["hostile-short"]
    assert "]]>" not in item["tags"] and "[brackets]" not in item["tags"]
    assert "{tag}" in item["tags"] and "<i>x</i>" in item["tags"]


def _cloze_with(highlights: tuple[tuple[int, int], ...]) -> SourcedQuestion:
    cloze = next(q for q in printed("bank") if q.type is QuestionType.CLOZE)
    [evidence] = cloze.evidence
    return replace(cloze, evidence=(replace(evidence, highlights=highlights),))


def _render(*questions: SourcedQuestion) -> str:
    context = BuildContext(questions, BuildOptions(), lambda name: None)
    [data] = gift.render(context).values()
    return data.decode()


def test_a_cloze_whose_quote_starts_with_its_blank_reads_as_missing_word(tmp_path) -> None:
    question = _cloze_with(((0, 4),))
    path = tmp_path / "start.gift"
    path.write_text(_render(question))
    [(_, item)] = by_id(parsed(path)).values()
    quote = question.evidence[0].fact.quote
    assert item["hasEmbeddedAnswers"] and item["choices"][0]["text"]["text"] == typed(quote[:4])
    assert html_shown(item["stem"])[0] == flat("_____ " + quote[4:])


def test_a_cloze_with_two_blanks_is_left_out_with_a_comment_naming_it(tmp_path) -> None:
    question = _cloze_with(((0, 4), (10, 14)))
    text = _render(question)
    assert f"// quizgen left out {question.id}: a cloze with 2 blanks" in text
    assert text.startswith("// Built by quizgen: 0 questions in 1 category.")
    path = tmp_path / "two.gift"
    path.write_text(text)
    assert by_id(parsed(path)) == {}


def test_the_reader_reports_a_broken_file(tmp_path) -> None:
    path = tmp_path / "broken.gift"
    path.write_text("::a::[html]Unclosed {=answer\n")
    [result] = read(path)
    assert "error" in result and result["where"]["line"] == 2


@pytest.mark.parametrize(
    ("answer", "reason"),
    [("from A -> B", "holds '->'"), ("[html]<b>x</b>", "format marker"), ("x", None)],
)
def test_a_typed_answer_gift_cannot_hold_is_left_out_with_a_comment(
    answer: str, reason: str | None, tmp_path
) -> None:
    """Moodle would read `{=from A -> B}` as a match, and `[html]` as the answer's format."""
    short = next(q for q in printed("bank") if q.type is QuestionType.SHORT)
    question = replace(short, answer=answer)
    text = _render(question)
    path = tmp_path / "typed.gift"
    path.write_text(text)
    read_back = by_id(parsed(path))
    if reason is None:
        assert list(read_back) == [question.id]
    else:
        assert f"// quizgen left out {question.id}:" in text and reason in text
        assert read_back == {}
