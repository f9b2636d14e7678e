"""Checked questions → a Canvas QTI 1.2 package (.zip), byte for byte reproducible.

Layout: `quizgen build` writes `quizgen.canvas-qti.zip` with one assessment (a Canvas
quiz) per deck; `quizgen build --deck NAME` writes `quizgen-<slug>.canvas-qti.zip`. A quiz
asks what the deck's printed quiz asks (lms.py): no `printed: false` question, and a pool
as a question group from which Canvas draws `pick` questions for each student.

The package has the shape Canvas writes when it exports a quiz as QTI, which is the
shape its importer reads best (lib/cc/qti in canvas-lms): `imsmanifest.xml`, and per
assessment `<ident>/<ident>.xml` (the questions) and `<ident>/assessment_meta.xml` (the
quiz's settings), tied together by a manifest dependency. Each item says its kind in
`question_type` metadata, its worth in `points_possible`, and carries the evidence as
its `general_fb` feedback, which Canvas shows after the quiz is handed in.

Idents are what Canvas matches a re-imported item by, so they come from the question
ids alone (`q_<id>`; ids are lower-case letters, digits and hyphens) and the assessment
idents from the deck names: rewording a question keeps its ident, and adding one moves
no other.

Every text is untrusted. Characters that XML 1.0 cannot hold are dropped; lxml escapes
the rest for XML; text shown as HTML (question text, feedback) is HTML-escaped first,
so `<script>` reaches the student as the characters `<script>`. Answers, match sides
and blanks are `text/plain`, which Canvas stores as text and escapes when it shows it.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import lxml.etree as etree

from ..bank.model import QuestionType, SourcedQuestion
from ..paths import deck_slug, package_file
from .base import BuildContext
from .evidence import evidence_of
from .lms import (
    Entry,
    PoolGroup,
    deck_entries,
    feedback_html,
    html_text,
    points_of,
    shuffled,
    xml_text,
)

SUFFIX = ".canvas-qti.zip"
IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
MANIFEST_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Resource types of Canvas's own QTI export (CC::CCHelper): the questions, and the
# "learning application resource" that holds assessment_meta.xml.
QTI_ASSESSMENT_TYPE = "imsqti_xmlv1p2"
LOR_TYPE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"

# No clock in the package: zip entries carry the earliest date a zip can hold. Entries
# are stored, not deflated: compressed bytes can differ between zlib builds.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_UNIX = 3

TYPE_NAMES = {
    QuestionType.SHORT: "short_answer_question",
    QuestionType.CHOICE: "multiple_choice_question",
    QuestionType.TRUEFALSE: "true_false_question",
    QuestionType.MATCH: "matching_question",
    QuestionType.CLOZE: "fill_in_multiple_blanks_question",
}
TRUE_FALSE = ("True", "False")


def question_ident(question_id: str) -> str:
    return f"q_{question_id}"


def assessment_idents(decks: Iterable[str]) -> dict[str, str]:
    """Each deck's assessment ident: `d_<slug>`, with a hash of the name where slugs collide."""
    names = sorted(set(decks))
    slugs = {deck: deck_slug(deck).replace("--", ".") for deck in names}
    taken: dict[str, int] = {}
    for slug in slugs.values():
        taken[slug] = taken.get(slug, 0) + 1
    idents = {}
    for deck, slug in slugs.items():
        if taken[slug] > 1:
            slug += "_" + hashlib.sha256(deck.encode("utf-8")).hexdigest()[:8]
        idents[deck] = f"d_{slug}"
    return idents


def render(context: BuildContext) -> dict[str, bytes]:
    by_deck = deck_entries(context.questions, context.pools)
    idents = assessment_idents(by_deck)
    entries: dict[str, bytes] = {}
    for deck, asked in by_deck.items():
        ident = idents[deck]
        entries[f"{ident}/{ident}.xml"] = _serialise(_assessment(ident, deck, asked))
        entries[f"{ident}/assessment_meta.xml"] = _serialise(_meta(ident, deck, asked))
    entries["imsmanifest.xml"] = _serialise(_manifest(sorted(idents.values())))
    return {package_file(context.options.package, SUFFIX, context.options.deck): _zip(entries)}


# --- the package: manifest, quiz settings, zip -------------------------------------------


def _manifest(idents: Sequence[str]) -> etree._Element:
    root = etree.Element(
        f"{{{MANIFEST_NS}}}manifest", nsmap={None: MANIFEST_NS}, identifier="quizgen_qti_export"
    )
    metadata = _sub(root, "metadata", MANIFEST_NS)
    _sub(metadata, "schema", MANIFEST_NS, "IMS Content")
    _sub(metadata, "schemaversion", MANIFEST_NS, "1.1.3")
    _sub(root, "organizations", MANIFEST_NS)
    resources = _sub(root, "resources", MANIFEST_NS)
    for ident in idents:
        questions = _sub(resources, "resource", MANIFEST_NS)
        questions.set("identifier", ident)
        questions.set("type", QTI_ASSESSMENT_TYPE)
        _sub(questions, "file", MANIFEST_NS).set("href", f"{ident}/{ident}.xml")
        _sub(questions, "dependency", MANIFEST_NS).set("identifierref", f"{ident}_meta")
        meta = _sub(resources, "resource", MANIFEST_NS)
        meta.set("identifier", f"{ident}_meta")
        meta.set("type", LOR_TYPE)
        meta.set("href", f"{ident}/assessment_meta.xml")
        _sub(meta, "file", MANIFEST_NS).set("href", f"{ident}/assessment_meta.xml")
    return root


def _meta(ident: str, deck: str, asked: Sequence[Entry]) -> etree._Element:
    root = etree.Element(f"{{{CANVAS_NS}}}quiz", nsmap={None: CANVAS_NS, "xsi": XSI})
    root.set(
        f"{{{XSI}}}schemaLocation", f"{CANVAS_NS} https://canvas.instructure.com/xsd/cccv1p0.xsd"
    )
    root.set("identifier", ident)
    settings = {
        "title": xml_text(deck),
        "description": "<p>Built by quizgen. After handing in, each answer shows the quote "
        "from the article that proves it.</p>",
        # The options are already in a fixed, shuffled order (a true/false stays True, False).
        "shuffle_answers": "false",
        "scoring_policy": "keep_highest",
        "quiz_type": "assignment",
        "points_possible": str(points_of(asked)),
        "show_correct_answers": "true",
        "available": "false",
    }
    for name, value in settings.items():
        _sub(root, name, CANVAS_NS, value)
    return root


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.create_system = _UNIX
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def _serialise(root: etree._Element) -> bytes:
    # Items are built apart and appended: drop the declarations they repeat.
    etree.cleanup_namespaces(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, tag: str, namespace: str, text: str | None = None):
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}")
    if text is not None:
        element.text = text
    return element


# --- the questions ------------------------------------------------------------------------


def _assessment(ident: str, deck: str, asked: Sequence[Entry]) -> etree._Element:
    root = etree.Element(f"{{{QTI_NS}}}questestinterop", nsmap={None: QTI_NS, "xsi": XSI})
    root.set(
        f"{{{XSI}}}schemaLocation", f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
    )
    assessment = _q(root, "assessment", ident=ident, title=xml_text(deck))
    metadata = _q(assessment, "qtimetadata")
    _field(metadata, "cc_maxattempts", "1")
    section = _q(assessment, "section", ident="root_section")
    for entry in asked:
        if isinstance(entry, PoolGroup):
            section.append(_group(entry))
        else:
            section.append(_item(entry))
    return root


def _group(group: PoolGroup) -> etree._Element:
    """A pool as Canvas's question group: each student gets `pick` of its questions."""
    section = _q(None, "section", ident=f"g_{group.pool}", title=xml_text(group.pool))
    selection = _q(_q(section, "selection_ordering"), "selection")
    _q(selection, "selection_number").text = str(group.pick)
    extension = _q(selection, "selection_extension")
    _q(extension, "points_per_item").text = str(group.points)
    for question in group.questions:
        section.append(_item(question))
    return section


@dataclass(frozen=True)
class _Body:
    """What an item asks (HTML) and how its responses are offered and scored."""

    text_html: str
    responses: tuple[etree._Element, ...]
    conditions: tuple[etree._Element, ...]


def _item(question: SourcedQuestion) -> etree._Element:
    item = _q(None, "item", ident=question_ident(question.id), title=question.id)
    metadata = _q(_q(item, "itemmetadata"), "qtimetadata")
    _field(metadata, "question_type", TYPE_NAMES[question.type])
    _field(metadata, "points_possible", str(question.question.points))
    body = _BODIES[question.type](question)
    presentation = _q(item, "presentation")
    _mattext(_q(presentation, "material"), f"<div>{body.text_html}</div>", html_type=True)
    presentation.extend(body.responses)
    processing = _q(item, "resprocessing")
    _q(
        _q(processing, "outcomes"),
        "decvar",
        maxvalue="100",
        minvalue="0",
        varname="SCORE",
        vartype="Decimal",
    )
    # As Canvas writes it: the general feedback is shown whatever the answer.
    shown = _q(processing, "respcondition", **{"continue": "Yes"})
    _q(_q(shown, "conditionvar"), "other")
    _q(shown, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    processing.extend(body.conditions)
    feedback = _q(_q(item, "itemfeedback", ident="general_fb"), "flow_mat")
    _mattext(_q(feedback, "material"), feedback_html(evidence_of(question)), html_type=True)
    return item


def _short(question: SourcedQuestion) -> _Body:
    response = _q(None, "response_str", ident="response1", rcardinality="Single")
    _q(_q(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    return _Body(
        html_text(question.ask),
        (response,),
        (_full_score("response1", xml_text(question.answer)),),
    )


def _choice(question: SourcedQuestion) -> _Body:
    options = shuffled(question.id, [question.answer, *question.wrong])
    if question.last_option is not None:
        options.append(question.last_option)
    return _single_choice(html_text(question.ask), options, options.index(question.answer))


def _truefalse(question: SourcedQuestion) -> _Body:
    return _single_choice(
        html_text(question.statement), list(TRUE_FALSE), TRUE_FALSE.index(question.answer)
    )


def _single_choice(text: str, options: Sequence[str], answer: int) -> _Body:
    response = _q(None, "response_lid", ident="response1", rcardinality="Single")
    choices = _q(response, "render_choice")
    for number, option in enumerate(options, 1):
        _mattext(_q(_q(choices, "response_label", ident=f"a{number}"), "material"), option)
    return _Body(text, (response,), (_full_score("response1", f"a{answer + 1}"),))


def _match(question: SourcedQuestion) -> _Body:
    rights = shuffled(question.id, sorted({right for _, right in question.pairs}))
    match_ident = {right: f"m{number}" for number, right in enumerate(rights, 1)}
    responses, conditions = [], []
    share = f"{100 / len(question.pairs):.2f}"
    for number, (left, right) in enumerate(question.pairs, 1):
        response = _q(None, "response_lid", ident=f"response_p{number}")
        _mattext(_q(response, "material"), left)
        choices = _q(response, "render_choice")
        for option in rights:
            label = _q(choices, "response_label", ident=match_ident[option])
            _mattext(_q(label, "material"), option)
        responses.append(response)
        conditions.append(_added_score(f"response_p{number}", match_ident[right], share))
    return _Body(html_text(question.ask), tuple(responses), tuple(conditions))


def _cloze(question: SourcedQuestion) -> _Body:
    quote = evidence_of(question).quotes[0]
    if not quote.marked:
        # check.py proves the value is in the quote, so this is a bug, not bad input.
        raise ValueError(f"question {question.id!r}: its value is not marked in its quote")
    text, responses, conditions = [], [], []
    share = f"{100 / len(quote.marked):.2f}"
    for piece in quote.pieces:
        if not piece.marked:
            text.append(html_text(piece.text))
            continue
        blank = f"blank{len(responses) + 1}"
        text.append(f"[{blank}]")
        response = _q(None, "response_lid", ident=f"response_{blank}")
        _mattext(_q(response, "material"), blank)
        label = _q(_q(response, "render_choice"), "response_label", ident=f"{blank}_a1")
        _mattext(_q(label, "material"), piece.text)
        responses.append(response)
        conditions.append(_added_score(f"response_{blank}", f"{blank}_a1", share))
    return _Body("".join(text), tuple(responses), tuple(conditions))


_BODIES = {
    QuestionType.SHORT: _short,
    QuestionType.CHOICE: _choice,
    QuestionType.TRUEFALSE: _truefalse,
    QuestionType.MATCH: _match,
    QuestionType.CLOZE: _cloze,
}


def _full_score(respident: str, value: str) -> etree._Element:
    condition = _q(None, "respcondition", **{"continue": "No"})
    _q(_q(condition, "conditionvar"), "varequal", respident=respident).text = value
    _q(condition, "setvar", action="Set", varname="SCORE").text = "100"
    return condition


def _added_score(respident: str, value: str, share: str) -> etree._Element:
    condition = _q(None, "respcondition")
    _q(_q(condition, "conditionvar"), "varequal", respident=respident).text = value
    _q(condition, "setvar", action="Add", varname="SCORE").text = share
    return condition


def _q(parent: etree._Element | None, tag: str, **attributes: str) -> etree._Element:
    """A QTI element, appended to parent unless parent is None."""
    name = f"{{{QTI_NS}}}{tag}"
    if parent is None:
        return etree.Element(name, attributes, nsmap={None: QTI_NS})
    return etree.SubElement(parent, name, attributes)


def _field(metadata: etree._Element, label: str, entry: str) -> None:
    field = _q(metadata, "qtimetadatafield")
    _q(field, "fieldlabel").text = label
    _q(field, "fieldentry").text = entry


def _mattext(material: etree._Element, text: str, *, html_type: bool = False) -> None:
    kind = "text/html" if html_type else "text/plain"
    _q(material, "mattext", texttype=kind).text = text if html_type else xml_text(text)
