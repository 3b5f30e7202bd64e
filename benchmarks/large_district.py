"""Write a generated district of any size as a dataset folder the app can open.

Grids, centers, organizations and surveys are those of
:func:`govopt.data.sample.generate`; the work-order log is sampled down to
``--orders`` rows (default 2,000,000) so the gzipped ``work_orders.csv.gz``
stays within the 200 MB file and 2 GB unpacked limits of the dataset reader.

Usage::

    .venv/bin/python benchmarks/large_district.py /tmp/govopt-50k --grids 50000

Open it with ``GOVOPT_DATA=/tmp/govopt-50k .venv/bin/streamlit run app.py``.
"""

from __future__ import annotations

import argparse
import resource
import time
from dataclasses import replace
from pathlib import Path

from govopt.data.dataset import Dataset
from govopt.data.io import write_dataset
from govopt.data.sample import generate

__all__ = ["large_district", "main"]

DEFAULT_ORDERS = 2_000_000


def large_district(n_grids: int, seed: int = 1, max_orders: int = DEFAULT_ORDERS) -> Dataset:
    """A generated district of ``n_grids`` grids with at most ``max_orders`` work orders."""
    dataset = generate(n_grids=n_grids, seed=seed)
    if len(dataset.work_orders) > max_orders:
        orders = dataset.work_orders.sample(max_orders, random_state=seed).sort_index()
        dataset = replace(dataset, work_orders=orders.reset_index(drop=True))
    return dataset


def main() -> None:
    """Command line: generate, write, print sizes and times."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--grids", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--orders", type=int, default=DEFAULT_ORDERS)
    args = ap.parse_args()
    t0 = time.perf_counter()
    dataset = large_district(args.grids, args.seed, args.orders)
    t1 = time.perf_counter()
    write_dataset(dataset, args.folder, gzip_tables=("work_orders",))
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"{len(dataset.grids):,} grids, {len(dataset.centers):,} centers, "
        f"{len(dataset.social_orgs):,} organizations, {len(dataset.work_orders):,} work orders; "
        f"generate {t1 - t0:.1f} s, write {t2 - t1:.1f} s, peak RSS {rss:.1f} GB"
    )


if __name__ == "__main__":
    main()
