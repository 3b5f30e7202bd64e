"""Time reading a dataset folder into a :class:`~govopt.data.dataset.Dataset`, with peak memory.

Run from the repository root::

    .venv/bin/python benchmarks/read_dataset.py FOLDER [FOLDER ...]

Each folder is loaded in its own process (``load_dataset``: read, type,
check; the work-order log streamed into counts). Prints one Markdown table
row per folder: grids, work orders, seconds, peak RSS of that process.
Folders come from ``govopt sample DIR --grids N`` (see
``benchmarks/sample_generator.py --out``).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["main"]

_CHILD = """
import json, sys, time
from govopt.data.validate import load_dataset
start = time.perf_counter()
d = load_dataset(sys.argv[1])
print(json.dumps({"grids": len(d.grids), "orders": d.orders_total,
                  "count_rows": len(d.work_order_counts),
                  "seconds": time.perf_counter() - start}))
"""


def main() -> None:
    """Command line: load each folder in a fresh process and print a Markdown table."""
    p = argparse.ArgumentParser(description="Time folder -> Dataset.")
    p.add_argument("folders", type=Path, nargs="+")
    args = p.parse_args()
    print("| folder | grids | work orders | count rows | load (s) | process (s) | peak RSS (GB) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for folder in args.folders:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(folder)], check=True, capture_output=True, text=True
        )
        total = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rss = f"{peak / 1024**2:.2f}" if peak > before else "(hidden)"
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"| {folder.name} | {r['grids']:,} | {r['orders']:,} | {r['count_rows']:,} "
            f"| {r['seconds']:.1f} | {total:.1f} | {rss} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
