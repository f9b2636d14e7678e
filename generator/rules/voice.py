"""Borrowed voice: a question that prints someone else's words as if they were the article's.

Articles quote people. A question built on a quotation ("Penalizing communities
… is counter-productive") that does not say who said it credits the words to the
author. The rule, kept simple enough to predict:

- **Someone else's words** are: text inside quotation marks of 5 words or more
  (shorter quoted text is a term or a scare quote: “sanctuary city”); text
  after "said", "says" or "saying" to the end of its sentence (or the text
  before it, when the sentence ends "…, Stodder said."); text after "according
  to X," to the end of its sentence; and a paragraph that follows one ending in
  a colon ("agreed, saying:") or in "said." (a block quotation).
- **The speaker** is named by the attribution: the capitalised names in the
  words before "said", "told", "wrote", "explained", "asked", "added" and the
  like, in the same clause (or just after it: "said Sessions"); the name after
  "according to"; for a block quotation, the names in the sentence that
  introduces it. "he said" and "she explained" take the speaker named last.
- A question **borrows a voice** when what it tests lies in one speaker's
  words: the answer of a short or choice question, the value a true/false
  statement is judged by, both sides of a matching pair, or, for a cloze, which
  prints its quote, more than half of the quote. It must then name the speaker
  in what it prints (its ask, statement, options or pairs; a cloze's quote):
  the whole name, its last word ("Stodder" for "Seth Stodder"), or the title
  the attribution gives ("spokesman", "the judge").

Words whose attribution names nobody by a capitalised name ("multiple court
rulings have said") are left alone: there is no name to ask for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..bank.model import Fact, Problem, Severity, SourcedQuestion
from ..bank.sources import Article, QuoteMatch
from ..bank.text import find_word, normalise
from .attribution import Voice, voices
from .spots import overlap, where


def borrowed(article: Article, match: QuoteMatch) -> Voice | None:
    """The speaker whose words hold more than half of the quote, if the article names one."""
    length = sum(end - start for start, end in match.spans)
    best = max(voices(article), key=lambda voice: overlap(match, voice.stretch), default=None)
    if best is None or not best.speakers or 2 * overlap(match, best.stretch) <= length:
        return None
    return best


def tested_voice(article: Article, match: QuoteMatch, tested: Sequence[str]) -> Voice | None:
    """The speaker in whose words all the tested texts lie, found where the quote lies.

    With no tested text (a cloze prints its whole quote), the quote's own voice.
    """
    spoken = voices(article)
    if not spoken:
        return None
    if not tested:
        return borrowed(article, match)
    paragraph = article.normalised_paragraphs[match.paragraph]
    found: Voice | None = None
    for text in tested:
        needle = normalise(text)
        position = next(
            (
                p
                for start, end in match.spans
                if (p := find_word(paragraph, needle, start)) != -1 and p + len(needle) <= end
            ),
            -1,
        )
        if position == -1:
            return borrowed(article, match)  # a number written otherwise: judge the quote
        here = next(
            (
                voice
                for voice in spoken
                if voice.speakers
                and voice.stretch.paragraph == match.paragraph
                and voice.stretch.normal_start <= position < voice.stretch.normal_end
            ),
            None,
        )
        if here is None:
            return None
        found = found or here
    return found


def tested_texts(question: SourcedQuestion) -> Iterator[tuple[Fact, tuple[str, ...]]]:
    """What each fact of the question tests: the answer, the value, a pair; () for a cloze."""
    kind = question.type.value
    for index, evidence in enumerate(question.evidence):
        if kind == "cloze":
            yield evidence.fact, ()
        elif kind == "truefalse":
            yield evidence.fact, (evidence.fact.value,)
        elif kind == "match":
            yield evidence.fact, question.pairs[index]
        else:
            yield evidence.fact, (question.answer,)


def names_speaker(question: SourcedQuestion, fact: Fact, voice: Voice) -> bool:
    """Whether the question's printed text names one of the voice's speakers.

    A name counts whole or by its last word ("Stodder" for "Seth Stodder"); a
    common noun ("judge", "spokesman") counts in the singular or plural.
    """
    texts = [question.ask, question.statement, question.answer, *question.wrong]
    texts += [side for pair in question.pairs for side in pair]
    if question.last_option:
        texts.append(question.last_option)
    if question.type.value == "cloze":
        texts.append(fact.quote)
    printed = " \n ".join(texts)
    folded = normalise(printed)
    for name in voice.speakers:
        if name.islower():
            if re.search(rf"\b{re.escape(name)}(?:s|es)?\b", folded):
                return True
            continue
        if find_word(folded, normalise(name)) != -1:
            return True
        surname = name.split()[-1]
        if len(surname) >= 3 and re.search(rf"(?<!\w){re.escape(surname)}(?!\w)", printed):
            return True
    return False


def unnamed_voice(question: SourcedQuestion, fact: Fact, article: Article, voice: Voice) -> Problem:
    speaker = voice.speakers[0]
    if speaker.islower():
        speaker = f"the {speaker}"
    if question.type.value == "cloze":
        how = "quote the words that name them too"
    else:
        how = f"name {speaker!r} (or the title the article gives them) in the question"
    return Problem(
        question.question.location,
        f"question '{question.id}': it tests words of '{fact.id}' that the article attributes "
        f"to {speaker!r} ({where(article, voice.stretch)}), and it does not say whose they "
        f"are: {how}, so students don't take them for the article's own",
        Severity.WARNING,
    )
