"""Regenerate the bundled Zhangqiu sample in ``data/zhangqiu/`` from its outline.

Run from the repository root::

    .venv/bin/python scripts/make_sample.py [--seed 0]

It reads the outline the package ships (``govopt/data/zhangqiu-outline.geojson``,
made by ``scripts/extract_outline.py``), calls :func:`govopt.data.sample.generate_with_orders`
and writes every table with :func:`govopt.data.io.write_dataset` (the raw
work orders gzipped, chunk by chunk). In ``data/zhangqiu/`` itself,
``outline.geojson`` is a relative link to the package's file, so the outline
has one home.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path

import geopandas as gpd

from govopt.data.io import write_dataset
from govopt.data.sample import DEFAULT_OUTLINE, default_outline, generate_with_orders

__all__ = ["main"]

OUT = Path(__file__).resolve().parents[1] / "data" / "zhangqiu"


def main() -> None:
    """Command line: generate the Zhangqiu sample and write it."""
    p = argparse.ArgumentParser(description="Regenerate data/zhangqiu/ from its outline.")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args()
    outline = default_outline()
    if outline is None:
        raise SystemExit(f"missing {DEFAULT_OUTLINE}: run scripts/extract_outline.py first")
    start = time.perf_counter()
    dataset, orders = generate_with_orders(seed=args.seed, outline=outline)
    bundled = args.out.resolve() == OUT.resolve()
    source_outline = None if bundled else gpd.read_file(DEFAULT_OUTLINE, engine="pyogrio")
    dataset = dataclasses.replace(dataset, outline=source_outline)
    write_dataset(dataset, args.out, gzip_tables=("work_orders",), orders=orders.chunks())
    if bundled:
        (args.out / "outline.geojson").symlink_to(os.path.relpath(DEFAULT_OUTLINE, args.out))
    seconds = time.perf_counter() - start
    print(
        f"wrote {len(dataset.grids):,} grids, {len(dataset.centers):,} centers, "
        f"{len(dataset.social_orgs):,} social organizations, "
        f"{orders.total:,} work orders to {args.out} in {seconds:.1f} s"
    )
    for path in sorted(args.out.iterdir()):
        print(f"  {path.name:<22} {path.stat().st_size / 1024:>9,.0f} KB")


if __name__ == "__main__":
    main()
