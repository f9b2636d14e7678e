"""Renderers side by side in forked workers: the same files as one after another.

Forking happens in child processes here, never in the test process: pytest-xdist's
workers run threads, and forking a process with threads is unsafe.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

from generator import workers
from generator.bank.model import Location, Problem
from generator.outputs.base import RenderError

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_a_parallel_build_writes_exactly_the_committed_decks() -> None:
    result = run("-m", "generator", "build", "--check", "--jobs", "3")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stderr


def test_a_parallel_build_writes_the_same_files_as_a_serial_one(tmp_path: Path) -> None:
    lock = (ROOT / "decks" / "quizgen.lock.json").read_bytes()
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        out.mkdir()
        # The committed lock keeps every note's mod, so the two packages can be compared.
        (out / "quizgen.lock.json").write_bytes(lock)
        result = run(
            "-m", "generator", "build", "--out", str(out), "--jobs", jobs, "--versions", "2"
        )
        assert result.returncode == 0, result.stdout + result.stderr
        outputs[jobs] = {path.name: path.read_bytes() for path in out.iterdir()}
    assert outputs["1"] == outputs["2"]
    assert len(outputs["2"]) > 10


def test_a_render_error_in_a_worker_comes_back_as_its_problem() -> None:
    script = textwrap.dedent(
        """
        from generator import workers
        from generator.outputs.base import RenderError
        from generator.bank.model import Location, Problem

        def fine(context):
            return {"fine.txt": b"fine"}

        def failing(context):
            raise RenderError(Problem(Location("quiz.pdf", 2, 3), "WeasyPrint is missing"))

        try:
            workers.render_all(None, [fine, failing], jobs=2)
        except RenderError as error:
            print(error.problem)
        """
    )
    result = run("-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "quiz.pdf:2:3: WeasyPrint is missing\n"


def test_renderers_run_in_other_processes_when_jobs_allow() -> None:
    script = textwrap.dedent(
        """
        import os
        from generator import workers

        def where(context):
            return {f"pid-{os.getpid()}": b""}

        def also(context):
            return {"also": b""}

        files = workers.render_all(None, [where, also], jobs=2)
        print(next(name for name in files if name.startswith("pid-")) != f"pid-{os.getpid()}")
        files = workers.render_all(None, [where, also], jobs=1)
        print(next(name for name in files if name.startswith("pid-")) != f"pid-{os.getpid()}")
        """
    )
    result = run("-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def test_a_render_error_survives_the_trip_between_processes() -> None:
    problem = Problem(Location("quiz-all.pdf"), "cannot print")
    assert pickle.loads(pickle.dumps(RenderError(problem))).problem == problem


def test_small_banks_render_in_this_process() -> None:
    assert workers.default_jobs(workers.MIN_QUESTIONS_TO_FORK - 1) == 1
    assert workers.default_jobs(workers.MIN_QUESTIONS_TO_FORK) == len(os.sched_getaffinity(0))
