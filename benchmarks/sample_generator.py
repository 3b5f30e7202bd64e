"""Time ``govopt sample`` (generate and write a district folder) for several sizes.

Run from the repository root::

    .venv/bin/python benchmarks/sample_generator.py [--sizes 10000 50000 100000] [--out DIR]

Each size runs in its own process (``python -m govopt.cli sample``), so the
peak resident memory is that of one run. Prints one Markdown table row per
size: grids, work orders, seconds, peak RSS, size of ``work_orders.csv.gz``.
The folders are left in ``--out`` (default: a temporary folder, removed).
"""

from __future__ import annotations

import argparse
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main", "run_sample"]


def run_sample(folder: Path, n: int, seed: int, counts_only: bool = False) -> tuple[float, float]:
    """Write a sample of ``n`` grids into ``folder``; seconds and peak RSS (GB) of the process."""
    cmd = [sys.executable, "-m", "govopt.cli", "sample", str(folder), "--grids", str(n)]
    cmd += ["--seed", str(seed), "--force"] + (["--counts-only"] if counts_only else [])
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        raise RuntimeError("peak memory of the run is hidden by an earlier, larger run")
    return seconds, peak / 1024**2


def main() -> None:
    """Command line: one run per size, one Markdown row per run."""
    p = argparse.ArgumentParser(description="Time the sample generator and writer.")
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--counts-only", action="store_true")
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="govopt-bench-"))
    print(f"Python {platform.python_version()} on {platform.machine()}")
    print("| grids | work orders | seconds | peak RSS (GB) | work_orders.csv.gz (MB) |")
    print("|---:|---:|---:|---:|---:|")
    try:
        for n in sorted(args.sizes):
            folder = out / f"grids_{n}"
            seconds, rss = run_sample(folder, n, args.seed, args.counts_only)
            log = folder / "work_orders.csv.gz"
            size = log.stat().st_size / 1e6 if log.exists() else 0.0
            orders = round(600_000 * n / 1076)
            print(f"| {n:,} | {orders:,} | {seconds:.1f} | {rss:.2f} | {size:,.0f} |", flush=True)
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
