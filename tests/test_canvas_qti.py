"""The Canvas QTI export, read back by independent readers and compared with the bank.

Readers: qti-package-maker's package_integrity.check_package (manifest, answer linkage,
identifier safety), and an lxml read of every item that compares its kind, worth, text,
options, key and feedback with the checked question it came from. qti2txt, a reader of
Canvas's own exports, runs in test_canvas_qti2txt.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import pytest
from lms_helpers import checked, render, shown, visible
from lxml import etree
from qti_package_maker.common.package_integrity import check_package

from generator.bank.model import QuestionType
from generator.outputs import REGISTRY
from generator.outputs.base import BuildContext, BuildOptions
from generator.outputs.canvas_qti import IDENT, TYPE_NAMES, question_ident
from generator.outputs.evidence import byline, evidence_of

CANVAS = next(output for output in REGISTRY if output.name == "canvas-qti")
Q = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
M = {"m": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"}
C = {"c": "http://canvas.instructure.com/xsd/cccv1p0"}
DECK = "Sessions and Sanctuary Cities::Epstein — Trump and Sessions keep trying"
BANKS = ("bank", "hostile")
ALLOWED_TAGS = {"div", "p", "strong", "br"}


def printed(bank: str) -> list:
    """The questions a Canvas quiz asks: those on paper (printed: false stays in Anki)."""
    return [q for q in checked(bank).questions if q.question.printed]


def package(bank: str, options: BuildOptions | None = None) -> tuple[str, bytes]:
    [(name, data)] = render(CANVAS, bank, options).items()
    return name, data


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def items_by_ident(data: bytes) -> dict[str, tuple[str, etree._Element]]:
    """Every item of every assessment, by ident, with the title of its assessment."""
    found = {}
    for name, content in entries(data).items():
        if name.endswith("assessment_meta.xml") or name == "imsmanifest.xml":
            continue
        root = etree.fromstring(content)
        [assessment] = root.findall("q:assessment", Q)
        for item in assessment.iterfind(".//q:item", Q):
            assert item.get("ident") not in found
            found[item.get("ident")] = (assessment.get("title"), item)
    return found


def field(item: etree._Element, label: str) -> str:
    [entry] = item.xpath(
        "q:itemmetadata/q:qtimetadata/q:qtimetadatafield[q:fieldlabel=$label]/q:fieldentry",
        namespaces=Q,
        label=label,
    )
    return entry.text


def html_of(item: etree._Element) -> tuple[str, set[str]]:
    [text] = item.findall("q:presentation/q:material/q:mattext", Q)
    assert text.get("texttype") == "text/html"
    return visible(text.text)


def feedback_of(item: etree._Element) -> tuple[str, set[str]]:
    [text] = item.findall("q:itemfeedback[@ident='general_fb']/q:flow_mat/q:material/q:mattext", Q)
    return visible(text.text)


def labels(response: etree._Element) -> dict[str, str]:
    """A choice response's options: ident → plain text."""
    found = {}
    for label in response.iterfind("q:render_choice/q:response_label", Q):
        [text] = label.findall("q:material/q:mattext", Q)
        assert text.get("texttype") == "text/plain"
        found[label.get("ident")] = text.text
    return found


def scored(item: etree._Element) -> dict[str, str]:
    """respident → the value that scores, from the item's response processing."""
    return {
        equal.get("respident"): equal.text
        for equal in item.iterfind("q:resprocessing/q:respcondition/q:conditionvar/q:varequal", Q)
    }


# The independent reader ------------------------------------------------------


@pytest.mark.parametrize("bank", BANKS)
def test_qti_package_maker_finds_no_problem(bank: str, tmp_path) -> None:
    name, data = package(bank)
    path = tmp_path / name
    path.write_bytes(data)
    assert check_package(str(path)) == []


def test_qti_package_maker_finds_no_problem_in_a_deck_build(tmp_path) -> None:
    name, data = package("bank", BuildOptions(deck=DECK))
    slug = "sessions-and-sanctuary-cities--epstein-trump-and-sessions-keep-trying"
    assert name == f"quizgen-{slug}.canvas-qti.zip"
    path = tmp_path / name
    path.write_bytes(data)
    assert check_package(str(path)) == []
    assert len(items_by_ident(data)) == sum(q.deck == DECK for q in printed("bank"))


def test_the_reader_catches_a_broken_package(tmp_path) -> None:
    """The integrity check is not a rubber stamp: a key naming no option is reported."""
    _, data = package("bank")
    broken = {
        name: content.replace(b">a1</varequal>", b">a9</varequal>", 1)
        for name, content in entries(data).items()
    }
    path = tmp_path / "broken.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in broken.items():
            archive.writestr(name, content)
    assert any("matches no declared choice identifier" in v for v in check_package(str(path)))


# Every question, read back -----------------------------------------------------


@pytest.mark.parametrize("bank", BANKS)
def test_every_question_reads_back_as_the_bank_has_it(bank: str) -> None:
    _, data = package(bank)
    items = items_by_ident(data)
    questions = printed(bank)
    assert sorted(items) == sorted(question_ident(q.id) for q in questions)
    for question in questions:
        deck, item = items[question_ident(question.id)]
        assert deck == shown(question.deck)
        assert item.get("title") == question.id
        assert field(item, "question_type") == TYPE_NAMES[question.type]
        assert field(item, "points_possible") == str(question.question.points)
        text, tags = html_of(item)
        assert tags <= ALLOWED_TAGS, (question.id, tags)
        READ_BACK[question.type](question, item, text)


def _short(question, item, text) -> None:
    assert text == shown(question.ask)
    assert scored(item) == {"response1": shown(question.answer)}


def _choice(question, item, text) -> None:
    [response] = item.findall("q:presentation/q:response_lid", Q)
    options = labels(response)
    expected = [question.answer, *question.wrong]
    assert sorted(options.values()) == sorted(
        shown(o) for o in [*expected, *filter(None, [question.last_option])]
    )
    if question.last_option is not None:
        assert list(options.values())[-1] == shown(question.last_option)
    assert text == shown(
        question.ask if question.type is QuestionType.CHOICE else question.statement
    )
    assert options[scored(item)["response1"]] == shown(question.answer)


def _truefalse(question, item, text) -> None:
    [response] = item.findall("q:presentation/q:response_lid", Q)
    options = labels(response)
    assert list(options.values()) == ["True", "False"]
    assert text == shown(question.statement)
    assert options[scored(item)["response1"]] == question.answer


def _match(question, item, text) -> None:
    assert text == shown(question.ask)
    responses = item.findall("q:presentation/q:response_lid", Q)
    keys = scored(item)
    read = []
    for response in responses:
        [left] = response.findall("q:material/q:mattext", Q)
        options = labels(response)
        assert sorted(options.values()) == sorted({shown(right) for _, right in question.pairs})
        read.append((left.text, options[keys[response.get("ident")]]))
    assert read == [(shown(left), shown(right)) for left, right in question.pairs]


def _cloze(question, item, text) -> None:
    quote = evidence_of(question).quotes[0]
    responses = item.findall("q:presentation/q:response_lid", Q)
    keys = scored(item)
    filled = text
    for number, response in enumerate(responses, 1):
        assert f"[blank{number}]" in filled
        answer = labels(response)[keys[response.get("ident")]]
        filled = filled.replace(f"[blank{number}]", answer, 1)
    assert len(responses) == len(quote.marked) >= 1
    assert filled == shown(quote.text)
    assert [labels(r)[keys[r.get("ident")]] for r in responses] == [shown(m) for m in quote.marked]


READ_BACK = {
    QuestionType.SHORT: _short,
    QuestionType.CHOICE: _choice,
    QuestionType.TRUEFALSE: _truefalse,
    QuestionType.MATCH: _match,
    QuestionType.CLOZE: _cloze,
}


@pytest.mark.parametrize("bank", BANKS)
def test_every_item_carries_its_evidence_as_general_feedback(bank: str) -> None:
    _, data = package(bank)
    items = items_by_ident(data)
    for question in printed(bank):
        _, item = items[question_ident(question.id)]
        text, tags = feedback_of(item)
        assert tags <= ALLOWED_TAGS
        evidence = evidence_of(question)
        for quote in evidence.quotes:
            assert shown(quote.text) in text
            assert shown(byline(quote.source)) in text
        assert f"Question id: {question.id}" in text
        # The answer is marked: every marked piece is in <strong>.
        [mattext] = item.findall(".//q:itemfeedback//q:mattext", Q)
        strong = [visible(s)[0] for s in re.findall(r"<strong>(.*?)</strong>", mattext.text)]
        assert strong == [shown(p) for quote in evidence.quotes for p in quote.marked]


def test_hostile_markup_stays_text() -> None:
    _, data = package("hostile")
    for _, item in items_by_ident(data).values():
        for text in item.iterfind(".//q:mattext[@texttype='text/html']", Q):
            assert "<script" not in text.text and "<img" not in text.text
    assert b"\x07" not in data


# The package ----------------------------------------------------------------------


def test_idents_follow_canvas_rules_and_are_unique() -> None:
    _, data = package("bank")
    idents = []
    for content in entries(data).values():
        root = etree.fromstring(content)
        idents += [e.get("ident") for e in root.iter() if e.get("ident") and "item" in e.tag]
        idents += [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert idents and all(IDENT.match(ident) for ident in idents)
    items = [i for i in idents if i.startswith("q_")]
    assert len(items) == len(set(items)) == len(printed("bank"))


def test_rewording_a_question_keeps_every_ident() -> None:
    """Canvas matches a re-imported item by its ident: rewording must not move any."""
    result = checked("bank")
    first = printed("bank")[0]
    reworded = tuple(
        replace(q, ask=q.ask + " (reworded)") if q is first else q for q in result.questions
    )
    sources = tuple(result.bank.sources.values())
    before = items_by_ident(package("bank")[1])
    context = BuildContext(reworded, BuildOptions(), lambda n: None, sources, result.bank.pools)
    after = items_by_ident(next(iter(CANVAS.render(context).values())))
    assert sorted(before) == sorted(after)
    changed = [i for i in before if etree.tostring(before[i][1]) != etree.tostring(after[i][1])]
    assert changed == [question_ident(first.id)]


def test_one_assessment_per_deck_with_its_settings() -> None:
    _, data = package("bank")
    contents = entries(data)
    decks = sorted({q.deck for q in checked("bank").questions})
    metas = [etree.fromstring(v) for k, v in contents.items() if k.endswith("assessment_meta.xml")]
    assert sorted(m.findtext("c:title", namespaces=C) for m in metas) == decks
    for meta in metas:
        title = meta.findtext("c:title", namespaces=C)
        points = sum(q.question.points for q in printed("bank") if q.deck == title)
        if title == DECK:  # its two courts are a pool of pick 1: a student answers one
            points -= 1
        assert meta.findtext("c:points_possible", namespaces=C) == str(points)
    manifest = etree.fromstring(contents["imsmanifest.xml"])
    resources = manifest.findall("m:resources/m:resource", M)
    assert len(resources) == 2 * len(decks)


def test_a_question_not_printed_stays_out() -> None:
    hidden = [q for q in checked("bank").questions if not q.question.printed]
    assert hidden
    items = items_by_ident(package("bank")[1])
    assert not [q.id for q in hidden if question_ident(q.id) in items]


def test_a_pool_is_a_question_group_that_draws_pick_questions() -> None:
    _, data = package("bank")
    [assessment] = [
        etree.fromstring(content)
        for name, content in entries(data).items()
        if name.endswith(".xml") and b'<section ident="g_epstein-courts"' in content
    ]
    [group] = assessment.iterfind(".//q:section[@ident='g_epstein-courts']", Q)
    assert (
        group.findtext("q:selection_ordering/q:selection/q:selection_number", namespaces=Q) == "1"
    )
    points = ".//q:selection_extension/q:points_per_item"
    assert group.findtext(points, namespaces=Q) == "1"
    pooled = sorted(q.id for q in printed("bank") if q.question.pool == "epstein-courts")
    assert len(pooled) == 2
    assert sorted(item.get("title") for item in group.iterfind("q:item", Q)) == pooled
    # The letters pool: each deck holds one of its questions, so each quiz asks it whole.
    assert b'ident="g_letters"' not in data


def test_rebuilds_are_byte_identical_and_zip_entries_carry_no_clock() -> None:
    _, first = package("bank")
    _, second = package("bank")
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_STORED


def test_the_committed_package_is_what_the_bank_builds() -> None:
    from lms_helpers import ROOT

    name, data = package("bank")
    assert (ROOT / "decks" / name).read_bytes() == data
