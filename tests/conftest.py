"""Shared fixtures: a tiny, hand-made, valid dataset folder near Jinan.

Six 0.01-degree grids in two rows of three (lon 117.50-117.53, lat
36.70-36.72), one center of each level, two social organizations, ten work
orders, three service categories, two surveys and a default scenario.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from govopt.data.dataset import Dataset
from govopt.data.validate import load_dataset

__all__ = ["TINY_GRID_IDS", "write_tiny_dataset"]

pytest_plugins = ("apptest_support",)

TINY_GRID_IDS: tuple[str, ...] = ("0101", "0102", "0103", "0201", "0202", "0203")

CENTERS_CSV = """\
center_id,name,level,lon,lat,staff,funds_cny,max_staff
S01,明水街道党群服务中心,street,117.515,36.71,6,200000,12
C01,东山社区党群服务中心,community,117.505,36.705,3,80000,6
W01,第一网格工作站,grid,117.525,36.715,1,10000,2
"""

SOCIAL_ORGS_CSV = """\
org_id,name,domain,rating,hours,lon,lat,reach_m
O01,"夕阳红养老服务中心",elderly_care,4A,2000,117.51,36.705,3000
O02,邻里调解志愿队,disputes_mediation,none,500,117.52,36.715,1500
"""

WORK_ORDERS_CSV = """\
order_id,grid_id,category,created_at,closed_at,satisfaction
WO0001,0101,elderly_care,2024-01-05 08:30:00,2024-01-06 10:00:00,5
WO0002,0101,disputes_mediation,2024-01-07 09:00:00,2024-01-07 17:00:00,4
WO0003,0102,sanitation_environment,2024-02-01 10:15:00,,
WO0004,0102,elderly_care,2024-02-03 14:00:00,2024-02-05 09:00:00,3
WO0005,0103,disputes_mediation,2024-03-10 11:00:00,2024-03-12 11:00:00,4
WO0006,0201,sanitation_environment,2024-03-15 08:00:00,2024-03-15 12:00:00,5
WO0007,0202,elderly_care,2024-04-01 09:30:00,2024-04-02 09:30:00,2
WO0008,0202,elderly_care,2024-04-20 16:45:00,,
WO0009,0203,disputes_mediation,2024-05-02 13:00:00,2024-05-03 13:00:00,4
WO0010,0203,sanitation_environment,2024-05-30 07:20:00,2024-05-30 18:00:00,5
"""

SURVEYS_CSV = """\
grid_id,respondents,satisfaction
0101,40,4.2
0202,35,3.8
"""

STANDARDS_CSV = """\
category,hours_per_resident,hours_per_elderly,hours_per_order
elderly_care,0.2,2.0,3.0
disputes_mediation,0.1,0.0,4.0
sanitation_environment,0.3,0.0,1.5
"""

SCENARIO_TOML = """\
name = "tiny"
objective = "coverage"
[budget]
staff_total = 12
funds_total_cny = 400000
max_transfers = 3
[policy]
radius_m = { street = 3000, community = 1000, grid = 500 }
min_staff = { street = 4, community = 1, grid = 0 }
"""

ABOUT_TOML = """\
name = "tiny"
name_zh = "小样例"
synthetic = "true"
source = "hand-made test data"
"""


def tiny_grids() -> gpd.GeoDataFrame:
    """The six grids as a GeoDataFrame in EPSG:4326."""
    rows = []
    for i, gid in enumerate(TINY_GRID_IDS):
        r, c = divmod(i, 3)
        lon0, lat0 = 117.50 + 0.01 * c, 36.70 + 0.01 * r
        rows.append(
            {
                "grid_id": gid,
                "name": f"第{i + 1}网格",
                "street": "明水街道",
                "community": "东山社区" if c < 2 else "西山村",
                "urban_rural": "urban" if c < 2 else "rural",
                "households": 300 + 20 * i,
                "residents": 1000 + 50 * i,
                "elderly": 200 + 10 * i,
                "priority": 1.5 if gid == "0203" else 1.0,
                "geometry": box(lon0, lat0, lon0 + 0.01, lat0 + 0.01),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def write_tiny_dataset(folder: Path) -> Path:
    """Write the tiny dataset folder to ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    tiny_grids().to_file(folder / "grids.geojson", driver="GeoJSON", engine="pyogrio")
    for name, text in (
        ("centers.csv", CENTERS_CSV),
        ("social_orgs.csv", SOCIAL_ORGS_CSV),
        ("work_orders.csv", WORK_ORDERS_CSV),
        ("surveys.csv", SURVEYS_CSV),
        ("standards.csv", STANDARDS_CSV),
        ("scenario.toml", SCENARIO_TOML),
        ("about.toml", ABOUT_TOML),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_dataset_dir(tmp_path: Path) -> Path:
    """A fresh copy of the tiny dataset folder."""
    return write_tiny_dataset(tmp_path / "tiny")


@pytest.fixture
def tiny_dataset(tiny_dataset_dir: Path) -> Dataset:
    """The tiny dataset, loaded."""
    return load_dataset(tiny_dataset_dir)
