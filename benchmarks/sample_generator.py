"""Time :func:`govopt.data.sample.generate` for districts of several sizes.

Run from the repository root::

    .venv/bin/python benchmarks/sample_generator.py [--sizes 1076 10000 100000]

Prints one Markdown table row per size: grids, work orders, seconds, peak
resident memory of the process so far.
"""

from __future__ import annotations

import argparse
import platform
import resource
import time

from govopt.data.sample import generate

__all__ = ["main"]


def main() -> None:
    """Command line: generate each size once and print a Markdown table."""
    p = argparse.ArgumentParser(description="Time the sample generator.")
    p.add_argument("--sizes", type=int, nargs="+", default=[1076, 10_000, 100_000])
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}")
    print("| grids | centers | social orgs | work orders | seconds | peak RSS (GB) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        start = time.perf_counter()
        d = generate(n, seed=args.seed)
        seconds = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
        print(
            f"| {len(d.grids):,} | {len(d.centers):,} | {len(d.social_orgs):,} "
            f"| {len(d.work_orders):,} | {seconds:.1f} | {rss:.1f} |",
            flush=True,
        )
        del d


if __name__ == "__main__":
    main()
