"""Checked questions → one Anki package (.apkg) and its lock file, byte for byte reproducible.

Layout: `quizgen build` writes `quizgen.apkg` with every deck (`deck: A::B` makes subdecks)
and `quizgen.lock.json`. `quizgen build --deck NAME` writes `quizgen-<slug>.apkg` and
`quizgen-<slug>.lock.json` with that deck and its subdecks only.

Why a lock file: Anki applies an imported note only when the note's `mod` is newer than the
student's copy. So each note's mod must rise when, and only when, its content changes. The lock
records a hash of every note and note type with the mod it was given; a build keeps the mod
of everything whose hash is unchanged, and stamps the rest with the current time. A build is
then a pure function of the questions and the previous lock, so rebuilding is byte-identical
and `quizgen build --check` can compare.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import json
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...bank.model import SourcedQuestion
from ...paths import DEFAULT_PACKAGE, package_file
from .notes import NoteContent, note_for
from .notetypes import NOTE_TYPES, NoteType

if TYPE_CHECKING:
    from ..base import BuildContext

# The whole bank's files under the default package name (quizgen.toml can rename them).
PACKAGE = f"{DEFAULT_PACKAGE}.apkg"
LOCK = f"{DEFAULT_PACKAGE}.lock.json"
LOCK_VERSION = 1

# Fixed values wherever genanki would use the clock. Note and card ids only matter for notes
# a student does not have yet; Anki matches existing ones by GUID.
_FIXED_TIMESTAMP = 1_500_000_000
_FIRST_ID = 1_500_000_000_000
_ZIP_DATE = (2017, 7, 14, 0, 0, 0)
# The SQLite header records the version of the library that last wrote the file (offset 96);
# a fixed value keeps the package identical on machines with another SQLite.
_SQLITE_VERSION_OFFSET = 96
_SQLITE_VERSION = 3_040_000

Clock = Callable[[], float]
NOTE_TYPE_KINDS = {note_type.id: note_type.kind for note_type in NOTE_TYPES.values()}


@dataclass(frozen=True)
class Stamp:
    """A content hash and the mod time it was first built with."""

    hash: str
    mod: int
    # For notes, the deck they were built into: `check` on one file warns only
    # about that file's decks (see history.py). Not part of the content hash.
    deck: str | None = None


@dataclass
class Lock:
    notes: dict[str, Stamp] = field(default_factory=dict)
    notetypes: dict[str, Stamp] = field(default_factory=dict)
    # Notes a whole-bank build no longer has. Students still hold them, so check
    # keeps warning until their ids are retired, and a restored question's mod
    # keeps rising from where it was.
    removed: dict[str, Stamp] = field(default_factory=dict)

    @classmethod
    def parse(cls, data: bytes | None) -> Lock:
        """The previous lock; one that is missing or unreadable counts as empty.

        An empty lock is safe: every note gets a new mod, so the next import updates them all.
        """
        if data is None:
            return cls()
        try:
            raw = json.loads(data)
            return cls(
                _stamps(raw.get("notes", {})),
                _stamps(raw.get("notetypes", {})),
                _stamps(raw.get("removed", {})),
            )
        except (ValueError, TypeError, AttributeError, KeyError):
            return cls()

    def to_bytes(self) -> bytes:
        """The lock as json.dumps(indent=2, sort_keys=True, ensure_ascii=False) would write it.

        Written out directly: json's indenting encoder is pure Python, and took four times
        as long at 10k notes. tests/test_anki.py compares the two.
        """
        sections = {"notes": self.notes, "notetypes": self.notetypes}
        if self.removed:
            sections["removed"] = self.removed
        members = [f"  {_JSON(name)}: {_stamps_json(stamps)}" for name, stamps in sections.items()]
        members.append(f'  "version": {LOCK_VERSION}')
        return ("{\n" + ",\n".join(members) + "\n}\n").encode()


_JSON = json.JSONEncoder(ensure_ascii=False).encode


def _stamps_json(stamps: dict[str, Stamp]) -> str:
    if not stamps:
        return "{}"
    entries = []
    for key in sorted(stamps):
        stamp = stamps[key]
        deck = "" if stamp.deck is None else f'      "deck": {_JSON(stamp.deck)},\n'
        entries.append(
            f"    {_JSON(key)}: {{\n{deck}"
            f'      "hash": {_JSON(stamp.hash)},\n'
            f'      "mod": {stamp.mod}\n'
            "    }"
        )
    return "{\n" + ",\n".join(entries) + "\n  }"


def _stamps(raw: dict[str, Any]) -> dict[str, Stamp]:
    return {
        key: Stamp(str(value["hash"]), int(value["mod"]), value.get("deck"))
        for key, value in raw.items()
    }


def stamp(previous: Stamp | None, content_hash: str, now: int) -> Stamp:
    """Keep the mod while the content is unchanged; otherwise make it newer than before."""
    if previous is not None and previous.hash == content_hash:
        return previous
    floor = previous.mod + 1 if previous is not None else 0
    return Stamp(content_hash, max(now, floor))


def output_names(deck: str | None, package: str = DEFAULT_PACKAGE) -> tuple[str, str]:
    """The package and lock file names for the whole bank, or for one deck."""
    return package_file(package, ".apkg", deck), package_file(package, ".lock.json", deck)


def deck_id(name: str) -> int:
    """Decks need ids; deriving them from the name keeps the package reproducible."""
    digest = hashlib.sha256(f"quizgen:deck\0{name}".encode()).digest()
    return 10**12 + int.from_bytes(digest[:8], "big") % 10**12


def note_hash(note: NoteContent) -> str:
    return _hash(
        {
            "guid": note.guid,
            "notetype": note.note_type.id,
            "deck": note.deck,
            "fields": list(note.fields),
            "tags": list(note.tags),
        }
    )


def notetype_hash(note_type: NoteType) -> str:
    return _hash(_notetype_json(note_type))


# One encoder for every hash, where json.dumps would make one per note.
_HASH_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def _hash(data: object) -> str:
    return hashlib.sha256(_HASH_JSON.encode(data).encode()).hexdigest()


def _notetype_json(note_type: NoteType) -> dict[str, Any]:
    return {
        "id": note_type.id,
        "name": note_type.name,
        "fields": list(note_type.fields),
        "templates": [[t.name, t.front, t.back] for t in note_type.templates],
        "css": note_type.css,
        "cloze": note_type.is_cloze,
        "sort": note_type.sort_field_index,
    }


@dataclass(frozen=True)
class Package:
    apkg: bytes
    lock: Lock


def build_package(
    questions: Sequence[SourcedQuestion],
    previous: Lock,
    *,
    clock: Clock = time.time,
    note_types: dict[Any, NoteType] | None = None,
    fallback: Lock | None = None,
) -> Package:
    """The .apkg bytes and the new lock; the same questions and lock give the same bytes.

    `fallback` is consulted for notes the previous lock lacks: a one-deck build starts from
    the whole bank's lock, so its notes carry the same mods as in the full package.
    """
    types = note_types or NOTE_TYPES
    notes = [_with_type(note_for(question), types) for question in questions]
    now = int(clock())
    older = fallback or Lock()
    lock = Lock()
    for note in notes:
        before = (
            previous.notes.get(note.question_id)
            or previous.removed.get(note.question_id)
            or older.notes.get(note.question_id)
        )
        kept = stamp(before, note_hash(note), now)
        lock.notes[note.question_id] = Stamp(kept.hash, kept.mod, note.deck)
    for note_type in _used(notes):
        key = str(note_type.kind)
        before = previous.notetypes.get(key) or older.notetypes.get(key)
        lock.notetypes[key] = stamp(before, notetype_hash(note_type), now)
    return Package(_apkg(notes, lock), lock)


def _with_type(note: NoteContent, types: dict[Any, NoteType]) -> NoteContent:
    chosen = types[note.note_type.kind]
    if chosen is note.note_type:
        return note
    # A note type under test may differ in HTML only; the fields stay the same.
    return NoteContent(note.question_id, note.guid, chosen, note.fields, note.tags, note.deck)


def _used(notes: Iterable[NoteContent]) -> list[NoteType]:
    found = {note.note_type.id: note.note_type for note in notes}
    return [found[key] for key in sorted(found)]


def _apkg(notes: Sequence[NoteContent], lock: Lock) -> bytes:
    with tempfile.TemporaryDirectory(prefix="quizgen-anki-") as folder:
        path = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(path)
        try:
            _write_collection(connection, notes, lock)
            connection.commit()
            connection.execute("VACUUM")
        finally:
            connection.close()
        # Patched in the file and read once: copies of the database in memory (bytes,
        # bytearray, bytes again) were the build's peak at 100k notes.
        with path.open("r+b") as database:
            database.seek(_SQLITE_VERSION_OFFSET)
            database.write(_SQLITE_VERSION.to_bytes(4, "big"))
        return _zip({"collection.anki2": path.read_bytes(), "media": b"{}"})


def _write_collection(
    connection: sqlite3.Connection, notes: Sequence[NoteContent], lock: Lock
) -> None:
    import genanki  # imported here so that `quizgen check` never pays for it

    models = {note_type.id: _genanki_model(genanki, note_type) for note_type in _used(notes)}
    note_class = _escaped_note_class()
    by_deck: dict[str, list[tuple[NoteContent, Any]]] = {}
    for position, note in enumerate(notes, start=1):
        genanki_note = note_class(
            model=models[note.note_type.id],
            fields=list(note.fields),
            tags=list(note.tags),
            guid=note.guid,
            # New cards are studied in the order of the question files.
            due=position,
        )
        by_deck.setdefault(note.deck, []).append((note, genanki_note))
    decks = [genanki.Deck(deck_id(name), name) for name in by_deck]
    cursor = connection.cursor()
    # A throwaway file: no need to wait for the disk after each statement.
    cursor.execute("PRAGMA synchronous = OFF")
    cursor.execute("PRAGMA journal_mode = MEMORY")
    # Pinned rather than left to how this Python's SQLite was compiled.
    cursor.execute("PRAGMA page_size = 4096")
    cursor.execute("PRAGMA auto_vacuum = NONE")
    cursor.execute("PRAGMA encoding = 'UTF-8'")
    # The decks go in empty and their notes after, one by one: genanki would stamp every
    # note with one timestamp where Anki needs each note's own mod, and would re-read and
    # re-write the JSON of every note type once per deck.
    ids = itertools.count(_FIRST_ID)
    genanki.Package(decks).write_to_db(cursor, _FIXED_TIMESTAMP, ids)
    # Like genanki, a note type records the last deck that holds its notes (Anki's default
    # deck for adding more of them).
    note_type_deck: dict[int, int] = {}
    for deck in decks:
        for note, genanki_note in by_deck[deck.name]:
            genanki_note.write_to_db(cursor, lock.notes[note.question_id].mod, deck.deck_id, ids)
            note_type_deck[note.note_type.id] = deck.deck_id
    stored = {}
    for key, model in models.items():
        mod = lock.notetypes[str(NOTE_TYPE_KINDS[key])].mod
        stored[str(key)] = model.to_json(mod, note_type_deck[key])
    cursor.execute("UPDATE col SET models = ?", (json.dumps(stored, sort_keys=True),))


@functools.cache
def _escaped_note_class() -> type:
    import genanki

    class EscapedNote(genanki.Note):
        def _check_invalid_html_tags_in_fields(self) -> None:
            # genanki runs a regex over every field of every note to warn about unescaped
            # text; ours is escaped by construction (anki_notes.text_html), and the check
            # over the 42 fields of each match note was an eighth of writing the package.
            pass

    return EscapedNote


def _genanki_model(genanki: Any, note_type: NoteType) -> Any:
    return genanki.Model(
        model_id=note_type.id,
        name=note_type.name,
        fields=[{"name": name} for name in note_type.fields],
        templates=[
            {"name": template.name, "qfmt": template.front, "afmt": template.back}
            for template in note_type.templates
        ],
        css=note_type.css,
        model_type=genanki.Model.CLOZE if note_type.is_cloze else genanki.Model.FRONT_BACK,
        sort_field_index=note_type.sort_field_index,
    )


def _zip(entries: dict[str, bytes]) -> bytes:
    """A zip with fixed dates, order and permissions.

    Entries are stored, not deflated: compressed bytes depend on the zlib build (zlib-ng
    differs), and `build --check` compares bytes across machines.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def render(context: BuildContext) -> dict[str, bytes]:
    """The build stage: {package name: .apkg bytes, lock name: lock bytes}."""
    deck = context.options.deck
    package_name, lock_name = output_names(deck, context.options.package)
    previous = Lock.parse(context.previous(lock_name))
    whole_lock = output_names(None, context.options.package)[1]
    fallback = Lock.parse(context.previous(whole_lock)) if deck is not None else None
    package = build_package(context.questions, previous, fallback=fallback)
    if deck is None:
        gone = {**previous.removed, **previous.notes}
        package.lock.removed = {
            key: value for key, value in sorted(gone.items()) if key not in package.lock.notes
        }
    return {package_name: package.apkg, lock_name: package.lock.to_bytes()}
