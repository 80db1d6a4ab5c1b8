"""The ranking atlas drawn by several processes: each draws a run of pages, pypdf joins them.

Drawing a page is matplotlib laying out and writing ≈70 texts (≈1 ms each in FreeType and
libraqm) and the ward's paths; one process cannot go faster than that, but the pages are
independent. Each worker draws its run on its own reused ``AtlasSheet`` and reports each
page on a queue, so the caller can show progress while they work. The drawing function is
handed in (``geo.printmap.atlas_run_pdf``, pickled by name): this module never imports the
package that calls it.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import queue as queues
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, wait

from geo.printmap.frame import PrintMeta

# Fewer pages than this per process and the process costs more (start, fonts) than it saves.
MIN_PAGES_PER_WORKER = 6

_progress = None  # the worker's end of the progress queue (set by ``_start_worker``)


def worker_count(pages: int, cpus: int | None = None) -> int:
    """How many processes to draw ``pages`` pages with: one per core, each with at least
    ``MIN_PAGES_PER_WORKER`` pages.

    >>> worker_count(27, 2), worker_count(27, 8), worker_count(5, 8)
    (2, 4, 1)
    """
    cpus = cpus or os.cpu_count() or 1
    return max(1, min(cpus, pages // MIN_PAGES_PER_WORKER))


def _context():
    """``fork`` from a single-threaded process (the command line): the worker starts at
    once with everything imported. From a server with other threads a fork could copy a
    lock that one of them holds, so then ``forkserver``, whose clean parent imports the
    printing modules once and forks the workers from there."""
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["geo.printmap"])
    return context


def _start_worker(progress) -> None:
    global _progress
    _progress = progress


def _draw_run(draw: Callable[..., bytes], layers: dict, rows: list[dict], meta: PrintMeta,
              paper: str, overview: bool, codes: list[str]) -> bytes:
    return draw(layers, rows, meta, paper, overview, codes,
                on_page=lambda _done: _progress.put(1))


def split(codes: list[str], runs: int) -> list[list[str]]:
    """``codes`` in ``runs`` consecutive runs; the first, which also draws the overview,
    one page shorter where they cannot be equal.

    >>> split(["a", "b", "c", "d", "e"], 2)
    [['a', 'b'], ['c', 'd', 'e']]
    """
    pages = len(codes) + 1
    bounds = [round(i * pages / runs) for i in range(runs + 1)]
    return [codes[max(0, lo - 1):hi - 1] for lo, hi in zip(bounds, bounds[1:], strict=False)]


def parallel_atlas_pdf(draw: Callable[..., bytes], layers: dict, rows: list[dict],
                       meta: PrintMeta, paper: str, codes: list[str], workers: int,
                       on_page=None) -> bytes:
    """The overview and the pages of ``codes`` drawn by ``workers`` processes, each run by
    ``draw`` (a module-level function, as ``atlas_run_pdf``), joined."""
    from pypdf import PdfReader, PdfWriter

    context = _context()
    progress = context.Queue()
    runs = split(codes, workers)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=_start_worker, initargs=(progress,)) as pool:
        futures = [pool.submit(_draw_run, draw, layers, rows, meta, paper, i == 0, run)
                   for i, run in enumerate(runs)]
        done, total = 0, len(codes) + 1
        while done < total:
            try:
                progress.get(timeout=0.2)
            except queues.Empty:
                if any(future.done() and future.exception() for future in futures):
                    break
                continue
            done += 1
            if on_page:
                on_page(done)
        wait(futures)
        parts = [future.result() for future in futures]  # raises a worker's error here
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    writer.add_metadata(PdfReader(io.BytesIO(parts[0])).metadata)  # title, author, date
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
