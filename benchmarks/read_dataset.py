"""Time reading a dataset folder into a :class:`~govopt.data.dataset.Dataset`, with peak memory.

Run from the repository root::

    .venv/bin/python benchmarks/read_dataset.py FOLDER [FOLDER ...]

Each folder is loaded in its own process (``load_dataset``: read, type,
check; the work-order log streamed into counts). Prints one Markdown table
row per folder: grids, work orders, seconds (wall, and CPU: user + system of
that process, which says more than wall time on a shared machine), peak RSS
of that process, and the load average when it ended.
Folders come from ``govopt sample DIR --grids N`` (see
``benchmarks/sample_generator.py --out``).
"""

from __future__ import annotations

import argparse
import json
import os
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
    print(
        "| folder | grids | work orders | count rows | load (s) | process (s) "
        "| CPU (s) | peak RSS (GB) | load avg |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for folder in args.folders:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(folder)], check=True, capture_output=True, text=True
        )
        total = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        peak = after.ru_maxrss
        rss = f"{peak / 1024**2:.2f}" if peak > before.ru_maxrss else "(hidden)"
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"| {folder.name} | {r['grids']:,} | {r['orders']:,} | {r['count_rows']:,} "
            f"| {r['seconds']:.1f} | {total:.1f} | {cpu:.1f} | {rss} | {os.getloadavg()[0]:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
