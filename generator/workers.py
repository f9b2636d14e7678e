"""Run the renderers side by side, in forked processes, when the bank is large enough to gain.

A renderer is a pure function of the checked bank: questions in, file contents
out. A forked worker inherits the bank as it stands in memory, without copying
or pickling it; only the rendered bytes come back. Forking costs a few
milliseconds per worker, so a small bank renders in this process.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .outputs.base import BuildContext, Renderer

# Below this many questions the renderers take a few hundred milliseconds in all.
MIN_QUESTIONS_TO_FORK = 2000

# What the forked workers render: set just before they are forked, and inherited.
_job: tuple[BuildContext, Sequence[Renderer]] | None = None


def default_jobs(questions: int) -> int:
    """Every CPU this process may use for a large bank; one for a small one."""
    if questions < MIN_QUESTIONS_TO_FORK:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_all(context: BuildContext, renderers: Sequence[Renderer], jobs: int) -> dict[str, bytes]:
    """Every renderer's files; with jobs > 1, up to that many renderers at once."""
    jobs = min(jobs, len(renderers))
    if jobs > 1:
        # Imported only here: a small bank renders in this process, and never needs them.
        import multiprocessing
        from concurrent.futures.process import BrokenProcessPool

        if "fork" in multiprocessing.get_all_start_methods():
            try:
                return _render_forked(context, renderers, jobs)
            except BrokenProcessPool:
                pass  # a worker was killed (out of memory?): render here instead
    files: dict[str, bytes] = {}
    for render in renderers:
        files.update(render(context))
    return files


def _render_forked(
    context: BuildContext, renderers: Sequence[Renderer], jobs: int
) -> dict[str, bytes]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _job
    _job = (context, renderers)
    try:
        fork = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=fork) as pool:
            futures = [pool.submit(_render_one, index) for index in range(len(renderers))]
            files: dict[str, bytes] = {}
            for future in futures:
                files.update(future.result())  # a renderer's exception is raised here
            return files
    finally:
        _job = None


def _render_one(index: int) -> dict[str, bytes]:
    assert _job is not None, "workers are forked after the job is set"
    context, renderers = _job
    return renderers[index](context)
