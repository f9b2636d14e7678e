"""`quizgen repin ID`: accept a corrected article, without any fact losing its quote unseen.

After a teacher fixes a typo or puts back a lost word, the article's sha256 no longer
matches and `check` fails. repin shows, for every fact that cites the article, whether
its quote is still found in the new text (and if not, the closest passage), and writes
the new sha256 only when no quote breaks, or when the teacher confirms.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..bank.load import load_bank
from ..bank.model import Location, Problem
from ..bank.sources import Passage
from .sources_file import read_sources_file
from .writing import write_together


@dataclass(frozen=True)
class FactStatus:
    fact_id: str
    location: Location
    found: bool
    closest: Passage | None = None


@dataclass
class RepinResult:
    source_id: str
    facts: list[FactStatus] = field(default_factory=list)
    old_sha256: str | None = None
    new_sha256: str | None = None
    written: bool = False
    problems: list[Problem] = field(default_factory=list)
    usage_error: str | None = None

    @property
    def broken(self) -> list[FactStatus]:
        return [status for status in self.facts if not status.found]

    @property
    def unchanged(self) -> bool:
        return self.old_sha256 == self.new_sha256


def repin(
    source_id: str, question_paths: Sequence[Path], seeds_dir: Path, *, confirmed: bool = False
) -> RepinResult:
    """Check every fact citing source_id against its article's text, then re-pin if safe."""
    result = RepinResult(source_id)
    index = read_sources_file(seeds_dir)
    if isinstance(index, Problem):
        result.problems.append(index)
        return result
    if source_id not in index.entries:
        known = [str(key) for key in index.entries]
        close = difflib.get_close_matches(source_id, known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"the ids are {', '.join(known)}"
        result.usage_error = f"no article '{source_id}' in {index.path}: {hint}"
        return result
    bank, articles, problems = load_bank(question_paths, seeds_dir)
    article = articles.get(source_id)
    if article is None:
        # The entry or its file has a problem other than its hash: check says which.
        result.problems += [p for p in problems if f"'{source_id}'" in p.message] or [
            Problem(Location(str(index.path)), f"source '{source_id}' cannot be read")
        ]
        return result
    result.old_sha256 = index.entries[source_id].get("sha256")
    result.new_sha256 = hashlib.sha256(article.source.path.read_bytes()).hexdigest()
    for fact in sorted(bank.facts.values(), key=lambda f: (f.location, f.id)):
        if fact.source_id != source_id:
            continue
        found = article.find(fact.quote) is not None
        closest = None if found else article.closest(fact.quote)
        result.facts.append(FactStatus(fact.id, fact.where("quote"), found, closest))
    if result.unchanged or (result.broken and not confirmed):
        return result
    index.set_sha256(source_id, result.new_sha256)
    write_together({index.path: index.text().encode("utf-8")})
    result.written = True
    return result
