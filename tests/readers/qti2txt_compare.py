"""Read decks/quizgen.canvas-qti.zip with qti2txt, a reader of Canvas's own QTI exports,
and compare every question, its key and its evidence with the bank.

qti2txt needs Python 3.13 or newer, the suite runs on 3.11, so .ci/run installs it in a
venv of its own (requirements/qti2txt.txt) and runs, from the test venv:

    python tests/readers/qti2txt_compare.py PATH/TO/qti2txt [PACKAGE]

It exits 0 when every question reads back, 1 with each difference otherwise. qti2txt turns
HTML into Markdown (html2text), so texts are compared without Markdown's bold marks and
with no white space; the real bank has no text that Markdown would read
as markup (the hostile bank does, and is read back with lxml in tests/test_canvas_qti.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from generator import api  # noqa: E402
from generator.bank.model import QuestionType  # noqa: E402
from generator.outputs.evidence import evidence_of  # noqa: E402
from generator.outputs.lms import PoolGroup, deck_entries  # noqa: E402

PACKAGE = ROOT / "decks" / "quizgen.canvas-qti.zip"
QUESTION = re.compile(r"^\d+\.\s+(.*)$")


def plain(text: str) -> str:
    # html2text moves spaces around bold text and ellipses ("hold. ..." → "hold...."), so
    # texts are compared with no white space at all.
    return "".join(text.replace("**", "").replace("\\", "").split())


def read_quizzes(qti2txt: str, package: Path) -> dict[str, list[dict[str, object]]]:
    """qti2txt's text files, as {quiz title: [{text, keys, options, pairs, feedback}]}."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([qti2txt, "-f", str(package), "-o", out], check=True, capture_output=True)
        quizzes = {}
        for path in sorted(Path(out).glob("*.txt")):
            lines = path.read_text("utf-8").splitlines()
            title = lines[0].removeprefix("Quiz title: ")
            questions: list[dict[str, object]] = []
            for line in lines[1:]:
                if match := QUESTION.match(line):
                    questions.append({"text": match[1], "keys": [], "options": [], "pairs": []})
                elif not questions or not line.strip():
                    continue
                elif line.startswith("... "):
                    questions[-1]["feedback"] = line[4:]
                elif line.startswith("m. "):
                    questions[-1]["pairs"].append(tuple(line[3:].split(" -> ", 1)))
                elif match := re.match(r"^(\*?)[a-z]\) (.*)$", line):
                    questions[-1]["options"].append(match[2])
                    if match[1]:
                        questions[-1]["keys"].append(match[2])
                elif line.startswith("* "):
                    questions[-1]["keys"].append(line[2:])
            quizzes[title] = questions
        return quizzes


def differences(qti2txt: str, package: Path = PACKAGE) -> list[str]:
    result = api.check_bank((ROOT / "questions",), ROOT / "seeds", ROOT / "decks", None)
    quizzes = read_quizzes(qti2txt, package)
    found = []
    decks: dict[str, list] = {}
    # A Canvas quiz asks what the printed quiz asks: `printed: false` stays in Anki, and a
    # pool is a question group of which qti2txt, like a Canvas export, writes the first pick.
    for deck, entries in deck_entries(result.questions, result.bank.pools).items():
        decks[deck] = [
            question
            for entry in entries
            for question in (
                entry.questions[: entry.pick] if isinstance(entry, PoolGroup) else (entry,)
            )
        ]
    if sorted(quizzes) != sorted(decks):
        return [f"quizzes {sorted(quizzes)} are not the decks {sorted(decks)}"]
    for deck, questions in decks.items():
        # qti2txt writes a group's questions after the quiz's others: match them by the id
        # that ends each one's feedback.
        read = {_id_of(item): item for item in quizzes[deck]}
        if sorted(read) != sorted(q.id for q in questions):
            found.append(f"{deck}: read {sorted(read)}, not {sorted(q.id for q in questions)}")
            continue
        for question in questions:
            found += [f"{question.id}: {d}" for d in compare(question, read[question.id])]
    return found


def _id_of(item: dict[str, object]) -> str:
    match = re.search(r"Question id: (\S+)$", str(item.get("feedback", "")))
    return match[1] if match else "(no id)"


def compare(question, item: dict[str, object]) -> list[str]:
    problems = []
    evidence = evidence_of(question)
    text, keys = plain(item["text"]), [plain(k) for k in item["keys"]]
    if question.type is QuestionType.CLOZE:
        quote = evidence.quotes[0]
        expected_text = _blanked(quote)
        expected_keys = [plain(f"blank{n}: {m}") for n, m in enumerate(quote.marked, 1)]
    elif question.type is QuestionType.MATCH:
        expected_text, expected_keys = plain(question.ask), []
        pairs = [(plain(a), plain(b)) for a, b in item["pairs"]]
        if pairs != [(plain(a), plain(b)) for a, b in question.pairs]:
            problems.append(f"pairs {pairs} are not {list(question.pairs)}")
    elif question.type is QuestionType.TRUEFALSE:
        expected_text, expected_keys = plain(question.statement), [question.answer]
    else:
        expected_text, expected_keys = plain(question.ask), [plain(question.answer)]
    if question.type is QuestionType.CHOICE:
        options = sorted(plain(o) for o in item["options"])
        wanted = [question.answer, *question.wrong, *filter(None, [question.last_option])]
        if options != sorted(plain(o) for o in wanted):
            problems.append(f"options {options} are not {sorted(wanted)}")
    if text != expected_text:
        problems.append(f"text {text!r} is not {expected_text!r}")
    if keys != expected_keys:
        problems.append(f"key {keys} is not {expected_keys}")
    feedback = plain(str(item.get("feedback", "")))
    for quote in evidence.quotes:
        if plain(quote.text) not in feedback:
            problems.append(f"feedback {feedback!r} lacks the quote {quote.text!r}")
    if plain(f"Question id: {question.id}") not in feedback:
        problems.append(f"feedback {feedback!r} lacks the question id")
    return problems


def _blanked(quote) -> str:
    parts, number = [], 0
    for piece in quote.pieces:
        if piece.marked:
            number += 1
            parts.append(f"[blank{number}]")
        else:
            parts.append(piece.text)
    return plain("".join(parts))


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    problems = differences(sys.argv[1], Path(sys.argv[2]) if len(sys.argv) == 3 else PACKAGE)
    for problem in problems:
        print(problem)
    print(f"qti2txt: {len(problems)} differences" if problems else "qti2txt: all read back")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
