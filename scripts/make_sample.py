"""Regenerate the bundled Zhangqiu sample in ``data/zhangqiu/`` from its outline.

Run from the repository root::

    .venv/bin/python scripts/make_sample.py [--seed 0]

It reads ``data/zhangqiu/outline.geojson`` (made by ``scripts/extract_outline.py``),
calls :func:`govopt.data.sample.generate` and writes every table with
:func:`govopt.data.io.write_dataset` (work orders gzipped).
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import geopandas as gpd

from govopt.data.io import write_dataset
from govopt.data.sample import DEFAULT_OUTLINE, default_outline, generate

__all__ = ["main"]

OUT = DEFAULT_OUTLINE.parent


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
    dataset = generate(seed=args.seed, outline=outline)
    source_outline = gpd.read_file(DEFAULT_OUTLINE, engine="pyogrio")
    dataset = dataclasses.replace(dataset, outline=source_outline)
    write_dataset(dataset, args.out, gzip_tables=("work_orders",))
    seconds = time.perf_counter() - start
    print(
        f"wrote {len(dataset.grids):,} grids, {len(dataset.centers):,} centers, "
        f"{len(dataset.social_orgs):,} social organizations, "
        f"{len(dataset.work_orders):,} work orders to {args.out} in {seconds:.1f} s"
    )
    for path in sorted(args.out.iterdir()):
        print(f"  {path.name:<22} {path.stat().st_size / 1024:>9,.0f} KB")


if __name__ == "__main__":
    main()
