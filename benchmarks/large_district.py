"""Write a generated district of any size as a dataset folder the app can open.

Grids, centers, organizations, surveys and the work-order counts
(``work_order_counts.csv``) are those of :func:`govopt.data.sample.generate`.

Usage::

    .venv/bin/python benchmarks/large_district.py /tmp/govopt-50k --grids 50000

Open it with ``GOVOPT_DATA=/tmp/govopt-50k .venv/bin/streamlit run app.py``.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from govopt.data.io import write_dataset
from govopt.data.sample import generate

__all__ = ["main"]


def main() -> None:
    """Command line: generate, write, print sizes and times."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--grids", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    dataset = generate(n_grids=args.grids, seed=args.seed)
    t1 = time.perf_counter()
    write_dataset(dataset, args.folder)
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"{len(dataset.grids):,} grids, {len(dataset.centers):,} centers, "
        f"{len(dataset.social_orgs):,} organizations, {dataset.orders_total:,} work orders "
        f"(counted); generate {t1 - t0:.1f} s, write {t2 - t1:.1f} s, peak RSS {rss:.1f} GB"
    )


if __name__ == "__main__":
    main()
