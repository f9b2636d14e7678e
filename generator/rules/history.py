"""Question ids that the committed decks know: none may vanish without being retired.

Students' Anki notes are keyed by question id. When a question leaves the
bank, its id must go to a `retired:` list, or a later question could take the
id and silently overwrite students' notes with a different meaning. The
committed decks record every id they hold in the lock file that the Anki
writer keeps (`"notes": {"<question-id>": {...}}`); ids found there but
neither in the bank nor retired are reported as warnings, so check still
passes while the author decides.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..bank.model import Bank, Location, Problem, Severity
from ..paths import DEFAULT_PACKAGE, display

LOCK_FILE = f"{DEFAULT_PACKAGE}.lock.json"


def lock_file(package: str = DEFAULT_PACKAGE) -> str:
    """The whole bank's lock file: the package name (quizgen.toml's `[package] name`)."""
    return f"{package}.lock.json"


@dataclass(frozen=True)
class CommittedIds:
    """The question ids in the lock file, and the deck each was in."""

    decks: dict[str, str | None]
    text: str = ""
    shown: str = ""

    def locations(self, wanted: Iterable[str]) -> dict[str, Location]:
        """Where each wanted id stands in the lock file, so an editor can jump to it."""
        located = _key_locations(self.text, self.shown, set(wanted))
        return {key: located.get(key, Location(self.shown)) for key in wanted}


def committed_ids(
    decks_dir: Path, package: str = DEFAULT_PACKAGE
) -> tuple[CommittedIds, list[Problem]]:
    """The question ids in the lock file, with the deck each was in.

    A missing lock file means nothing was built yet, which is fine; a lock file
    that cannot be read is a warning, since the decks themselves are unaffected.
    """
    path = decks_dir / lock_file(package)
    shown = display(path)
    nothing = CommittedIds({})
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return nothing, []
    except (OSError, UnicodeDecodeError) as error:
        return nothing, [
            _warning(Location(shown), f"cannot be read ({error}); ids are not checked")
        ]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = Location(shown, error.lineno, error.colno)
        return nothing, [_warning(where, f"is not valid JSON ({error.msg}); ids are not checked")]
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, dict):
        message = "has no 'notes' mapping of question ids; ids are not checked"
        return nothing, [_warning(Location(shown), message)]
    removed = data.get("removed")
    if isinstance(removed, dict):
        # Ids a build already dropped: students still hold them until they are retired.
        notes = {**removed, **notes}
    decks = {
        question_id: note["deck"]
        if isinstance(note, dict) and isinstance(note.get("deck"), str)
        else None
        for question_id, note in notes.items()
    }
    return CommittedIds(decks, text, shown), []


def disappeared(
    bank: Bank,
    decks_dir: Path,
    only_decks: set[str] | None = None,
    package: str = DEFAULT_PACKAGE,
) -> list[Problem]:
    """A warning for each id in the committed decks that is neither in the bank nor retired.

    With only_decks (a check of some files, not the whole bank), ids of other decks are
    left alone: they are in files that were not read, not gone.
    """
    committed, problems = committed_ids(decks_dir, package)
    decks = committed.decks
    ids = set(decks) if only_decks is None else {key for key in decks if decks[key] in only_decks}
    present = {question.id for question in bank.questions}
    shown = display(decks_dir / lock_file(package))
    known = present | set(bank.retired)
    if ids and present and not known & ids:
        # Not one id in common: these are another bank's decks (a fixture checked
        # against the repository's decks/), not 94 questions deleted at once.
        message = (
            f"none of the {len(ids)} question ids in {shown} is in this bank or retired: "
            "if these decks belong to another bank, point --decks at this bank's decks"
        )
        return [*problems, _warning(Location(shown), message)]
    vanished = sorted(ids - known)
    if not vanished:
        return problems
    files_by_deck = _files_by_deck(bank)
    for question_id, where in committed.locations(vanished).items():
        home = files_by_deck.get(decks[question_id] or "") or _neighbours(bank, question_id)
        target = f"retired: in {home}" if home else "a retired: list in a question file"
        problems.append(
            _warning(
                where,
                f"question '{question_id}' is in {shown} but no longer in the bank: students' "
                f"notes keep it; add it to {target} so the id is never reused",
            )
        )
    return problems


def _files_by_deck(bank: Bank) -> dict[str, str]:
    counts: dict[str, Counter[str]] = {}
    for question in bank.questions:
        counts.setdefault(question.deck, Counter())[question.location.path] += 1
    return {deck: files.most_common(1)[0][0] for deck, files in counts.items()}


def _neighbours(bank: Bank, question_id: str) -> str | None:
    """The file whose question ids share the longest hyphenated prefix with this id.

    The lock file does not say which file a note came from; ids are usually
    prefixed by their topic ("leopold-..."), which points to the likely file.
    """
    parts = question_id.split("-")
    best: tuple[int, str] | None = None
    for question in bank.questions:
        shared = _shared_words(parts, question.id.split("-"))
        if shared and (best is None or shared > best[0]):
            best = (shared, question.location.path)
    return best[1] if best else None


def _shared_words(first: list[str], second: list[str]) -> int:
    count = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        count += 1
    return count


_JSON_KEY = re.compile(r'("(?:[^"\\]|\\.)*")\s*:')


def _key_locations(text: str, shown: str, wanted: set[str]) -> dict[str, Location]:
    """Where each wanted `"key":` first stands in the JSON text.

    One pass over the text: searching it once per id took minutes for 100k ids.
    """
    found: dict[str, Location] = {}
    line, line_start, scanned = 1, 0, 0
    for match in _JSON_KEY.finditer(text):
        quoted = match.group(1)
        # Decode only keys with escapes: json.loads per key was most of a 10k check.
        try:
            key = json.loads(quoted) if "\\" in quoted else quoted[1:-1]
        except json.JSONDecodeError:
            continue
        if key not in wanted or key in found:
            continue
        start = match.start()
        line += text.count("\n", scanned, start)
        line_start = text.rfind("\n", 0, start) + 1
        scanned = start
        found[key] = Location(shown, line, start - line_start + 1)
        if len(found) == len(wanted):
            break
    return found


def _warning(where: Location, message: str) -> Problem:
    return Problem(where, message, Severity.WARNING)
