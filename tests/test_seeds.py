"""seeds/ is pinned: every article matches the sha256 in sources.yaml, byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.bank import yamlfile
from generator.bank.sources import load_sources

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# CI checks the repository out beside the shared originals; a developer's machine may not.
SHARED = SEEDS.parent.parent / "shared" / "seeds"
ENTRIES = yamlfile.load(SEEDS / "sources.yaml").data["sources"]
EXPECTED_FILES = {
    "leopold": "000_e819e73592b8496a.txt",
    "epstein": "001_573b5ad164594c6a.txt",
    "empty-threat": "002_935fa348835cbffc.txt",
    "gun-violence": "003_f6bc185d7ff8b6c4.txt",
    "quandary": "004_bdbe43318850aca2.txt",
}


@pytest.mark.parametrize("source_id", sorted(ENTRIES), ids=sorted(ENTRIES))
def test_article_matches_its_sha256(source_id: str) -> None:
    entry = ENTRIES[source_id]
    content = (SEEDS / entry["file"]).read_bytes()
    assert hashlib.sha256(content).hexdigest() == entry["sha256"]


def test_sources_yaml_names_the_five_articles_by_their_ids() -> None:
    assert {source_id: entry["file"] for source_id, entry in ENTRIES.items()} == EXPECTED_FILES
    assert all(entry["title"].strip() for entry in ENTRIES.values())


def test_sources_load_without_problems() -> None:
    seeds = load_sources(SEEDS)
    assert seeds.problems == []
    assert sorted(seeds.articles) == sorted(EXPECTED_FILES)


def test_seeds_hold_only_the_articles_and_sources_yaml() -> None:
    names = {path.name for path in SEEDS.iterdir()}
    assert names == {"sources.yaml", *EXPECTED_FILES.values()}


@pytest.mark.parametrize("name", sorted(EXPECTED_FILES.values()))
def test_article_is_a_byte_copy_of_the_shared_original_when_present(name: str) -> None:
    original = SHARED / name
    # The sha256 test above is the real guarantee; this one compares with the originals
    # wherever they are checked out beside the repository (they are in CI).
    if SHARED.is_dir():
        assert (SEEDS / name).read_bytes() == original.read_bytes()
    else:
        assert (SEEDS / name).stat().st_size > 0
