"""Time each stage of `quizgen build` in one process, to see which one to work on.

run.py measures whole commands against the floor; this splits one build into
its stages (load, history, check, giveaways, each renderer, the writes) with
their CPU and wall times, then each output's CPU time and size as ratios to the
Anki package's.

    python benchmarks/stages.py benchmarks/out/10k
"""

from __future__ import annotations

import gc
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from generator.bank.load import load_bank  # noqa: E402
from generator.build import _write_all  # noqa: E402
from generator.outputs import REGISTRY  # noqa: E402
from generator.outputs.base import BuildContext, BuildOptions  # noqa: E402
from generator.rules import history  # noqa: E402
from generator.rules.check import check  # noqa: E402
from generator.rules.giveaways import printed_giveaways  # noqa: E402

ROWS: list[tuple[str, float, float]] = []


@contextmanager
def stage(name: str):
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    ROWS.append((name, time.perf_counter() - wall, time.process_time() - cpu))


def main(bank_dir: Path) -> None:
    gc.set_threshold(100_000, 50, 1000)
    out = Path(tempfile.mkdtemp())
    try:
        with stage("load"):
            bank, articles, problems = load_bank([bank_dir / "questions"], bank_dir / "seeds")
        with stage("history"):
            history.disappeared(bank, out, None)
        with stage("check"):
            found, questions = check(bank, articles)
        if problems or found:
            raise SystemExit(f"{bank_dir} is not clean: {(problems + found)[0]}")
        with stage("giveaways"):
            printed_giveaways(questions, bank.pools)
        context = BuildContext(
            tuple(questions),
            BuildOptions(out_dir=out),
            lambda name: None,
            tuple(bank.sources.values()),
            bank.pools,
        )
        files: dict[str, bytes] = {}
        sizes: dict[str, int] = {}
        for output in REGISTRY:
            with stage(f"render {output.name}"):
                rendered = output.render(context)
            files.update(rendered)
            sizes[output.name] = sum(len(content) for content in rendered.values())
        with stage(f"write {len(files)} files"):
            _write_all({out / name: content for name, content in files.items()})
    finally:
        shutil.rmtree(out)
    width = max(len(name) for name, _, _ in ROWS)
    for name, wall, cpu in ROWS:
        print(f"{name:<{width}}  wall {wall:6.3f} s  cpu {cpu:6.3f} s")
    print(f"{'total':<{width}}  wall {sum(r[1] for r in ROWS):6.3f} s")
    # Each output against the Anki package, the reference: CPU time and bytes written.
    cpu = {name.removeprefix("render "): c for name, _, c in ROWS if name.startswith("render ")}
    print(f"\n{'output':<12} {'cpu × anki':>10} {'bytes':>12} {'size × anki':>11}")
    for name, size in sizes.items():
        print(
            f"{name:<12} {cpu[name] / cpu['anki']:>10.2f} {size:>12,} {size / sizes['anki']:>11.2f}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
