"""Issue 5: hostile or broken input never crashes quizgen, never runs code, never escapes seeds/.

Most cases are example folders (tests/examples/invalid/); these are the ones that need a real
filesystem (links, FIFOs, huge files) or a separate process (a crash must fail the test, not
kill pytest, and memory is measured in the child).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from generator import api
from generator.bank import yamlfile

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
MEMORY_BOUND_MB = 500

# Runs one check in a fresh interpreter and reports its problems and its peak memory.
CHILD = textwrap.dedent(
    """
    import json, resource, sys
    from pathlib import Path
    from generator import api
    questions, seeds = Path(sys.argv[1]), Path(sys.argv[2])
    result = api.check_bank([questions], seeds, questions.parent / "decks")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"problems": [str(p) for p in result.problems], "peak_mb": peak_kb / 1024}))
    """
)


def check_in_child(questions: Path, seeds: Path = SEEDS) -> list[str]:
    """Problems from a separate process, which must exit normally within bounded memory."""
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, str(questions), str(seeds)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, (completed.returncode, completed.stderr[-2000:])
    report = json.loads(completed.stdout)
    assert report["peak_mb"] < MEMORY_BOUND_MB, report["peak_mb"]
    return report["problems"]


def one_problem(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


# Code-constructing tags ----------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/apply:subprocess.check_call [['touch', '{marker}']]",
        "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/object:__main__.Anything {{}}",
    ],
)
def test_python_tags_never_run_and_are_refused(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "q.yaml"
    path.write_text("facts: " + tag.format(marker=marker) + "\n")
    document = yamlfile.load(path, "q.yaml")
    assert document.data is None
    [problem] = document.problems
    assert str(problem).startswith("q.yaml:1:8: tag !!python/")
    assert str(problem).endswith("is not allowed: question files hold plain text only")
    assert not marker.exists()


def test_the_loader_is_a_safe_loader() -> None:
    """Only the safe constructors exist: no tag can build a Python object."""
    assert issubclass(yamlfile._Loader, yaml.SafeLoader | yaml.CSafeLoader)
    constructors = yamlfile._Loader.yaml_constructors
    assert not [tag for tag in constructors if tag and "python" in tag]
    assert not yamlfile._Loader.yaml_multi_constructors


# Bombs and nesting, in a child process ------------------------------------


def test_billion_laughs_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    (tmp_path / "q.yaml").write_text("\n".join(lines) + "\n")
    message = one_problem(check_in_child(tmp_path / "q.yaml"))
    assert message.endswith(
        "aliases (*name) expand this file more than 10 times over: write the values out instead"
    )


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    (tmp_path / "q.yaml").write_text("facts: &a {x: *a}\n")
    message = one_problem(check_in_child(tmp_path / "q.yaml"))
    assert "aliases (*name) expand this file" in message


# Where level 101 starts, for each shape: its (line, column). Depths on both sides of libyaml's
# own limit of 1,000 levels (PyYAML 6.0.4's wheels refuse flow nesting there with their own
# message): quizgen's message and location must not depend on which PyYAML is installed.
DEEP_SHAPES = {
    "flow-lists": (lambda depth: "[" * depth + "]" * depth, (1, 101)),
    "flow-maps": (lambda depth: "{a: " * depth + "}" * depth, (1, 401)),
    "block-dashes": (lambda depth: "- " * depth + "x", (1, 201)),
    # crashed libyaml's composer before it was guarded
    "block-keys": (lambda depth: "? " * depth + "x", (1, 201)),
    # the mappings of the file, of facts: and of a: are levels 1 to 3: level 101 is bracket 98
    "value-lists": (lambda depth: "facts:\n  a:\n    value: " + "[" * depth, (3, 109)),
}


@pytest.mark.parametrize("depth", [150, 999, 1_001, 10_000, 100_000])
@pytest.mark.parametrize("shape", sorted(DEEP_SHAPES))
def test_deep_nesting_is_refused_without_crashing(tmp_path: Path, depth: int, shape: str) -> None:
    make_text, (line, column) = DEEP_SHAPES[shape]
    (tmp_path / "q.yaml").write_text(make_text(depth) + "\n")
    message = one_problem(check_in_child(tmp_path / "q.yaml"))
    assert "\n" not in message
    assert message == (
        f"{tmp_path / 'q.yaml'}:{line}:{column}: "
        "nested more than 100 levels deep: a question file needs only a few levels"
    )


def test_the_nesting_guard_reads_only_the_start_of_a_deep_file() -> None:
    # The exact measure walks events only until level 101, so a deep file costs a kilobyte of
    # parsing whatever its length; a walk to the end would take seconds at this size.
    text = "[" * 5_000_000
    problem = yamlfile.parse(text, "q.yaml").problems[0]
    assert str(problem) == (
        "q.yaml:1:101: nested more than 100 levels deep: a question file needs only a few levels"
    )


def test_deep_indentation_is_refused(tmp_path: Path) -> None:
    text = "".join(" " * level + f"k{level}:\n" for level in range(3000))
    (tmp_path / "q.yaml").write_text(text)
    message = one_problem(check_in_child(tmp_path / "q.yaml"))
    assert message.startswith(f"{tmp_path / 'q.yaml'}:101:")
    assert "nested more than 100 levels deep" in message


# Huge input -----------------------------------------------------------------


def test_a_50_mb_question_file_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w") as stream:
        line = "# " + "x" * 1021 + "\n"  # 1 KiB
        for _ in range(50 * 1024):
            stream.write(line)
    message = one_problem(check_in_child(path))
    assert message.endswith(
        "huge.yaml:1:1: is 50.0 MB, over the 16 MB limit: split it into smaller files"
    )


def test_a_50_mb_article_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with (seeds / "big.txt").open("w") as stream:
        for _ in range(50 * 1024):
            stream.write(("All work and no play. " * 47)[:1023] + "\n")  # 1 KiB
    write_sources(seeds, {"big": "big.txt"})
    questions = tmp_path / "q.yaml"
    questions.write_text("facts: {}\nquestions: []\n")
    message = one_problem(check_in_child(questions, seeds))
    assert message.endswith(
        f"source 'big': {seeds / 'big.txt'} is 50.0 MB, over the 8 MB limit: "
        "a news article is far smaller; is this the right file?"
    )


# Encodings --------------------------------------------------------------------


def test_not_utf8_is_located_at_the_bad_byte_in_characters(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_bytes("deck: “Café” été\n".encode().replace("ét".encode(), b"\xe9t"))
    [problem] = yamlfile.load(path, "q.yaml").problems
    assert str(problem) == "q.yaml:1:14: is not UTF-8 (byte 0xe9): save the file as UTF-8"


def test_a_bom_and_crlf_load_like_plain_lf(tmp_path: Path) -> None:
    text = "deck: Funding\nfacts: {}\nquestions:\n  - id: a\n    type: cloze\n    fact: x\n"
    plain, windows = tmp_path / "plain.yaml", tmp_path / "windows.yaml"
    plain.write_text(text)
    windows.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    one, other = yamlfile.load(plain, "f.yaml"), yamlfile.load(windows, "f.yaml")
    assert one.data == other.data
    assert one.data["questions"][0].location == other.data["questions"][0].location
    assert other.data["questions"][0].location.line == 4


def test_an_article_with_a_bom_and_crlf_matches_quotes(tmp_path: Path) -> None:
    article = "\ufeffTitle\r\n\r\nThe council voted 7 to 2.\r\nIt will not close.\r\n"
    seeds = write_seeds(tmp_path, {"tiny": ("tiny.txt", article.encode())})
    problems = check_quote(tmp_path, seeds, "tiny", "voted 7 to 2. It will not close.", "7")
    assert problems == []


# Paths in sources.yaml ----------------------------------------------------


def write_sources(seeds: Path, files: dict[str, str]) -> None:
    entries = "".join(
        f"  {source_id}:\n    file: {name}\n    title: T\n    sha256: {'f' * 64}\n"
        for source_id, name in files.items()
    )
    (seeds / "sources.yaml").write_text("sources:\n" + entries)


def write_seeds(tmp_path: Path, articles: dict[str, tuple[str, bytes]]) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    entries = ""
    for source_id, (name, content) in articles.items():
        (seeds / name).write_bytes(content)
        digest = hashlib.sha256(content).hexdigest()
        entries += f"  {source_id}:\n    file: {name}\n    title: T\n    sha256: {digest}\n"
    (seeds / "sources.yaml").write_text("sources:\n" + entries)
    return seeds


def check_quote(tmp_path: Path, seeds: Path, source: str, quote: str, value: str) -> list[str]:
    questions = tmp_path / "questions.yaml"
    questions.write_text(
        f"facts:\n  f:\n    source: {source}\n    quote: {quote!r}\n    value: {value!r}\n"
        "questions:\n  - {id: q, type: cloze, fact: f}\n"
    )
    return [str(p) for p in api.check_bank([questions], seeds, tmp_path / "decks").problems]


@pytest.fixture
def seeds_with(tmp_path: Path, monkeypatch):
    """A seeds/ folder whose one article 'a' is whatever the test makes of seeds/<name>."""
    monkeypatch.chdir(tmp_path)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (tmp_path / "outside.txt").write_text("Outside the seeds folder.\n")

    def problems(name: str) -> list[str]:
        write_sources(seeds, {"a": name})
        questions = tmp_path / "q.yaml"
        questions.write_text("facts:\n  f: {source: a, quote: Outside, value: Outside}\n")
        return [str(p) for p in api.check_bank([questions], Path("seeds"), tmp_path).problems]

    return seeds, problems


OUTSIDE = (
    "is outside seeds/: articles must live in the seeds folder "
    "(no '..', absolute paths or links that lead out)"
)


def test_an_article_path_with_dotdot_is_refused(seeds_with) -> None:
    _, problems = seeds_with
    assert problems("../outside.txt") == [
        f"seeds/sources.yaml:3:11: source 'a': file '../outside.txt' {OUTSIDE}"
    ]


def test_an_absolute_article_path_is_refused(seeds_with, tmp_path: Path) -> None:
    _, problems = seeds_with
    absolute = str(tmp_path / "outside.txt")
    assert problems(absolute) == [
        f"seeds/sources.yaml:3:11: source 'a': file {absolute!r} {OUTSIDE}"
    ]


def test_a_link_that_leads_out_of_seeds_is_refused(seeds_with, tmp_path: Path) -> None:
    seeds, problems = seeds_with
    (seeds / "link.txt").symlink_to(tmp_path / "outside.txt")
    assert problems("link.txt") == [
        f"seeds/sources.yaml:3:11: source 'a': file 'link.txt' {OUTSIDE}"
    ]


def test_a_link_within_seeds_is_followed(seeds_with, tmp_path: Path) -> None:
    seeds, problems = seeds_with
    (seeds / "real.txt").write_text("Outside the seeds folder.\n")
    (seeds / "link.txt").symlink_to("real.txt")
    [problem] = problems("link.txt")  # only the sha256 placeholder is wrong
    assert "seeds/link.txt has changed since its sha256 was recorded" in problem


@pytest.mark.parametrize(
    ("make", "complaint"),
    [
        (lambda seeds: None, "seeds/a.txt file not found"),
        (lambda seeds: (seeds / "a.txt").mkdir(), "seeds/a.txt is a directory, not a file"),
        (lambda seeds: os.mkfifo(seeds / "a.txt"), "seeds/a.txt is not a regular file"),
    ],
    ids=["missing", "directory", "fifo"],
)
def test_an_article_that_cannot_be_read_is_refused(seeds_with, make, complaint) -> None:
    seeds, problems = seeds_with
    make(seeds)
    # A FIFO with no writer would block a naive read forever; the check must not.
    assert problems("a.txt") == [f"seeds/sources.yaml:3:11: source 'a': {complaint}"]


def test_an_article_under_a_file_is_refused(seeds_with) -> None:
    """Unreadable even for root, who may read a chmod 000 file: its parent is not a folder."""
    seeds, problems = seeds_with
    (seeds / "a.txt").write_text("A file, not a folder.\n")
    assert problems("a.txt/inside.txt") == [
        "seeds/sources.yaml:3:11: source 'a': seeds/a.txt/inside.txt cannot be read: "
        "Not a directory"
    ]


def test_a_question_file_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "q.yaml"
    os.mkfifo(fifo)
    problems = [str(p) for p in api.check_bank([fifo], SEEDS, tmp_path).problems]
    assert problems == [f"{fifo}:1:1: is not a regular file"]


# Every problem in every file ---------------------------------------------------


def test_every_file_is_reported_in_one_run(tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "a.yaml").write_text("facts: [\n")
    (folder / "b.yaml").write_bytes(b"deck: \xff\n")
    (folder / "c.yaml").write_text("- not a mapping\n")
    (folder / "d.yaml").write_text("facts:\n\tx: 1\n")
    (folder / "e.yaml").write_text("questions:\n  - {id: q, type: cloze, fact: nope}\n")
    problems = api.check_bank([folder], SEEDS, tmp_path).problems
    assert [Path(p.location.path).name for p in problems] == [
        "a.yaml",
        "b.yaml",
        "c.yaml",
        "d.yaml",
        "e.yaml",
    ]
