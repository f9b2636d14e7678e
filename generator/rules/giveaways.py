"""Printed quizzes: a question must not print another question's answer.

In Anki each card is seen alone, but a printed quiz puts questions on one sheet:
a true statement that says "$4 billion" answers the short question "How much?",
and so does a choice question that offers "$4 billion" as a wrong option. Each
answer (a short or choice answer, a cloze's blank, and the value that makes a
false statement false) is looked for in everything the other printed questions
show: their asks and statements as printed, every option, both sides of every
pair, and a cloze's quote around its blank. Each deck's quiz holds its deck's
printed questions, and the all-decks quiz holds them all, so the sheet to search
is the whole printed bank; the warning says which quiz gives the answer away.
The ways out: reword, or mark one question `printed: false` (it stays in Anki).
Two questions of one pool with `pick: 1` never share a sheet (each version draws
one of them), so neither can give the other away.

Every question's text is scanned once. Answers are indexed by their rarest
word, so a text looks up only the answers that share a word with it, and the
cost grows with the bank, not with its square.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence

from ..bank.model import Pool, Problem, QuestionType, Severity, SourcedQuestion
from ..bank.text import find_word, normalise_answer

_WORD = re.compile(r"\w+")
# One-word answers that any text may print without giving anything away.
_COMMON = frozenset(
    ("nothing", "none", "all", "no", "yes", "not", "every", "some", "any", "never", "always")
)
# A bare number is given away by that number, not by "$4 billion" or "4.5%".
_BARE_NUMBER = re.compile(r"\d+")


def printed_giveaways(
    questions: Sequence[SourcedQuestion], pools: Mapping[str, Pool] | None = None
) -> list[Problem]:
    printed = [question for question in questions if question.question.printed]
    apart = _never_together(pools or {})
    # Piece by piece: options and pairs are short, and check has put them in answer form.
    texts = [" \n ".join(map(normalise_answer, _shown_strings(question))) for question in printed]
    text_words = [_WORD.findall(text) for text in texts]
    by_word = _answers_by_key(printed, text_words)
    keys = by_word.keys()
    problems: list[Problem] = _rival_statements(printed, apart)
    for shown_in, text, words in zip(printed, texts, text_words, strict=True):
        if keys.isdisjoint(words):
            continue  # most questions: no answer's key word is even printed
        for word in keys & set(words):
            for given_away, answer in by_word[word]:
                if (
                    given_away is not shown_in
                    and not apart(given_away, shown_in)
                    and _prints(text, answer)
                ):
                    problems.append(_warning(given_away, shown_in, answer))
    return problems


def _answers_by_key(
    printed: list[SourcedQuestion], text_words: list[list[str]]
) -> dict[str, list[tuple[SourcedQuestion, str]]]:
    """Each answer under the word of it that the printed texts hold least often (the first
    such word on a tie, usually a name).

    A text then looks up only the answers whose key word it prints. How often the
    texts hold a word is estimated from every 16th text, which is enough to tell
    "about" or "the" from a name.
    """
    answers = [(question, answer) for question in printed for answer in _answers(question)]
    words_of = [_WORD.findall(answer) for _, answer in answers]
    common: Counter[str] = Counter()
    for words in text_words[::16]:
        common.update(set(words))
    by_word: dict[str, list[tuple[SourcedQuestion, str]]] = defaultdict(list)
    for item, words in zip(answers, words_of, strict=True):
        if words:
            by_word[min(words, key=common.__getitem__)].append(item)
    return by_word


def _shown_strings(question: SourcedQuestion) -> list[str]:
    """_shown_text without the labels, built fast: it runs for every printed question."""
    texts = [question.ask, question.statement]
    kind = question.question.type
    if kind is QuestionType.CHOICE:
        texts += (question.answer, *question.wrong, question.last_option or "")
    for pair in question.pairs:
        texts += pair
    if kind is QuestionType.CLOZE and question.evidence:
        texts += (text for _, text in _shown_text(question) if _ == "its quote")
    return texts


def _prints(text: str, answer: str) -> bool:
    if not _BARE_NUMBER.fullmatch(answer):
        return find_word(text, answer) != -1
    pattern = rf"(?<![\w$£€.,]){answer}(?![\w%]|[.,]\d)"
    return re.search(pattern, text) is not None


def _never_together(
    pools: Mapping[str, Pool],
) -> Callable[[SourcedQuestion, SourcedQuestion], bool]:
    """Whether two questions can never be on one sheet: one pool, of which a version asks one."""
    single = {pool_id for pool_id, pool in pools.items() if pool.pick == 1}

    def apart(one: SourcedQuestion, other: SourcedQuestion) -> bool:
        pool = one.question.pool
        return pool is not None and pool in single and other.question.pool == pool

    return apart


def _rival_statements(
    questions: list[SourcedQuestion], apart: Callable[[SourcedQuestion, SourcedQuestion], bool]
) -> list[Problem]:
    """Two true/false statements about one fact: if they disagree, one answers the other."""
    first: dict[str, SourcedQuestion] = {}
    problems: list[Problem] = []
    for question in questions:
        if question.type is not QuestionType.TRUEFALSE or not question.evidence:
            continue
        fact = question.evidence[0].fact
        earlier = first.setdefault(fact.id, question)
        if earlier is not question and not apart(earlier, question):
            problems.append(
                Problem(
                    question.question.location,
                    f"question '{question.id}': question '{earlier.id}' also makes a statement "
                    f"about fact '{fact.id}', so on {_which_quiz(question, earlier)} each gives "
                    "the other away: reword one, or add 'printed: false' to one (it stays in Anki)",
                    Severity.WARNING,
                )
            )
    return problems


def _answers(question: SourcedQuestion) -> Iterator[str]:
    """What a student must supply or know, in answer form."""
    kind = question.question.type
    if kind is QuestionType.MATCH:
        return  # a match prints all its sides; what it hides is the pairing
    if kind is QuestionType.TRUEFALSE:
        # A true statement prints its own value. A false one is answered by the value
        # it replaced: printed elsewhere, it shows the statement is false.
        if question.answer == "False" and question.evidence:
            value = normalise_answer(question.evidence[0].fact.value)
            if value not in _COMMON:
                yield value
        return
    answer = normalise_answer(question.answer)
    if answer and answer not in _COMMON:
        yield answer


def _shown_text(question: SourcedQuestion) -> Iterator[tuple[str, str]]:
    """Everything the question prints on the students' pages, each with its label."""
    yield "its question", question.ask
    yield "its statement", question.statement
    if question.type is QuestionType.CHOICE:
        yield "an option", question.answer
        for index, wrong in enumerate(question.wrong, start=1):
            yield f"wrong option {index}", wrong
        if question.last_option:
            yield "its last option", question.last_option
    for index, (left, right) in enumerate(question.pairs, start=1):
        yield f"pair {index}", left
        yield f"pair {index}", right
    if question.type is QuestionType.CLOZE and question.evidence:
        evidence = question.evidence[0]
        quote, position = evidence.fact.quote, 0
        for start, end in evidence.highlights:
            yield "its quote", quote[position:start]
            position = max(position, end)
        yield "its quote", quote[position:]


def _where_printed(question: SourcedQuestion, answer: str) -> str:
    """Which of the question's texts prints the answer (the text only, when several do)."""
    for label, text in _shown_text(question):
        if _prints(normalise_answer(text), answer):
            return label
    return "its text"


def _which_quiz(one: SourcedQuestion, other: SourcedQuestion) -> str:
    if one.deck == other.deck:
        return "one printed quiz"
    return "the all-decks quiz"


def _warning(given_away: SourcedQuestion, shown_in: SourcedQuestion, answer: str) -> Problem:
    if given_away.deck == shown_in.deck:
        quiz = "of the same deck, so a printed quiz gives it away"
    else:
        quiz = f"of deck '{shown_in.deck}', so the all-decks quiz gives it away"
    what = (
        "the value that makes it false"
        if given_away.type is QuestionType.TRUEFALSE
        else "its answer"
    )
    return Problem(
        given_away.question.location,
        f"question '{given_away.id}': {what} {answer!r} is printed by question "
        f"'{shown_in.id}' ({_where_printed(shown_in, answer)}) {quiz}: reword one, "
        "or add 'printed: false' to one (it stays in Anki)",
        Severity.WARNING,
    )
