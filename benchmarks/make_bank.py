"""Generate a synthetic question bank that passes `quizgen check`, for the benchmarks.

A bank of N questions over M articles, one question file (one deck) per article:

- articles of 8-20 paragraphs of varied sentences, from a fixed vocabulary, with
  numbers as digits and as words, curly quotes, apostrophes, dashes, parentheses
  and scraped "Chicago ," spacing;
- seeds/sources.yaml with each article's real sha256;
- facts that quote real slices of their article (whole words; some with '...',
  some typed with straight quotes and hyphens for the article's curly ones),
  each about one of the names or figures the article mentions once;
- questions of every type (short, choice, cloze, match, truefalse true and
  false) whose fields use Jinja references such as `{{ a0001_f003 }}`.

The bank is clean: `quizgen check` passes with no warning. Each printed question
has a fact of its own, so no question on a printed quiz shows another's answer;
about one question in five asks again about a fact and is `printed: false`
(Anki only), as an author would mark it; more where an article names too few.

The same arguments and seed always give the same bytes. Usage:

    python benchmarks/make_bank.py --size 10k            # -> benchmarks/out/10k/
    python benchmarks/make_bank.py --questions 500 --articles 5 --out /tmp/bank
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from generator.bank.text import normalise, normalise_answer
from generator.rules.damage import damaged_stretches

OUT = Path(__file__).resolve().parent / "out"
SIZES = {"1k": (1_000, 10), "10k": (10_000, 100), "100k": (100_000, 1_000)}


def _words(text: str) -> list[str]:
    return text.split()


_COMMON = _words(
    """
about above across action administration affect agency agreement almost already
analysis announced argument arrest asked attorney authority avoid balance become
behind believe benefit between border budget building business campaign career
case cause challenge change chief citizen civil claim clear coalition committee
community company compliance concern conference congress consider continue
control cooperation council county court crime critical culture current custody
damage decision declare defend deliver demand department deport detain develop
director district document during economy effort election employee enforcement
enough evidence example executive expect expert explain family federal figure
finally financial focus follow force foreign former forward freedom funding
future general government governor grant ground group growth guidance health
hearing history holding housing impact important include increase individual
information instead interest issue jail judge justice language largely later
leader legal letter likely local major manage market mayor measure meeting
member message million minister money moment month movement national nearly
neighborhood network notice office officer official operation opinion order
organization outside particular partner party pattern people period person
petition police policy political population position power practice pressure
prevent private problem process program project protect public question quickly
rather reason receive record reduce reform region release remain report require
research resident resource response result return review right ruling safety
sanctuary school season section security senior serve service share should
similar simply social source speaker special spending statement status statute
strategy street strong student subject suggest support system target teacher
testimony therefore threat together toward trial trust under union until
usually various violence voter warning weapon whether within without witness
worker writer yesterday
"""
)
_GLUE = _words("a an the of to in on for with and or but by as at from that which who this")
_NAMES = _words(
    """
Chicago Philadelphia Sessions Trump Gimenez Hernandez Pasco Canterbury Leopold
Epstein California Texas Oregon Milwaukee Boston Denver Seattle Atlanta Houston
Phoenix Portland Baltimore Cleveland Detroit Memphis Nashville Austin Miami-Dade
Brooklyn Queens Sacramento Albany Tucson Fresno Omaha Raleigh Richmond Madison
"""
)
_STATES = _words("NV IL FL WI CA TX OR NY MA CO WA GA AZ MD OH MI TN")
# Names and figures are made from these and mentioned once in their article: the
# values facts are about. Distractors and false values are made the same way, so
# they look like answers but occur in no article.
_SYLLABLES = _words("vel mor ath quin tor ix zan dul or bek sil van rho kep mun tal ser")
_NUMBER_WORDS = _words(
    """
two three four five six seven eight nine ten eleven twelve fifteen twenty
twenty-one thirty-two forty-eight fifty sixty-five ninety third fifth tenth
"""
)
_STRIP = "“”‘’\"'()[],.;:!?—–-$%"
_WORD = re.compile(r"^[A-Za-z][A-Za-z-]*$")


def _plain_vocabulary() -> list[str]:
    """Common words that are not number words, so only chosen tokens become digits."""
    return [w for w in _COMMON if normalise_answer(w) == normalise(w)]


@dataclass
class Paragraph:
    tokens: list[str]
    keys: list[tuple[int, int]]  # (first token, token count) of each name or figure

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass
class Article:
    id: str
    title: str
    author: str
    published: str
    paragraphs: list[Paragraph]

    @property
    def text(self) -> str:
        body = "\n\n".join(p.text for p in self.paragraphs)
        return f"{self.title}\n\nBy {self.author}\n\n{body}\n"


class _Writer:
    """Sentences and articles from a seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocabulary = _plain_vocabulary()
        # The names and figures of every article so far, and the made-up options and
        # false values: each name is one article's, so no printed question, in its
        # deck or on the all-decks quiz, shows another's answer.
        self.used: set[str] = set()
        self.fakes: set[str] = set()

    def key(self, *, fresh_only: bool = True, figure: bool | None = None) -> list[str]:
        """A name or figure of no article so far (fresh_only: and no made-up option)."""
        rng = self.rng
        while True:
            if figure is False or (figure is None and rng.random() < 0.8):
                syllables = [rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 5))]
                tokens = ["".join(syllables).capitalize()]
            else:
                tokens = [f"${rng.randint(1, 999)}.{rng.randint(1, 99)}", "billion"]
            text = " ".join(tokens)
            taken = text in self.used or (fresh_only and text in self.fakes)
            if not taken and tokens[0].lower() not in self.vocabulary:
                (self.used if fresh_only else self.fakes).add(text)
                return tokens

    def word(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.22:
            return rng.choice(_GLUE)
        if roll < 0.30:
            return rng.choice(_NAMES)
        return rng.choice(self.vocabulary)

    def number(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            return rng.choice(_NUMBER_WORDS)
        if roll < 0.55:
            return f"${rng.randint(2, 950)} million"
        if roll < 0.70:
            return str(rng.randint(1950, 2024))
        if roll < 0.85:
            return f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%"
        return f"{rng.randint(2, 99_999):,}"

    def sentence(self) -> tuple[list[str], list[tuple[int, int]]]:
        rng = self.rng
        tokens: list[str] = []
        keys: list[tuple[int, int]] = []
        length = rng.randint(8, 28)
        # About one name or figure per sentence, never at its first or last word.
        planted = {rng.randint(1, length - 2)} if rng.random() < 0.95 else set()
        if length >= 16 and rng.random() < 0.6:
            planted.add(rng.randint(1, length // 2 - 4) + length // 2)
        for position in range(length):
            if position in planted:
                key = self.key()
                keys.append((len(tokens), len(key)))
                # Always followed by an ordinary word: a value may take it along.
                tokens += [*key, rng.choice(self.vocabulary)]
                continue
            roll = rng.random()
            if roll < 0.05:
                # A number is always followed by an ordinary word, so two number
                # words never merge ("twenty nine") and change each other's digits.
                tokens += [self.number(), rng.choice(self.vocabulary)]
            elif roll < 0.07 and tokens:
                tokens.append("—")
            elif roll < 0.09:
                tokens.append(f"{rng.choice(_NAMES)}’s")
            elif roll < 0.10:
                tokens.append(f"({rng.choice(_STATES)})")
            else:
                tokens.append(self.word())
            if rng.random() < 0.06 and tokens[-1] != "—":
                if rng.random() < 0.3:
                    tokens.append(",")  # scraped articles keep a space: "Chicago ,"
                else:
                    tokens[-1] += ","
        inside_keys = {first + i for first, count in keys for i in range(count)}
        if rng.random() < 0.15 and len(tokens) > 6:
            start = rng.randint(1, len(tokens) - 4)
            end = start + rng.randint(1, 3)
            plain = not {start, end} & inside_keys
            if plain and _has_letters_or_digits(tokens[start] + tokens[end]):
                tokens[start] = "“" + tokens[start]
                tokens[end] = tokens[end].rstrip(",") + "”"
        while tokens[-1] in (",", "—"):
            tokens.pop()
        tokens[0] = tokens[0][:1].upper() + tokens[0][1:]
        tokens[-1] = tokens[-1].rstrip(",") + ("?" if rng.random() < 0.05 else ".")
        return tokens, keys

    def article(self, index: int) -> Article:
        rng = self.rng
        paragraphs = []
        for _ in range(rng.randint(12, 20)):
            tokens: list[str] = []
            keys: list[tuple[int, int]] = []
            for _ in range(rng.randint(3, 6)):
                sentence, sentence_keys = self.sentence()
                keys += [(len(tokens) + first, count) for first, count in sentence_keys]
                tokens += sentence
            paragraphs.append(Paragraph(tokens, keys))
        title_words = [self.word() for _ in range(rng.randint(5, 10))]
        title = " ".join(w[:1].upper() + w[1:] for w in title_words)
        return Article(
            id=f"a{index:04d}",
            title=title,
            author=f"{rng.choice(_NAMES)} {rng.choice(_NAMES)}",
            published=f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            paragraphs=paragraphs,
        )


@dataclass
class Fact:
    id: str
    quote: str
    value: str
    words: list[str]  # the quote's other whole words, for match pairs and questions


def _bare(token: str) -> str:
    return token.strip(_STRIP)


def _has_letters_or_digits(token: str) -> bool:
    return any(c.isalnum() for c in token)


def _straighten(text: str) -> str:
    """How a contributor types what the article prints with curly quotes and dashes."""
    return text.replace("“", '"').replace("”", '"').replace("’", "'").replace("—", "-")


def _damaged_tokens(paragraph: Paragraph) -> set[int]:
    """The tokens that touch a spot where check would say the text lost words."""
    starts, position = [], 0
    for token in paragraph.tokens:
        starts.append(position)
        position += len(token) + 1
    damaged: set[int] = set()
    for start, end in damaged_stretches(paragraph.text):
        damaged.update(
            i for i, s in enumerate(starts) if s < end and start < s + len(paragraph.tokens[i]) + 1
        )
    return damaged


def _fact(rng: random.Random, fact_id: str, paragraph: Paragraph, key: int) -> Fact:
    """A fact about one name or figure: a quote around it that holds no other."""
    tokens = paragraph.tokens
    first, count = paragraph.keys[key]
    previous_end = sum(paragraph.keys[key - 1]) if key else 0
    next_start = paragraph.keys[key + 1][0] if key + 1 < len(paragraph.keys) else len(tokens)
    start = max(previous_end, first - rng.randint(3, 15))
    end = min(next_start, first + count + rng.randint(3, 15))
    # Not across a place that check reads as lost text ("word ,", "of to").
    damaged = _damaged_tokens(paragraph)
    start = max([start, *(index + 1 for index in damaged if index < first)])
    end = min([end, *(index for index in damaged if index >= first + count)])
    while not _has_letters_or_digits(tokens[start]):
        start += 1
    while not _has_letters_or_digits(tokens[end - 1]):
        end -= 1
    last = first + count - 1
    # Sometimes the value takes the ordinary word after the name or figure along.
    if (
        rng.random() < 0.3
        and last + 1 < end
        and _WORD.match(tokens[last + 1])
        and last + 1 not in damaged
    ):
        last += 1
    value = _bare(" ".join(tokens[first : last + 1]))
    pieces = [(start, end)]
    if end - start > 14 and (last < start + 6 or first >= start + 9) and rng.random() < 0.1:
        # Skip some words with '...', as contributors do; the value stays in one piece.
        pieces = [(start, start + 6), (start + 9, end)]
    quote = " ... ".join(" ".join(tokens[a:b]) for a, b in pieces)
    if rng.random() < 0.5:
        quote = _straighten(quote)
    words = [
        _bare(tokens[i])
        for a, b in pieces
        for i in range(a, b)
        if not first <= i <= last and len(_bare(tokens[i])) >= 3
    ]
    return Fact(fact_id, quote, value, words)


# Question types in the order they cycle through a file: every type, and both
# kinds of truefalse, in roughly the proportions of the real bank.
_TYPES = _words(
    "short choice cloze short truefalse-true choice match truefalse-false short choice "
    "cloze choice truefalse-true short match truefalse-false choice short cloze "
    "truefalse-false"
)


def _distinct(forms: set[str], options: list[str], wanted: int, rng: random.Random) -> list[str]:
    """Up to `wanted` options whose answer forms differ from each other and from `forms`."""
    chosen: list[str] = []
    rng.shuffle(options)
    for option in options:
        form = normalise_answer(option)
        if form and form not in forms:
            forms.add(form)
            chosen.append(option)
            if len(chosen) == wanted:
                break
    return chosen


def _question(
    writer: _Writer,
    kind: str,
    qid: str,
    fact: Fact,
    other: Fact,
    article: Article,
    printed: bool,
) -> dict[str, object]:
    rng = writer.rng
    ref = "{{ " + fact.id + " }}"
    title = f"“{article.title}”"
    about = " ".join(rng.choice(fact.words) for _ in range(rng.randint(3, 8)))
    item: dict[str, object] = {"id": qid}
    if kind in ("short", "choice"):
        if other is not fact and not printed:
            # On paper this would print the other fact's value, which another question asks for.
            ask = f"Besides {{{{ {other.id} }}}}, what does {title} say about {about}?"
        else:
            ask = f"According to {title}, what does the article say about {about}?"
        answer = ref if rng.random() < 0.9 else "{{ " + fact.id + " | capitalize }}"
        item.update(type=kind, ask=ask, answer=answer)
        if kind == "choice":
            # Made like the article's names and figures, but in no article.
            figure = fact.value[:1].isdigit()
            fakes = [" ".join(writer.key(fresh_only=False, figure=figure)) for _ in range(6)]
            fakes = [_bare(fake) for fake in fakes]
            item["wrong"] = _distinct({normalise_answer(fact.value)}, fakes, 3, rng)
            if rng.random() < 0.2:
                item["last_option"] = "None of the above"
    elif kind == "cloze":
        item.update(type="cloze", fact=fact.id)
    elif kind.startswith("truefalse"):
        item.update(
            type="truefalse",
            fact=fact.id,
            statement=f"{title} reports {ref} when it discusses {about}.",
            answer=kind == "truefalse-true",
        )
        if kind == "truefalse-false":
            # Of the value's kind (a name for a name, a figure for a figure), as check asks.
            figure = fact.value[:1].isdigit()
            item["instead"] = _bare(" ".join(writer.key(fresh_only=False, figure=figure)))
    else:
        # match: both sides of each pair are words of the fact's quote
        sides = _distinct({normalise_answer(fact.value)}, list(fact.words), 5, rng)
        if len(sides) < 5:
            item.update(type="short", ask=f"In {title}, what is {about}?", answer=ref)
        else:
            item.update(
                type="match",
                ask=f"Match each word to its partner as {title} puts them.",
                pairs=[[ref, sides[0]], [sides[1], sides[2]], [sides[3], sides[4]]],
            )
    if not printed:
        item["printed"] = False
    return item


_PLAIN = re.compile(r"^[a-z][a-z0-9_-]*$")
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and _PLAIN.match(value) and value not in _RESERVED:
        return value  # ids and types, written plain as people write them
    return json.dumps(value, ensure_ascii=False)


def _folded(text: str, indent: str) -> str:
    """A `>-` block like the hand-written bank uses for long text."""
    # Keep each {{ reference }} on one line, as a person would.
    glued = re.sub(r"\{\{.*?\}\}", lambda m: m.group().replace(" ", "\0"), text)
    lines = textwrap.wrap(glued, 72, break_long_words=False, break_on_hyphens=False)
    lines = [line.replace("\0", " ") for line in lines]
    if len(lines) < 2:
        return _scalar(text)
    return ">-\n" + "\n".join(indent + line for line in lines)


def _question_file(article: Article, facts: list[Fact], questions: list[dict[str, object]]) -> str:
    deck = _scalar("Synthetic::" + article.title)
    out = [f"deck: {deck}", f"tags: [synthetic, {article.id}]", ""]
    out.append("facts:")
    for fact in facts:
        out.append(f"  {fact.id}:")
        out.append(f"    source: {article.id}")
        out.append(f"    quote: {_folded(fact.quote, '      ')}")
        out.append(f"    value: {_scalar(fact.value)}")
    out += ["", "questions:"]
    for item in questions:
        first = True
        for key, value in item.items():
            lead = "  - " if first else "    "
            first = False
            if isinstance(value, list):
                out.append(f"{lead}{key}:")
                out += [f"      - {_scalar(v)}" for v in value]
            elif isinstance(value, str) and len(value) > 72:
                out.append(f"{lead}{key}: {_folded(value, '      ')}")
            else:
                out.append(f"{lead}{key}: {_scalar(value)}")
        out.append("")
    return "\n".join(out)


def make_bank(out_dir: Path, questions: int, articles: int, seed: int = 1) -> Path:
    """Write seeds/ and questions/ under out_dir; reuse them if already made with these settings."""
    stamp = out_dir / "bank.json"
    # A bank made by another version of this script is made again.
    version = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    settings = {"questions": questions, "articles": articles, "seed": seed, "version": version}
    if stamp.exists() and json.loads(stamp.read_text()) == settings:
        return out_dir
    if out_dir.exists():
        shutil.rmtree(out_dir)
    seeds, question_dir = out_dir / "seeds", out_dir / "questions"
    seeds.mkdir(parents=True)
    question_dir.mkdir()
    rng = random.Random(seed)
    writer = _Writer(rng)
    index_lines = ["# Synthetic articles for the benchmarks (benchmarks/make_bank.py).", "sources:"]
    per_article = [questions // articles + (i < questions % articles) for i in range(articles)]
    for number, count in enumerate(per_article, start=1):
        article = writer.article(number)
        file_name = f"{number:04d}_{article.id}.txt"
        data = article.text.encode("utf-8")
        (seeds / file_name).write_bytes(data)
        index_lines += [
            f"  {article.id}:",
            f"    file: {file_name}",
            f"    title: {_scalar(article.title)}",
            f"    author: {_scalar(article.author)}",
            f"    published: {_scalar(article.published)}",
            f"    sha256: {hashlib.sha256(data).hexdigest()}",
        ]
        keys = [(p, k) for p in article.paragraphs for k in range(len(p.keys))]
        rng.shuffle(keys)
        facts: list[Fact] = []
        items: list[dict[str, object]] = []
        next_key = 0
        for q in range(count):
            # Each printed question has a fact of its own; one in five asks again.
            printed = q % 5 != 4
            fact = None
            while printed and fact is None and next_key < len(keys):
                paragraph, key = keys[next_key]
                next_key += 1
                made = _fact(rng, f"{article.id}_f{len(facts) + 1:03d}", paragraph, key)
                # A name between two places that read as lost text leaves too short a quote.
                fact = made if len(made.words) >= 3 else None
            if fact is not None:
                facts.append(fact)
            else:
                printed = False
                fact = rng.choice(facts)
            kind = _TYPES[q % len(_TYPES)]
            qid = f"{article.id}-q{q + 1:03d}"
            other = rng.choice(facts)
            items.append(_question(writer, kind, qid, fact, other, article, printed))
        text = _question_file(article, facts, items)
        (question_dir / f"{article.id}.yaml").write_text(text + "\n", encoding="utf-8")
    (seeds / "sources.yaml").write_text("\n".join(index_lines) + "\n", encoding="utf-8")
    stamp.write_text(json.dumps(settings))
    return out_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), help="1k, 10k or 100k questions")
    parser.add_argument("--questions", type=int, help="number of questions (with --articles)")
    parser.add_argument("--articles", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="folder (default benchmarks/out/SIZE)")
    args = parser.parse_args()
    if args.size:
        questions, articles = SIZES[args.size]
        name = args.size
    elif args.questions and args.articles:
        questions, articles, name = args.questions, args.articles, f"{args.questions}q"
    else:
        parser.error("give --size, or --questions and --articles")
    out = make_bank(args.out or OUT / name, questions, articles, args.seed)
    print(out)


if __name__ == "__main__":
    main()
