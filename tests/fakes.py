"""Small hand-built datasets and plans with values that are easy to check by hand."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from govopt.data.dataset import Dataset
from govopt.data.orders import count_orders
from govopt.data.scenario import Scenario
from govopt.plan import Conflict, Kpis, MarginalValues, Plan, Status, TopCenter

__all__ = ["make_dataset", "make_plan"]


def make_dataset() -> Dataset:
    """Four grids in two streets, three centers, three organizations, five orders."""
    grids = gpd.GeoDataFrame(
        {
            "grid_id": ["G1", "G2", "G3", "G4"],
            "name": ["东一", "东二", "西一", "<b>西二</b>"],
            "street": ["东街道", "东街道", "西街道", "西街道"],
            "community": ["东社区", "东社区", "西社区", "西社区"],
            "urban_rural": ["urban", "urban", "rural", "rural"],
            "households": [400, 300, 200, 100],
            "residents": [1000, 800, 600, 400],
            "elderly": [200, 200, 150, 50],
            "priority": [1.0, 1.0, 1.5, 1.0],
        },
        geometry=[box(117.50 + 0.01 * i, 36.70, 117.51 + 0.01 * i, 36.71) for i in range(4)],
        crs="EPSG:4326",
    )
    centers = pd.DataFrame(
        {
            "center_id": ["C1", "C2", "C3"],
            "name": ["东街道中心", "东社区站", "西社区站"],
            "level": ["street", "community", "community"],
            "lon": [117.505, 117.515, 117.535],
            "lat": [36.705, 36.705, 36.705],
            "staff": [6.0, 3.0, 2.0],
            "funds_cny": [100_000.0, 50_000.0, 30_000.0],
            "max_staff": [10.0, 6.0, 5.0],
        }
    )
    orgs = pd.DataFrame(
        {
            "org_id": ["O1", "O2", "O3"],
            "name": ["夕阳红", "邻里调解", "青年志愿"],
            "domain": ["elderly_care", "disputes_mediation", "culture_education"],
            "rating": ["5A", "3A", "none"],
            "hours": [500.0, 200.0, 100.0],
            "lon": [117.505, 117.515, 117.535],
            "lat": [36.705, 36.705, 36.705],
            "reach_m": [2000.0, 1000.0, 1000.0],
        }
    )
    orders = pd.DataFrame(
        {
            "order_id": [f"W{i}" for i in range(5)],
            "grid_id": ["G1", "G1", "G2", "G3", "G4"],
            "category": ["elderly_care"] * 5,
            "created_at": pd.to_datetime([f"2025-01-0{i + 1}" for i in range(5)]),
            "closed_at": pd.to_datetime([f"2025-01-0{i + 2}" for i in range(5)]),
            "satisfaction": [5.0, 4.0, 4.0, 3.0, 5.0],
        }
    )
    standards = pd.DataFrame(
        {
            "category": ["elderly_care", "disputes_mediation"],
            "hours_per_resident": [0.5, 0.2],
            "hours_per_elderly": [2.0, 0.0],
            "hours_per_order": [3.0, 2.0],
        }
    )
    surveys = pd.DataFrame({"grid_id": ["G1"], "respondents": [30], "satisfaction": [4.2]})
    return Dataset(
        grids=grids,
        centers=centers,
        standards=standards,
        social_orgs=orgs,
        work_order_counts=count_orders(orders),
        surveys=surveys,
        scenario=Scenario(name="默认", staff_total=12),
        meta={"name": "Test district", "name_zh": "测试区", "synthetic": "true"},
        source="fake",
    )


def make_plan(
    name: str = "s",
    *,
    staff: Sequence[float] = (6.0, 3.0, 2.0),
    funds: Sequence[float] = (100_000.0, 50_000.0, 30_000.0),
    served: Sequence[float] = (900.0, 700.0, 300.0, 0.0),
    status: Status = Status.OPTIMAL,
) -> Plan:
    """A plan over :func:`make_dataset` with the given staff, funds and served hours."""
    scenario = Scenario(name=name, staff_total=sum(staff))
    if status is not Status.OPTIMAL:
        return Plan(
            scenario=scenario,
            status=status,
            objective=None,
            solver="highs",
            timings={"solve": 0.1},
            centers=pd.DataFrame(),
            grids=pd.DataFrame(),
            kpis=None,
            marginal=None,
            conflicts=(Conflict("budget_staff", 14.0, 11.0, 1, 3.0, "min_staff"),),
        )
    staff0 = [6.0, 3.0, 2.0]
    funds0 = [100_000.0, 50_000.0, 30_000.0]
    centers = pd.DataFrame(
        {
            "center_id": ["C1", "C2", "C3"],
            "name": ["东街道中心", "东社区站", "西社区站"],
            "level": ["street", "community", "community"],
            "staff0": staff0,
            "staff": list(staff),
            "staff_change": [s - s0 for s, s0 in zip(staff, staff0, strict=True)],
            "funds0_cny": funds0,
            "funds_cny": list(funds),
            "funds_change": [f - f0 for f, f0 in zip(funds, funds0, strict=True)],
            "staff_hours": [1600.0 * s for s in staff],
            "purchased_hours": [f / 80 for f in funds],
            "org_hours": [100.0, 50.0, 0.0],
            "served_hours": [800.0, 700.0, 400.0],
        }
    )
    demand = [1000.0, 800.0, 500.0, 200.0]
    grids = pd.DataFrame(
        {
            "grid_id": ["G1", "G2", "G3", "G4"],
            "name": ["东一", "东二", "西一", "西二"],
            "street": ["东街道", "东街道", "西街道", "西街道"],
            "demand_hours": demand,
            "served_hours": list(served),
            "coverage": [s / d for s, d in zip(served, demand, strict=True)],
            "baseline_coverage": [0.8, 0.8, 0.5, 0.0],
            "unreachable": [False, False, False, True],
        }
    )
    total_served = float(sum(served))
    kpis = Kpis(
        coverage=total_served / sum(demand),
        min_coverage=min(s / d for s, d in zip(served, demand, strict=True)),
        grids_below_target=sum(s / d < 0.8 for s, d in zip(served, demand, strict=True)),
        coverage_gini=0.2,
        staff_used=float(sum(staff)),
        funds_used_cny=float(sum(funds)),
        demand_hours=sum(demand),
        served_hours=total_served,
        unreachable_grids=1,
        staff_transfers=sum(max(0.0, s0 - s) for s, s0 in zip(staff, staff0, strict=True)),
        moved_staff=sum(abs(s - s0) for s, s0 in zip(staff, staff0, strict=True)),
        moved_funds_cny=sum(abs(f - f0) for f, f0 in zip(funds, funds0, strict=True)),
        centers_changed=sum(
            s != s0 or f != f0 for s, s0, f, f0 in zip(staff, staff0, funds, funds0, strict=True)
        ),
    )
    marginal = MarginalValues(
        per_staff=1234.5,
        per_10k_cny=125.0,
        per_transfer=None,
        top_centers=(TopCenter("C3", "西社区站", "community", 1600.0),),
    )
    return Plan(
        scenario=scenario,
        status=status,
        objective=total_served,
        solver="highs",
        timings={"build": 0.01, "solve": 0.02},
        centers=centers,
        grids=grids,
        kpis=kpis,
        marginal=marginal,
        flows=pd.DataFrame(
            {
                "center_id": ["C1", "C2", "C3"],
                "grid_id": ["G1", "G2", "G3"],
                "category": ["elderly_care"] * 3,
                "hours": list(served[:3]),
            }
        ),
    )
