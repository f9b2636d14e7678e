"""Normalisation and matching: the one definition of "this text occurs in that text".

Quotes are matched ignoring only whitespace differences (including a space
before punctuation, as scraped articles have "Chicago ,"), letter case, and
typographic variants (curly quotes, dashes, non-breaking spaces, NFKC), and
invisible characters (soft hyphens, zero-width spaces and joiners).
Values and answers are matched with one more allowance: numbers written as
words equal their digits ("nine" = "9", "tenth" = "10th").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from num2words import num2words

_TYPOGRAPHIC = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    }
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# The typographic marks that NFKC and casefold leave alone and that never combine with a
# neighbour (punctuation and symbols without a decomposition: curly quotes, most dashes).
# A text of ASCII and these folds one character to one, by lower() and the table alone:
# articles and quotes are that text nearly always.
_PLAIN_MARKS = "".join(
    sorted(
        character
        for character in map(chr, _TYPOGRAPHIC)
        if not character.isascii()
        and unicodedata.category(character)[0] in "PS"
        and not unicodedata.decomposition(character)
        and character.casefold() == character
    )
)
_NOT_PLAIN = re.compile(r"[^\x00-\x7f" + re.escape(_PLAIN_MARKS) + "]")
_PLAIN_FOLDS = [(mark, _TYPOGRAPHIC[ord(mark)]) for mark in "`" + _PLAIN_MARKS]
# A space is dropped before these, so "Chicago ," matches "Chicago,".
_CLOSING_PUNCTUATION = frozenset(",.;:!?%)]}")
# "list...." is "list." then an ellipsis: split on the last three dots of a run.
ELLIPSIS = re.compile(r"\s*(?:\.\.\.(?!\.)|…)\s*")


# Text copied from a browser carries characters no reader sees: soft hyphens, zero-width
# spaces, joiners and non-joiners, word joiners, byte-order marks. A quote matches without them.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@lru_cache(maxsize=4096)
def _fold_chunk(chunk: str) -> str:
    # NFKC, then casefold, then NFKC again: casefold can leave text that NFKC
    # changes ("ǰ"), and folding must be idempotent.
    folded = unicodedata.normalize("NFKC", chunk.translate(_INVISIBLE)).casefold()
    return unicodedata.normalize("NFKC", folded).translate(_TYPOGRAPHIC)


def _fold_ascii(text: str) -> str:
    folded = text.lower()
    # The one ASCII character with a typographic fold.
    return folded.replace("`", "'") if "`" in folded else folded


def _fold_plain(text: str) -> str:
    # str.translate() would do, but it looks up every character: this is four times faster.
    folded = text.lower()
    for mark, fold in _PLAIN_FOLDS:
        if mark in folded:
            folded = folded.replace(mark, fold)
    return folded


def _fold_text(text: str) -> str:
    """_fold(text)[0], without the bookkeeping of where each character came from."""
    if text.isascii():
        return _fold_ascii(text)
    if _NOT_PLAIN.search(text) is None:
        return _fold_plain(text)
    return "".join(folded for _, _, folded, _ in _folded_pieces(text))


def _fold(text: str) -> tuple[str, Sequence[int]]:
    if text.isascii():
        return _fold_ascii(text), range(len(text))
    if _NOT_PLAIN.search(text) is None:
        return _fold_plain(text), range(len(text))
    parts: list[str] = []
    origin: list[int] = []
    for start, end, folded, one_to_one in _folded_pieces(text):
        parts.append(folded)
        origin.extend(range(start, end) if one_to_one else [start] * len(folded))
    return "".join(parts), origin


def _folded_pieces(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, folded text, one_to_one) for each piece of text that folds on its own.

    Articles are mostly ASCII with a few curly quotes and dashes: ASCII stretches
    fold whole (NFKC and casefold only lower-case ASCII), and the rest chunk by chunk,
    each chunk a character with its combining marks, mapped to where it starts.
    """
    plain = 0  # where the ASCII text not yet folded begins
    for run in _NON_ASCII.finditer(text):
        start, end = run.span()
        # A combining mark belongs to the chunk of the base character before it.
        first = start - 1 if start and unicodedata.combining(text[start]) else start
        yield plain, first, _fold_ascii(text[plain:first]), True
        chunk_start = first
        for index in range(start + 1, end + 1):
            if index == end or not unicodedata.combining(text[index]):
                yield chunk_start, index, _fold_chunk(text[chunk_start:index]), False
                chunk_start = index
        plain = end
    yield plain, len(text), _fold_ascii(text[plain:]), True


def _squeeze(folded: str, origin: Sequence[int]) -> tuple[str, Sequence[int]]:
    """Collapse whitespace runs to one space, dropping it at the ends and before punctuation."""
    if _squeezed(folded) == folded:
        return folded, origin  # most text: found in C, without walking the runs in Python
    out: list[str] = []
    out_origin: list[int] = []
    position = 0
    # A single space between words stays as it is, so only the other runs are visited.
    for run in _IRREGULAR_WHITESPACE.finditer(folded):
        start, end = run.span()
        out.append(folded[position:start])
        out_origin.extend(origin[position:start])
        position = end
        at_edge = start == 0 or end == len(folded)
        if not at_edge and folded[end] not in _CLOSING_PUNCTUATION:
            out.append(" ")
            out_origin.append(origin[start])
    if not position:
        return folded, origin
    out.append(folded[position:])
    out_origin.extend(origin[position:])
    return "".join(out), out_origin


@dataclass(frozen=True)
class Normalised:
    """Normalised text and, for each of its characters, the index it came from."""

    text: str
    origin: tuple[int, ...]


# The coverage report maps each paragraph again for every fact that quotes it.
@lru_cache(maxsize=256)
def normalise_mapped(text: str) -> Normalised:
    folded, origin = _fold(text)
    squeezed, squeezed_origin = _squeeze(folded, origin)
    return Normalised(squeezed, tuple(squeezed_origin))


def normal_offsets(text: str, offsets: Iterable[int]) -> list[int]:
    """Where each original offset lands in normalise_mapped(text).text (bisect_left of origin).

    The same numbers as bisecting normalise_mapped(text).origin, without mapping every
    character when the text folds one to one (ASCII and plain marks): only the
    irregular whitespace runs that normalising squeezes move an offset.
    """
    if not text.isascii() and _NOT_PLAIN.search(text) is not None:
        origin = normalise_mapped(text).origin
        return [bisect_left(origin, offset) for offset in offsets]
    # Such folding changes no whitespace and makes no closing punctuation, so the runs
    # are found in the text itself.
    runs = []
    for run in _IRREGULAR_WHITESPACE.finditer(text):
        start, end = run.span()
        at_edge = start == 0 or end == len(text)
        kept = not at_edge and text[end] not in _CLOSING_PUNCTUATION
        runs.append((start, end, kept))
    return [_shifted(offset, runs) for offset in offsets]


def _shifted(offset: int, runs: list[tuple[int, int, bool]]) -> int:
    removed = 0
    for start, end, kept in runs:
        if offset <= start:
            break
        if offset < end:
            return start - removed + kept
        removed += end - start - kept
    return offset - removed


def normalise(text: str) -> str:
    """The normalised form used to compare quotes with articles."""
    # The same text as normalise_mapped(text).text, without the bookkeeping of origins.
    return _squeezed(_fold_text(text))


def _squeezed(folded: str) -> str:
    """_squeeze(folded, ...)[0]: the text alone."""
    # str.split() splits on exactly the characters that re's \s matches, three times faster.
    text = " ".join(folded.split())
    if " " not in text:
        return text
    return _SPACE_BEFORE_PUNCTUATION.sub("", text)


_SPACE_BEFORE_PUNCTUATION = re.compile(
    r" (?=[" + re.escape("".join(sorted(_CLOSING_PUNCTUATION))) + "])"
)
# Whitespace runs other than one space between words: at an end, before closing
# punctuation, longer than one character, or a character other than a space.
_IRREGULAR_WHITESPACE = re.compile(
    r"^\s+|\s+(?=[" + re.escape("".join(sorted(_CLOSING_PUNCTUATION))) + r"]|\Z)|\s{2,}|[^\S ]"
)


@cache
def _number_words() -> re.Pattern[str]:
    words: dict[str, str] = {}
    for number in range(101):
        words[num2words(number)] = str(number)
        if number:
            words[num2words(number, to="ordinal")] = num2words(number, to="ordinal_num")
    for word, digits in list(words.items()):
        words[word.replace("-", " ")] = digits
    _NUMBER_DIGITS.update({normalise(word): digits for word, digits in words.items()})
    return re.compile(r"(?<![\w-])" + _longest_first(_NUMBER_DIGITS) + r"(?![\w-])")


_NUMBER_DIGITS: dict[str, str] = {}


def _longest_first(words: Iterable[str]) -> str:
    """A pattern matching any of the words, the longest that fits first.

    The same matches as the words sorted longest first and joined with '|', but
    shared prefixes are tried once ("twenty-" for twenty-one … twenty-ninth), which
    makes the number-word search about five times faster.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        if "" in node:  # a word ends here: a longer one is tried first, then this one
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(trie)


def canonical_numbers(normalised: str) -> str:
    """Replace number words by digits in already-normalised text."""
    return _number_words().sub(lambda m: _NUMBER_DIGITS[m.group()], normalised)


def normalise_answer(text: str) -> str:
    """The normalised form used to compare values and answers with quotes."""
    return canonical_numbers(normalise(text))


def find_word(haystack: str, needle: str, start: int = 0) -> int:
    """Index of needle in haystack where it does not begin or end inside a word, else -1."""
    if not needle:
        return -1
    check_before = needle[0].isalnum()
    check_after = needle[-1].isalnum()
    position = haystack.find(needle, start)
    while position != -1:
        end = position + len(needle)
        before_ok = not check_before or position == 0 or not haystack[position - 1].isalnum()
        after_ok = not check_after or end == len(haystack) or not haystack[end].isalnum()
        if before_ok and after_ok:
            return position
        position = haystack.find(needle, position + 1)
    return -1


def quote_pieces(quote: str) -> list[str]:
    """The normalised pieces of a quote that skips text with '...' or '…'."""
    if "..." not in quote and "…" not in quote:
        whole = normalise(quote)  # most quotes skip nothing
        return [whole] if whole else []
    return [piece for piece in (normalise(p) for p in ELLIPSIS.split(quote)) if piece]


def find_pieces(
    paragraph: str, pieces: list[str], *, whole_words: bool = True
) -> list[tuple[int, int]] | None:
    """Spans of each piece in order within one normalised paragraph, or None."""
    spans: list[tuple[int, int]] = []
    position = 0
    for piece in pieces:
        found = (
            find_word(paragraph, piece, position)
            if whole_words
            else paragraph.find(piece, position)
        )
        if found == -1:
            return None
        spans.append((found, found + len(piece)))
        position = found + len(piece)
    return spans


def highlight_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Spans of text (original indices) where needle occurs, numbers matched across forms."""
    return answer_form_mapped(text).spans(normalise_answer(needle))


@dataclass(frozen=True)
class AnswerForm:
    """Text in answer form, and where in the original each of its characters came from."""

    text: str
    original: str
    starts: Sequence[int]  # for each character, the original index it starts at
    number_ends: dict[int, int]  # for each digit written as a word, where the word ends

    def spans(self, target: str) -> list[tuple[int, int]]:
        """Where target, already in answer form, occurs as whole words: original spans."""
        spans: list[tuple[int, int]] = []
        position = find_word(self.text, target)
        while position != -1:
            end = position + len(target)
            spans.append((self.starts[position], self._end(end - 1)))
            position = find_word(self.text, target, end)
        return spans

    def _end(self, index: int) -> int:
        if index in self.number_ends:
            return self.number_ends[index]
        return _end_of_character(self.original, self.starts[index])


def answer_form_mapped(text: str) -> AnswerForm:
    """normalise_answer(text), with where in text each of its characters came from."""
    folded, origin = _fold(text)
    normalised, origin = _squeeze(folded, origin)
    parts: list[str] = []
    starts: list[int] = []
    number_ends: dict[int, int] = {}
    position = 0
    for match in _number_words().finditer(normalised):
        parts.append(normalised[position : match.start()])
        starts.extend(origin[position : match.start()])
        digits = _NUMBER_DIGITS[match.group()]
        word_end = _end_of_character(text, origin[match.end() - 1])
        number_ends.update(dict.fromkeys(range(len(starts), len(starts) + len(digits)), word_end))
        parts.append(digits)
        starts.extend([origin[match.start()]] * len(digits))
        position = match.end()
    if not number_ends:
        # Most quotes name no number in words: their text and origins are used as they are.
        return AnswerForm(normalised, text, origin, number_ends)
    parts.append(normalised[position:])
    starts.extend(origin[position:])
    return AnswerForm("".join(parts), text, starts, number_ends)


def _end_of_character(text: str, index: int) -> int:
    end = index + 1
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end
