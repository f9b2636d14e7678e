"""Time `quizgen check` and `quizgen build` against the floor, on the same synthetic banks.

Every measurement is a fresh child process, start-up included: its wall time,
and its peak RSS from os.wait4. For each size it times

- `quizgen build` cold: into an empty decks/ folder, with an empty check cache
  (it loads and checks the bank, then writes the Anki package, the HTML
  quizzes and the coverage report);
- `quizgen check` cold (`--no-cache`), with those decks in place (it must exit
  0: the generated bank is clean);
- `quizgen check` again with nothing changed, as on every save in an editor:
  it reads back the result that the build left in the cache;
- the floor (floor.py): the same YAML through PyYAML's C loader, plus genanki
  writing one note per question;

and prints a Markdown table. Then it times `quizgen check` on the real bank.

    python benchmarks/run.py                     # 1k, 10k and 100k (100k takes minutes)
    python benchmarks/run.py --sizes 1k,10k --repeat 3
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import make_bank

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FLOOR = HERE / "floor.py"


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    last_line: str = ""  # what the command said last: quizgen's summary


@dataclass(frozen=True)
class Measure:
    """The median wall time of several runs, and the largest peak RSS among them."""

    runs: tuple[Run, ...]

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)


def quizgen_command() -> list[str]:
    """The installed `quizgen` script beside this Python (not a pyenv shim), else -m."""
    script = Path(sys.executable).parent / "quizgen"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "generator"]


def run_child(command: list[str], cwd: Path, expect: int = 0) -> Run:
    """Run one fresh child; its wall time and peak RSS (ru_maxrss is in KiB on Linux)."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != expect:
            output.seek(0)
            tail = output.read()[-4000:].decode("utf-8", "replace")
            raise SystemExit(
                f"{' '.join(command)} exited {child.returncode}, not {expect}:\n{tail}"
            )
        output.seek(0)
        lines = output.read()[-1000:].decode("utf-8", "replace").strip().splitlines()
    return Run(seconds, usage.ru_maxrss / 1024, lines[-1] if lines else "")


def measure(command: list[str], cwd: Path, repeat: int, before=None) -> Measure:
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(run_child(command, cwd))
    return Measure(tuple(runs))


@dataclass(frozen=True)
class Row:
    size: str
    questions: int
    articles: int
    check: Measure  # cold: --no-cache
    cached_check: Measure  # nothing changed since the build
    build: Measure  # cold: empty decks/ and cache
    floor: Measure
    files_written: int
    written_mb: float
    yaml_mb: float
    articles_mb: float


def bench_size(size: str, repeat: int) -> Row:
    questions, articles = make_bank.SIZES[size]
    bank = make_bank.make_bank(make_bank.OUT / size, questions, articles)
    quizgen = quizgen_command()
    sources = ["--questions", "questions", "--seeds", "seeds"]
    out = bank / "decks"
    cache = bank / ".quizgen-cache"
    os.environ["QUIZGEN_CACHE_DIR"] = str(cache)

    def cold() -> None:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    build = measure([*quizgen, "build", *sources, "--out", "decks"], bank, repeat, cold)
    # After a build, as in a repository with committed decks: check then also reads
    # decks/quizgen.lock.json for ids that vanished.
    check = measure([*quizgen, "check", "--no-cache", *sources], bank, repeat)
    cached_check = measure([*quizgen, "check", *sources], bank, repeat)
    floor = measure([sys.executable, str(FLOOR), str(bank)], bank, repeat)
    written = [p for p in out.iterdir() if not p.name.startswith(".")] if out.exists() else []
    return Row(
        size,
        questions,
        articles,
        check,
        cached_check,
        build,
        floor,
        len(written),
        _megabytes(written),
        _megabytes((bank / "questions").glob("*.yaml")),
        _megabytes((bank / "seeds").glob("*.txt")),
    )


def _megabytes(paths) -> float:
    return sum(path.stat().st_size for path in paths) / 1024**2


def real_bank(runs: int) -> Measure:
    """`quizgen check` on the bank in this repository, start-up included."""
    return measure([*quizgen_command(), "check"], REPO, runs)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024**2:.0f} GiB RAM"
                break
    except OSError:
        pass
    import genanki
    import yaml

    return (
        f"{cpu}, {os.cpu_count()} CPUs{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; PyYAML {yaml.__version__} "
        f"(libyaml {'yes' if hasattr(yaml, 'CSafeLoader') else 'no'}), "
        f"genanki {genanki.__version__}"
    )


def table(rows: list[Row]) -> str:
    head = (
        "| size | articles | floor s | build s | check s | check, unchanged s "
        "| build / floor | (build + check) / floor | (build + unchanged check) / floor "
        "| peak RSS build | peak RSS check | peak RSS floor |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for row in rows:
        floor = row.floor.seconds
        both = row.build.seconds + row.check.seconds
        warm = row.build.seconds + row.cached_check.seconds
        lines.append(
            f"| {row.size} | {row.articles:,} | {floor:.2f} | {row.build.seconds:.2f} "
            f"| {row.check.seconds:.2f} | {row.cached_check.seconds:.2f} "
            f"| {row.build.seconds / floor:.2f}× | {both / floor:.2f}× | {warm / floor:.2f}× "
            f"| {row.build.peak_mb:.0f} MB | {row.check.peak_mb:.0f} MB "
            f"| {row.floor.peak_mb:.0f} MB |"
        )
    return "\n".join(lines)


def scaling(rows: list[Row]) -> list[str]:
    by_size = {row.size: row for row in rows}
    notes = []
    for small, large in (("1k", "10k"), ("10k", "100k")):
        if small in by_size and large in by_size:
            a, b = by_size[small], by_size[large]
            notes.append(
                f"{large} / {small}: check {b.check.seconds / a.check.seconds:.1f}×, "
                f"build {b.build.seconds / a.build.seconds:.1f}×, "
                f"floor {b.floor.seconds / a.floor.seconds:.1f}×"
            )
    return notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k,100k", help="comma-separated: 1k,10k,100k")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--real-runs", type=int, default=5, help="runs of check on the real bank")
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in make_bank.SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; choose from {', '.join(make_bank.SIZES)}")

    print(f"Machine: {machine()}")
    print(f"quizgen: {' '.join(quizgen_command())}\n", flush=True)
    rows = []
    for size in sizes:
        # 100k runs take minutes each: once is enough to see the trend.
        repeat = 1 if size == "100k" else args.repeat
        print(f"... {size}", file=sys.stderr, flush=True)
        rows.append(bench_size(size, repeat))
    print(table(rows))
    for note in scaling(rows):
        print(f"\n{note}")
    print()
    for row in rows:
        print(
            f"{row.size}: {row.questions:,} questions in {row.yaml_mb:.1f} MB of YAML, "
            f"{row.articles:,} articles ({row.articles_mb:.1f} MB); build wrote "
            f"{row.files_written} files ({row.written_mb:.0f} MB); check said: "
            f"{row.check.runs[-1].last_line}"
        )
        if row.files_written == 0:
            print(f"Note: `quizgen build` wrote no files for {row.size} (no renderers yet).")
    real = real_bank(args.real_runs)
    runs = ", ".join(f"{run.seconds:.3f}" for run in real.runs)
    print(
        f"\nReal bank (questions/, seeds/): `quizgen check` median {real.seconds:.3f} s "
        f"of {len(real.runs)} runs ({runs}), peak RSS {real.peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
