"""The five Anki note types, one per question type, defined here once and for all.

Anki matches an imported note type by id, then compares the *names* of its fields and
templates. If they differ and the student imports with default options, Anki makes a second
note type ("quizgen Short answer+") and leaves every existing note unchanged as a conflict.
So the ids, field names and template names below are permanent: tests/test_anki.py freezes
them. HTML and CSS may change freely; a changed note type gets a newer mod and Anki updates
it in place. New content goes into an existing field (Extra is kept empty for that), never
into a new one.

This module is plain data, so it can be read without importing genanki.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...bank.model import QuestionType

# A match question is one note with a card per pair; cards come from templates, so the number
# of pairs a note can hold is fixed. Raising it adds fields, which forks students' note types.
MAX_PAIRS = 12

# Every card is wrapped in <div class="quizgen TYPE">. Colours are variables so night mode
# (.nightMode on Anki desktop and iOS, .night_mode on AnkiDroid) only swaps the palette.
CSS = """\
.card {
  --text: #1b1b1b;
  --muted: #5b5b5b;
  --background: #fdfdfb;
  --accent: #1d5fa8;
  --mark: #ffe98a;
  --mark-text: #1b1b1b;
  --rule: #d0d0c8;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
  font-size: 1.2em;
  line-height: 1.5;
  color: var(--text);
  background-color: var(--background);
  text-align: left;
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}
.card.nightMode, .nightMode .card, .card.night_mode, .night_mode .card {
  --text: #e6e6e6;
  --muted: #a8a8a8;
  --background: #1f1f1f;
  --accent: #8cbcf5;
  --mark: #6b5a10;
  --mark-text: #fff6cc;
  --rule: #4a4a4a;
}
.quizgen {
  max-width: 36em;
  margin: 0 auto;
  padding: 0.5em 0.75em 1em;
  overflow-wrap: break-word;
}
.quizgen .kind {
  font-size: 0.75em;
  letter-spacing: 0.05em;
  text-transform: uppercase;
  color: var(--muted);
  margin-bottom: 0.4em;
}
.quizgen .question { font-weight: 600; }
.quizgen .options { margin-top: 0.75em; }
.quizgen .option { margin: 0.35em 0; padding-left: 1.8em; text-indent: -1.8em; }
.quizgen .letter {
  display: inline-block;
  min-width: 1.8em;
  text-indent: 0;
  font-weight: 700;
  color: var(--accent);
}
.quizgen .pair { margin-top: 0.75em; font-size: 1.1em; }
.quizgen .answer { font-size: 1.1em; font-weight: 700; color: var(--accent); margin: 0.5em 0; }
.quizgen .evidence {
  margin: 0.75em 0 0.5em;
  padding: 0.1em 0 0.1em 0.8em;
  border-left: 0.25em solid var(--rule);
  font-style: italic;
}
.quizgen mark {
  background-color: var(--mark);
  color: var(--mark-text);
  font-style: normal;
  padding: 0 0.1em;
  border-radius: 0.15em;
}
.quizgen .citation, .quizgen .from { font-size: 0.85em; color: var(--muted); }
.quizgen .extra { margin-top: 0.75em; font-size: 0.9em; }
.quizgen .qid { margin-top: 1.5em; font-size: 0.7em; color: var(--muted); }
.quizgen .cloze { font-weight: 700; color: var(--accent); font-style: normal; }
.quizgen .text { font-style: italic; }
hr#answer { border: 0; border-top: 1px solid var(--rule); margin: 1em 0; }
"""

# The back of every card ends the same way: the quote that proves the answer, its article,
# the optional Extra, and the question id so students can tell the teacher which card is wrong.
_EVIDENCE = """\
<blockquote class="evidence">{{Quote}}</blockquote>
<div class="citation">{{Citation}}</div>
{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}
<div class="qid">{{QuestionId}}</div>
</div>"""

_COMMON_TAIL = ("Quote", "Citation", "SourceId", "Extra")


@dataclass(frozen=True)
class Template:
    name: str
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    """One Anki note type: id, names and sort field are permanent; HTML and CSS are not."""

    kind: QuestionType
    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    css: str = CSS
    is_cloze: bool = False
    sort_field: str = "QuestionId"

    @property
    def sort_field_index(self) -> int:
        return self.fields.index(self.sort_field)


def _card(kind: QuestionType, label: str, front_body: str, back_body: str) -> Template:
    """A template whose back repeats the front, then the answer, then the evidence."""
    front = f'<div class="quizgen {kind}">\n<div class="kind">{label}</div>\n{front_body}\n</div>'
    back = (
        f'<div class="quizgen {kind}">\n<div class="kind">{label}</div>\n{front_body}\n'
        f'<hr id="answer">\n{back_body}\n{_EVIDENCE}'
    )
    return Template("Card", front, back)


SHORT = NoteType(
    kind=QuestionType.SHORT,
    id=1_698_201_101,
    name="quizgen Short answer",
    fields=("QuestionId", "Question", "Answer", *_COMMON_TAIL),
    templates=(
        _card(
            QuestionType.SHORT,
            "Short answer",
            '<div class="question">{{Question}}</div>',
            '<div class="answer">{{Answer}}</div>',
        ),
    ),
)

CHOICE = NoteType(
    kind=QuestionType.CHOICE,
    id=1_698_201_102,
    name="quizgen Multiple choice",
    fields=("QuestionId", "Question", "Options", "Answer", *_COMMON_TAIL),
    templates=(
        _card(
            QuestionType.CHOICE,
            "Multiple choice",
            '<div class="question">{{Question}}</div>\n<div class="options">{{Options}}</div>',
            '<div class="answer">{{Answer}}</div>',
        ),
    ),
)

TRUEFALSE = NoteType(
    kind=QuestionType.TRUEFALSE,
    id=1_698_201_103,
    name="quizgen True or false",
    fields=("QuestionId", "Statement", "Answer", *_COMMON_TAIL),
    templates=(
        _card(
            QuestionType.TRUEFALSE,
            "True or false?",
            '<div class="question">{{Statement}}</div>',
            '<div class="answer">{{Answer}}</div>',
        ),
    ),
)

# Anki's cloze mechanism: one card per {{cN::…}} in Text. The quote is the text; the back shows
# it with the deletion filled in, so the Quote field is kept for search and export only.
CLOZE = NoteType(
    kind=QuestionType.CLOZE,
    id=1_698_201_104,
    name="quizgen Cloze",
    fields=("QuestionId", "Text", *_COMMON_TAIL),
    templates=(
        Template(
            "Cloze",
            '<div class="quizgen cloze">\n<div class="kind">Fill in the blank</div>\n'
            '<div class="text">{{cloze:Text}}</div>\n'
            '<div class="from">From {{Citation}}</div>\n</div>',
            '<div class="quizgen cloze">\n<div class="kind">Fill in the blank</div>\n'
            '<div class="text">{{cloze:Text}}</div>\n<hr id="answer">\n'
            '<div class="citation">{{Citation}}</div>\n'
            '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}\n'
            '<div class="qid">{{QuestionId}}</div>\n</div>',
        ),
    ),
    is_cloze=True,
)


def _pair_fields() -> tuple[str, ...]:
    names: list[str] = []
    for number in range(1, MAX_PAIRS + 1):
        names += [f"Left{number}", f"Right{number}", f"Quote{number}"]
    return tuple(names)


def _pair_template(number: int) -> Template:
    # Anki makes a card only when the front renders something, so {{#LeftN}} means
    # "a card for pair N if the question has that many pairs".
    left, right, quote = f"Left{number}", f"Right{number}", f"Quote{number}"
    prompt = (
        f'<div class="question">{{{{Question}}}}</div>\n<div class="pair">{{{{{left}}}}} → ?</div>'
    )
    head = '<div class="quizgen match">\n<div class="kind">Match</div>\n'
    front = f"{{{{#{left}}}}}\n{head}{prompt}\n</div>\n{{{{/{left}}}}}"
    back = (
        f"{{{{#{left}}}}}\n{head}{prompt}\n"
        f'<hr id="answer">\n<div class="answer">{{{{{left}}}}} → {{{{{right}}}}}</div>\n'
        f'<blockquote class="evidence">{{{{{quote}}}}}</blockquote>\n'
        '<div class="citation">{{Citation}}</div>\n'
        '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}\n'
        '<div class="qid">{{QuestionId}}</div>\n</div>\n'
        f"{{{{/{left}}}}}"
    )
    return Template(f"Pair {number}", front, back)


# The Quote field of a match note holds every pair's quote; QuoteN holds pair N's alone.
MATCH = NoteType(
    kind=QuestionType.MATCH,
    id=1_698_201_105,
    name="quizgen Match",
    fields=("QuestionId", "Question", *_pair_fields(), *_COMMON_TAIL),
    templates=tuple(_pair_template(number) for number in range(1, MAX_PAIRS + 1)),
)

NOTE_TYPES: dict[QuestionType, NoteType] = {
    note_type.kind: note_type for note_type in (SHORT, CHOICE, CLOZE, MATCH, TRUEFALSE)
}
