"""The Moodle XML export, read back with lxml and with the rules of Moodle's own importer
(question/format/xml/format.php, and qtype/multianswer for the blanks of a cloze), and
compared with the bank: every question's kind, name, ID number, mark, category, text,
answers, tags and evidence, on the real bank and on the hostile one (tests/data/lms/).
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

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
from lxml import etree

from generator.bank.model import QuestionType, SourcedQuestion
from generator.outputs import REGISTRY, moodle
from generator.outputs.base import BuildContext, BuildOptions
from generator.outputs.evidence import evidence_of
from generator.outputs.lms import category_path, shuffled

MOODLE = next(output for output in REGISTRY if output.name == "moodle")
BANKS = ("bank", "hostile")
DECK = "Sessions and Sanctuary Cities::Epstein — Trump and Sessions keep trying"
ALLOWED_TAGS = {"p", "strong", "br"}

# qtype_multianswer's ANSWER_REGEX for one SHORTANSWER alternative: an answer runs, lazily,
# to a '~', '#' or '}' that no '\', '&' or '&amp;' comes right before.
MOODLE_BLANK = re.compile(
    r"\{(?P<weight>[0-9]*):SHORTANSWER:=(?P<answer>.+?(?<!\\)(?<!&)(?<!&amp;))(?=[~#}])"
)


def xml_of(bank: str, options: BuildOptions | None = None) -> tuple[str, bytes]:
    [(name, data)] = render(MOODLE, bank, options).items()
    return name, data


def read(data: bytes) -> dict[str, tuple[str, etree._Element]]:
    """Every question by name, with the category it is imported into, as Moodle reads them."""
    root = etree.fromstring(data)
    assert root.tag == "quiz"
    found: dict[str, tuple[str, etree._Element]] = {}
    category = None
    for question in root.iterfind("question"):
        if question.get("type") == "category":
            category = question.findtext("category/text")
            continue
        name = question.findtext("name/text")
        assert name not in found
        found[name] = (category, question)
    return found


def html_shown(element: etree._Element) -> tuple[str, set[str]]:
    assert element.get("format") == "html"
    words, tags = visible(element.findtext("text"))
    return flat(words), tags


def typed(text: str) -> str:
    return shown(text).replace("*", "\\*")


def moodle_blanks(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text with each blank as '_____', and each blank's (weight, answer) as Moodle
    stores it: `\\}` and `\\#` unescaped, the answer's HTML read as text."""
    blanks: list[tuple[str, str]] = []
    position, parts = 0, []
    for found in MOODLE_BLANK.finditer(text):
        closing = found.end()
        assert text[closing] == "}", f"a blank with more than one answer: {text[found.start() :]}"
        parts.append(text[position : found.start()])
        parts.append("_____")
        # As qtype_multianswer does it: the HTML editor's entities first, then \} and \#.
        answer = html.unescape(found["answer"]).replace("\\}", "}").replace("\\#", "#")
        blanks.append((found["weight"], answer))
        position = closing + 1
    parts.append(text[position:])
    return "".join(parts), blanks


def mismatches(bank: str, data: bytes) -> list[str]:
    wrong: list[str] = []
    read_back = read(data)
    questions = printed(bank)
    if sorted(read_back) != sorted(q.id for q in questions):
        wrong.append(f"names: {sorted(read_back)} != {sorted(q.id for q in questions)}")
    categories = expected_categories(bank)
    for question in questions:
        if question.id not in read_back:
            continue
        category, element = read_back[question.id]
        checks = {
            "category": (category, categories[question.id]),
            "kind": (element.get("type"), moodle.TYPE_NAMES[question.type]),
            "idnumber": (element.findtext("idnumber"), question.id),
            "mark": (_mark(element), str(question.question.points)),
            "tags": (
                element.xpath("tags/tag/text/text()"),
                [shown(tag).strip() for tag in question.question.tags],
            ),
            **READ_BACK[question.type](question, element),
        }
        if question.type is not QuestionType.CLOZE:
            text, tags = html_shown(element.find("questiontext"))
            checks["text markup"] = (tags <= ALLOWED_TAGS, True)
            checks["text"] = (text, _text(question))
        feedback, tags = html_shown(element.find("generalfeedback"))
        checks["feedback markup"] = (tags <= ALLOWED_TAGS, True)
        checks["feedback"] = (feedback, feedback_shown(question))
        wrong.extend(
            f"{question.id} {name}: read {got!r}, expected {expected!r}"
            for name, (got, expected) in checks.items()
            if got != expected
        )
    return wrong


def _mark(element: etree._Element) -> str:
    """The question's mark as Moodle's importer takes it: a cloze's is its blanks' weights."""
    if element.get("type") != "cloze":
        return element.findtext("defaultgrade")
    _, blanks = moodle_blanks(element.findtext("questiontext/text"))
    return str(sum(int(weight) for weight, _ in blanks))


def _text(question: SourcedQuestion) -> str:
    if question.type is QuestionType.TRUEFALSE:
        return flat(shown(question.statement))
    return flat(shown(question.ask))


def _answers(element: etree._Element) -> list[tuple[str, str, str]]:
    return [
        (answer.get("fraction"), answer.get("format"), answer.findtext("text"))
        for answer in element.iterfind("answer")
    ]


def _read_short(question, element) -> dict:
    return {
        "usecase": (element.findtext("usecase"), "0"),
        "answers": (_answers(element), [("100", "moodle_auto_format", typed(question.answer))]),
    }


def _read_choice(question, element) -> dict:
    options = [
        (answer.get("fraction"), html_shown(answer)[0]) for answer in element.iterfind("answer")
    ]
    expected = shuffled(question.id, [question.answer, *question.wrong])
    expected += [question.last_option] if question.last_option is not None else []
    return {
        "single": (element.findtext("single"), "true"),
        # Moodle would move "None of these" if it shuffled; the order is already shuffled.
        "shuffle": (element.findtext("shuffleanswers"), "false"),
        "options": (
            options,
            [("100" if o == question.answer else "0", flat(shown(o))) for o in expected],
        ),
    }


def _read_truefalse(question, element) -> dict:
    right = question.answer.lower()
    expected = [
        ("100" if value == right else "0", "moodle_auto_format", value)
        for value in ("true", "false")
    ]
    return {"answers": (_answers(element), expected)}


def _read_match(question, element) -> dict:
    pairs = [
        (html_shown(sub)[0], sub.findtext("answer/text")) for sub in element.iterfind("subquestion")
    ]
    return {"pairs": (pairs, [(flat(shown(left)), shown(right)) for left, right in question.pairs])}


def _read_cloze(question, element) -> dict:
    raw = element.findtext("questiontext/text")
    text, blanks = moodle_blanks(raw)
    words, tags = visible(text)
    pieces = evidence_of(question).quotes[0].pieces
    expected_text = "".join("_____" if piece.marked else shown(piece.text) for piece in pieces)
    expected_blanks = [shown(piece.text).replace("*", "\\*") for piece in pieces if piece.marked]
    weights = [int(weight) for weight, _ in blanks]
    return {
        "text": (flat(words), flat(expected_text)),
        "text markup": (tags <= ALLOWED_TAGS, True),
        "blanks": ([answer for _, answer in blanks], expected_blanks),
        "weights": (sum(weights), max(question.question.points, len(blanks))),
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
def test_every_printed_question_reads_back_as_the_bank_has_it(bank: str) -> None:
    assert mismatches(bank, xml_of(bank)[1]) == []


def test_the_comparison_catches_a_wrong_key() -> None:
    _, data = xml_of("bank")
    broken = data.replace(
        b'<answer fraction="100" format="html">', b'<answer fraction="0" format="html">', 1
    )
    assert broken != data
    assert any("options" in line for line in mismatches("bank", broken))


def test_a_deck_build_holds_that_deck_only() -> None:
    name, data = xml_of("bank", BuildOptions(deck=DECK))
    slug = "sessions-and-sanctuary-cities--epstein-trump-and-sessions-keep-trying"
    assert name == f"quizgen-{slug}.moodle.xml"
    assert sorted(read(data)) == sorted(q.id for q in printed("bank") if q.deck == DECK)


def test_the_committed_file_is_what_the_bank_builds() -> None:
    name, data = xml_of("bank")
    assert (ROOT / "decks" / name).read_bytes() == data


def test_rebuilds_are_byte_identical() -> None:
    assert xml_of("hostile") == xml_of("hostile")


# Escaping, by the importer's rules -------------------------------------------------------


def test_texts_are_cdata_except_one_that_holds_the_cdata_end() -> None:
    _, data = xml_of("hostile")
    assert b"<![CDATA[hostile-short]]>" in data
    # The hostile tag ']]>' cannot be CDATA: it is escaped, and reads back as itself.
    assert b"<text>]]&gt;</text>" in data
    _, short = read(data)["hostile-short"]
    assert "]]>" in short.xpath("tags/tag/text/text()")


def test_hostile_markup_stays_text() -> None:
    _, element = read(xml_of("hostile")[1])["hostile-choice"]
    text, tags = html_shown(element.find("questiontext"))
    assert "<script>alert(2)</script>" in text and tags == set()
    options = [html_shown(answer) for answer in element.iterfind("answer")]
    assert ("<img src=x onerror=alert(3)>", set()) in options


def test_a_question_text_never_opens_an_embedded_answer() -> None:
    """'{' in a text is an entity: Moodle would otherwise read `{1:SHORTANSWER:=x}` in it."""
    for bank in BANKS:
        for _, element in read(xml_of(bank)[1]).values():
            text = element.findtext("questiontext/text")
            if element.get("type") != "cloze":
                assert "{" not in text and "}" not in text


def _hostile_cloze(evidence_from: str) -> SourcedQuestion:
    questions = {q.id: q for q in checked("hostile").questions}
    cloze = questions["hostile-cloze"]
    return replace(
        cloze,
        question=replace(cloze.question, printed=True),
        evidence=questions[evidence_from].evidence,
    )


def _render(*questions: SourcedQuestion) -> bytes:
    [data] = moodle.render(BuildContext(questions, BuildOptions(), lambda name: None)).values()
    return data


@pytest.mark.parametrize(
    ("evidence_from", "blank"),
    [("hostile-short", "{a} ~ b = c # d: e * f"), ("hostile-choice", "C:\\temp\\new\\x")],
)
def test_a_blank_with_every_special_character_reads_back_by_moodles_rules(
    evidence_from: str, blank: str
) -> None:
    question = _hostile_cloze(evidence_from)
    [(_, element)] = read(_render(question)).values()
    text, blanks = moodle_blanks(element.findtext("questiontext/text"))
    assert blanks == [("1", blank.replace("*", "\\*"))]
    quote = question.evidence[0].fact.quote
    assert flat(visible(text)[0]) == flat(quote.replace(blank, "_____"))


def test_the_rules_catch_a_blank_written_without_entities(monkeypatch) -> None:
    """Were '~' written as itself, Moodle would read a second answer there."""
    monkeypatch.delitem(moodle._IN_BLANK, "~")
    [(_, element)] = read(_render(_hostile_cloze("hostile-short"))).values()
    with pytest.raises(AssertionError, match="more than one answer"):
        moodle_blanks(element.findtext("questiontext/text"))


def test_a_cloze_mark_is_its_points_shared_by_its_blanks() -> None:
    question = _hostile_cloze("hostile-match")  # one quote, two marked pieces
    for points, weights in ((4, ["2", "2"]), (3, ["2", "1"]), (1, ["1", "1"])):
        changed = replace(question, question=replace(question.question, points=points))
        [(_, element)] = read(_render(changed)).values()
        _, blanks = moodle_blanks(element.findtext("questiontext/text"))
        assert [weight for weight, _ in blanks] == weights
        assert element.find("defaultgrade") is None


# What a teacher sees in Moodle ---------------------------------------------------------


def test_a_question_not_printed_stays_out() -> None:
    assert "hostile-cloze" not in read(xml_of("hostile")[1])


def test_a_pool_is_a_category_that_says_how_many_to_draw() -> None:
    _, data = xml_of("bank")
    root = etree.fromstring(data)
    pool = checked("bank").bank.pools["epstein-courts"]
    members = [q for q in printed("bank") if q.question.pool == "epstein-courts"]
    path = category_path(members[0].deck, "epstein-courts")
    [info] = root.xpath("question[@type='category'][category/text=$path]/info/text", path=path)
    assert f"draws {pool.pick} of these {len(members)} questions" in info.text
    read_back = read(data)
    assert {read_back[q.id][0] for q in members} == {path}


def test_a_match_with_two_pairs_is_written_as_it_is() -> None:
    read_back = read(xml_of("bank")[1])
    two = [q for q in printed("bank") if q.type is QuestionType.MATCH and len(q.pairs) == 2]
    assert two
    for question in two:
        assert len(read_back[question.id][1].findall("subquestion")) == 2
