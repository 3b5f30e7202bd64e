"""Hand-checkable allocation instances: 100 m square grids in UTM zone 50N near Jinan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pyproj import Transformer
from shapely.geometry import box

from govopt.data.dataset import Dataset
from govopt.data.orders import count_orders
from govopt.data.scenario import Scenario
from govopt.data.schema import LevelValues

__all__ = ["X0", "Y0", "C", "G", "O", "make_case", "scenario"]

X0, Y0 = 500_000.0, 4_062_000.0
_TO_LONLAT = Transformer.from_crs("EPSG:32650", "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class G:
    """A grid centred ``(x, y)`` metres from the origin; demand = residents hours."""

    x: float
    y: float
    residents: int
    priority: float = 1.0
    elderly: int = 0


@dataclass(frozen=True)
class C:
    """A center at ``(x, y)`` metres from the origin."""

    x: float
    y: float
    level: str = "street"
    staff: float = 0.0
    funds: float = 0.0
    max_staff: float = 100.0
    name: str = ""


@dataclass(frozen=True)
class O:  # noqa: E742
    """A social organization at ``(x, y)`` metres from the origin."""

    x: float
    y: float
    hours: float
    rating: str = "5A"
    reach_m: float = 1000.0
    domain: str = "care"


def _lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = _TO_LONLAT.transform(X0 + x, Y0 + y)
    return float(lon), float(lat)


def make_case(
    grids: Sequence[G],
    centers: Sequence[C],
    orgs: Sequence[O] = (),
    *,
    categories: Sequence[str] = ("care",),
    hours_per_resident: Sequence[float] = (1.0,),
    orders: Sequence[tuple[int, str]] = (),
    hours_per_order: float = 0.0,
) -> Dataset:
    """A dataset with one hour of demand per resident (per category given)."""
    frame = gpd.GeoDataFrame(
        {
            "grid_id": [f"G{i}" for i in range(len(grids))],
            "name": [f"grid {i}" for i in range(len(grids))],
            "street": ["S"] * len(grids),
            "community": ["M"] * len(grids),
            "urban_rural": ["urban"] * len(grids),
            "households": [g.residents // 3 for g in grids],
            "residents": [g.residents for g in grids],
            "elderly": [g.elderly for g in grids],
            "priority": [g.priority for g in grids],
        },
        geometry=[box(X0 + g.x - 50, Y0 + g.y - 50, X0 + g.x + 50, Y0 + g.y + 50) for g in grids],
        crs="EPSG:32650",
    )
    ll = [_lonlat(c.x, c.y) for c in centers]
    center_frame = pd.DataFrame(
        {
            "center_id": [f"C{i}" for i in range(len(centers))],
            "name": [c.name or f"center {i}" for i, c in enumerate(centers)],
            "level": [c.level for c in centers],
            "lon": [p[0] for p in ll],
            "lat": [p[1] for p in ll],
            "staff": [c.staff for c in centers],
            "funds_cny": [c.funds for c in centers],
            "max_staff": [c.max_staff for c in centers],
        }
    )
    oll = [_lonlat(o.x, o.y) for o in orgs]
    org_frame = pd.DataFrame(
        {
            "org_id": [f"O{i}" for i in range(len(orgs))],
            "name": [f"org {i}" for i in range(len(orgs))],
            "domain": [o.domain for o in orgs],
            "rating": [o.rating for o in orgs],
            "hours": [o.hours for o in orgs],
            "lon": [p[0] for p in oll],
            "lat": [p[1] for p in oll],
            "reach_m": [o.reach_m for o in orgs],
        }
    )
    order_frame = pd.DataFrame(
        {
            "order_id": [f"W{i}" for i in range(len(orders))],
            "grid_id": [f"G{g}" for g, _ in orders],
            "category": [k for _, k in orders],
            "created_at": pd.to_datetime(["2025-01-01"] * len(orders)),
            "closed_at": pd.to_datetime(["2025-01-02"] * len(orders)),
            "satisfaction": [4.0] * len(orders),
        }
    )
    standards = pd.DataFrame(
        {
            "category": list(categories),
            "hours_per_resident": list(hours_per_resident),
            "hours_per_elderly": [0.0] * len(categories),
            "hours_per_order": [hours_per_order] * len(categories),
        }
    )
    surveys = pd.DataFrame({"grid_id": [], "respondents": [], "satisfaction": []})
    return Dataset(
        grids=frame,
        centers=center_frame,
        standards=standards,
        social_orgs=org_frame,
        work_order_counts=count_orders(order_frame),
        surveys=surveys,
        source="model-case",
    )


def scenario(**changes: object) -> Scenario:
    """A scenario with no minimum staffing and no funds unless ``changes`` say otherwise."""
    base: dict[str, object] = {
        "min_staff": LevelValues(0, 0, 0),
        "funds_total_cny": 0.0,
    }
    base.update(changes)
    return Scenario(**base).checked()  # type: ignore[arg-type]
