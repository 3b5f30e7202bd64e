"""The indicator catalogue behind the map picker, and a pure function per indicator.

Every indicator is one value per grid, returned as a :class:`pandas.Series`
indexed by ``grid_id``; NaN means "no data" for that grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from govopt.analysis import coverage
from govopt.analysis.demand import (
    demand_hours,
    grid_wisn_ratio,
    order_counts,
    responsible_workload,
    wisn_need,
    wisn_ratio,
)
from govopt.analysis.geo import responsible_centers
from govopt.data.dataset import Dataset
from govopt.data.scenario import Scenario
from govopt.data.schema import DEFAULT_RADIUS_M, LevelValues
from govopt.i18n import Lang
from govopt.plan import Plan

__all__ = [
    "CATEGORY_LABELS",
    "Indicator",
    "Kind",
    "catalogue",
    "compute",
    "get",
    "grid_wisn",
    "indicator_table",
    "radius_of",
    "work_hours_of",
]

Kind = Literal["share", "number", "distance", "flag", "score", "ratio"]

CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "elderly_care": ("养老服务", "elderly care"),
    "disputes_mediation": ("矛盾调解", "dispute mediation"),
    "sanitation_environment": ("环境卫生", "sanitation and environment"),
    "safety_security": ("平安建设", "safety and security"),
    "social_assistance": ("社会救助", "social assistance"),
    "culture_education": ("文化教育", "culture and education"),
}


@dataclass(frozen=True)
class Indicator:
    """One entry of the map's indicator picker.

    Parameters
    ----------
    id : str
        Stable identifier, e.g. ``staff_per_10k`` or ``orders_per_1k:elderly_care``.
    zh, en : str
        Label in Chinese and English.
    unit_zh, unit_en : str
        Unit in Chinese and English (empty when none).
    kind : Kind
        How values are formatted and binned.
    diverging : bool
        Whether values are a change around zero (drawn with a diverging palette).
    plans : int
        Number of plans needed: 0 (data only), 1 (a plan) or 2 (a change).
    higher_is_better : bool
        Picks the palette direction: green for good, red for need.
    """

    id: str
    zh: str
    en: str
    unit_zh: str
    unit_en: str
    kind: Kind
    diverging: bool = False
    plans: int = 0
    higher_is_better: bool = False

    def label(self, lang: Lang) -> str:
        """Label in ``lang``."""
        return self.en if lang == "en" else self.zh

    def unit(self, lang: Lang) -> str:
        """Unit in ``lang``."""
        return self.unit_en if lang == "en" else self.unit_zh


_BASE: tuple[Indicator, ...] = (
    Indicator("staff_per_10k", "每万人工作人员（可达）", "Staff within reach per 10,000 residents",
              "人", "staff", "number", higher_is_better=True),
    Indicator("wisn_today", "现状WISN比（负责中心）", "WISN ratio today (responsible centers)",
              "", "", "ratio", higher_is_better=True),
    Indicator("demand_per_1k", "每千人服务需求", "Service demand per 1,000 residents",
              "小时/年", "h/yr", "number"),
    Indicator("orders_per_1k", "每千人工单数", "Work orders per 1,000 residents", "件", "orders",
              "number"),
    Indicator("dist_street", "到最近街道中心距离", "Distance to nearest street center", "米", "m",
              "distance"),
    Indicator("dist_community", "到最近社区中心距离", "Distance to nearest community center",
              "米", "m", "distance"),
    Indicator("dist_grid", "到最近网格站距离", "Distance to nearest grid station", "米", "m",
              "distance"),
    Indicator("unreachable", "无中心覆盖的网格", "Grids no center reaches", "", "", "flag"),
    Indicator("satisfaction", "群众满意度（调查）", "Survey satisfaction", "分", "of 5", "score",
              higher_is_better=True),
    Indicator("party_per_1k", "每千人党员数", "Party members per 1,000 residents", "人",
              "members", "number", higher_is_better=True),
    Indicator("key_families_per_1k", "每千人党员中心户", "Key families per 1,000 residents", "户",
              "families", "number", higher_is_better=True),
    Indicator("party_60plus_share", "60岁以上党员占比", "Share of party members aged 60+", "", "",
              "share"),
)  # fmt: skip

_PLAN: tuple[Indicator, ...] = (
    Indicator("baseline_coverage", "现状覆盖率", "Baseline coverage", "", "", "share", plans=1,
              higher_is_better=True),
    Indicator("plan_coverage", "方案覆盖率", "Coverage under the plan", "", "", "share", plans=1,
              higher_is_better=True),
    Indicator("wisn_plan", "方案WISN比（负责中心）",
              "WISN ratio under the plan (responsible centers)", "", "", "ratio", plans=1,
              higher_is_better=True),
    Indicator("coverage_change", "覆盖率变化", "Change in coverage", "", "", "share",
              diverging=True, plans=2, higher_is_better=True),
)  # fmt: skip


def _category_indicator(category: str) -> Indicator:
    zh, en = CATEGORY_LABELS.get(category, (category, category.replace("_", " ")))
    return Indicator(
        f"orders_per_1k:{category}",
        f"每千人工单数：{zh}",
        f"Work orders per 1,000 residents: {en}",
        "件",
        "orders",
        "number",
    )


def catalogue(dataset: Dataset | None = None, *, with_plans: bool = True) -> tuple[Indicator, ...]:
    """Indicators for the picker; per-category work orders follow the dataset's categories."""
    cats = dataset.categories if dataset is not None else ()
    plan_part = _PLAN if with_plans else ()
    return plan_part + _BASE[:3] + tuple(_category_indicator(c) for c in cats) + _BASE[3:]


def get(indicator_id: str) -> Indicator:
    """Return the indicator called ``indicator_id`` (raises ``KeyError`` with the known ids)."""
    for ind in _PLAN + _BASE:
        if ind.id == indicator_id:
            return ind
    if indicator_id.startswith("orders_per_1k:"):
        return _category_indicator(indicator_id.split(":", 1)[1])
    known = ", ".join(i.id for i in _PLAN + _BASE)
    raise KeyError(f"unknown indicator {indicator_id!r}; known: {known}")


def radius_of(dataset: Dataset) -> LevelValues:
    """Service radius per level: the dataset's default scenario, else the design default."""
    return dataset.scenario.radius_m if dataset.scenario is not None else DEFAULT_RADIUS_M


def _per(values: pd.Series, base: pd.Series, scale: float) -> pd.Series:
    b = base.astype(float)
    return (values.astype(float) / b.where(b > 0) * scale).astype(float)


def _grid_column(dataset: Dataset, column: str) -> pd.Series:
    ids = pd.Index(dataset.grids["grid_id"].astype(str), name="grid_id")
    if column not in dataset.grids.columns:
        return pd.Series(np.nan, index=ids)
    return pd.Series(dataset.grids[column].to_numpy(dtype=float), index=ids)


def work_hours_of(dataset: Dataset) -> float:
    """Work hours per staff a year: the dataset's default scenario, else the design default."""
    scenario = dataset.scenario if dataset.scenario is not None else Scenario()
    return float(scenario.work_hours_per_staff)


def grid_wisn(
    dataset: Dataset,
    links: pd.DataFrame,
    grid_demand: np.ndarray,
    center_ratio: np.ndarray | None = None,
    work_hours_per_staff: float | None = None,
) -> np.ndarray:
    """WISN ratio per grid from its responsible centers (see ``analysis.demand.grid_wisn_ratio``).

    ``center_ratio`` defaults to today's staff over the WISN need of each
    center under ``links`` and ``work_hours_per_staff`` (default
    :func:`work_hours_of`).
    """
    levels = dataset.centers["level"].astype(str).tolist()
    responsible = responsible_centers(links, levels)
    if center_ratio is None:
        load = responsible_workload(grid_demand, responsible, len(dataset.centers))
        hours = work_hours_per_staff or work_hours_of(dataset)
        center_ratio = wisn_ratio(dataset.staff_today, wisn_need(load, hours))
    return grid_wisn_ratio(center_ratio, responsible, grid_demand)


def indicator_table(dataset: Dataset, radius_m: LevelValues | None = None) -> pd.DataFrame:
    """Every data-only indicator per grid: one column per indicator id, indexed by ``grid_id``."""
    radius = radius_m or radius_of(dataset)
    residents = _grid_column(dataset, "residents")
    party = _grid_column(dataset, "party_members")
    out = pd.DataFrame(index=residents.index)
    links = coverage.links_within(dataset, radius)
    out["staff_per_10k"] = coverage.staff_per_10k(dataset, radius, links=links).to_numpy()
    counts = order_counts(dataset)
    demand_frame = demand_hours(dataset, orders=counts).sum(axis=1)
    demand = demand_frame.to_numpy(dtype=float)
    out["wisn_today"] = grid_wisn(dataset, links, demand)
    out["demand_per_1k"] = _per(demand_frame, residents, 1000).to_numpy()
    total = pd.Series(counts.sum(axis=1).to_numpy(dtype=float), index=out.index)
    out["orders_per_1k"] = _per(total, residents, 1000).to_numpy()
    for cat in dataset.categories:
        per_cat = pd.Series(counts[cat].to_numpy(dtype=float), index=out.index)
        out[f"orders_per_1k:{cat}"] = _per(per_cat, residents, 1000).to_numpy()
    for level in ("street", "community", "grid"):
        out[f"dist_{level}"] = coverage.nearest_center_m(dataset, level).to_numpy()
    out["unreachable"] = coverage.unreachable(dataset, radius, links=links).to_numpy(dtype=float)
    surveys = dataset.surveys
    sat = pd.Series(np.nan, index=out.index)
    if not surveys.empty:
        sat = (
            surveys.groupby(surveys["grid_id"].astype(str))["satisfaction"]
            .mean()
            .reindex(out.index)
            .astype(float)
        )
    out["satisfaction"] = sat.to_numpy()
    out["party_per_1k"] = _per(party, residents, 1000).to_numpy()
    out["key_families_per_1k"] = _per(
        _grid_column(dataset, "key_families"), residents, 1000
    ).to_numpy()
    out["party_60plus_share"] = _per(
        _grid_column(dataset, "party_members_60plus"), party, 1
    ).to_numpy()
    return out


def _plan_column(dataset: Dataset, plan: Plan | None, column: str, name: str) -> pd.Series:
    if plan is None or not plan.has_values:
        raise ValueError(f"the indicator {name!r} needs a solved plan")
    ids = pd.Index(dataset.grids["grid_id"].astype(str), name="grid_id")
    grids = plan.grids.set_index(plan.grids["grid_id"].astype(str))
    if column not in grids.columns:
        raise ValueError(f"the plan has no {column!r} column for the indicator {name!r}")
    return grids[column].astype(float).reindex(ids)


def _plan_wisn(dataset: Dataset, plan: Plan | None, name: str) -> pd.Series:
    demand = _plan_column(dataset, plan, "demand_hours", name)
    assert plan is not None
    if "wisn_ratio_after" not in plan.centers.columns:
        raise ValueError(f"the plan has no 'wisn_ratio_after' column for the indicator {name!r}")
    by_id = plan.centers.set_index(plan.centers["center_id"].astype(str))["wisn_ratio_after"]
    ratio = by_id.reindex(dataset.centers["center_id"].astype(str)).to_numpy(float)
    links = coverage.links_within(dataset, plan.scenario.radius_m)
    values = grid_wisn(dataset, links, demand.fillna(0.0).to_numpy(float), center_ratio=ratio)
    return pd.Series(values, index=demand.index)


def compute(
    dataset: Dataset,
    indicator_id: str,
    *,
    plan: Plan | None = None,
    other: Plan | None = None,
    table: pd.DataFrame | None = None,
) -> pd.Series:
    """Values of one indicator per grid.

    Parameters
    ----------
    dataset : Dataset
        The district.
    indicator_id : str
        An id from :func:`catalogue`.
    plan : Plan, optional
        The plan for ``plan_coverage``, ``wisn_plan`` and ``baseline_coverage`` (its
        ``baseline_coverage`` column, else its ``coverage``: pass the baseline
        plan itself); the first plan of ``coverage_change``.
    other : Plan, optional
        The second plan of ``coverage_change`` (change = other - plan).
    table : pandas.DataFrame, optional
        A precomputed :func:`indicator_table`, to avoid recomputing.

    Returns
    -------
    pandas.Series
        Indexed by ``grid_id``, named ``indicator_id``.
    """
    ind = get(indicator_id)
    if ind.id == "plan_coverage":
        values = _plan_column(dataset, plan, "coverage", ind.id)
    elif ind.id == "baseline_coverage":
        has_column = plan is not None and "baseline_coverage" in plan.grids.columns
        column = "baseline_coverage" if has_column else "coverage"
        values = _plan_column(dataset, plan, column, ind.id)
    elif ind.id == "wisn_plan":
        values = _plan_wisn(dataset, plan, ind.id)
    elif ind.id == "coverage_change":
        before = _plan_column(dataset, plan, "coverage", ind.id)
        values = _plan_column(dataset, other, "coverage", ind.id) - before
    else:
        tab = table if table is not None else indicator_table(dataset)
        values = tab[ind.id].astype(float) if ind.id in tab.columns else tab.iloc[:, 0] * np.nan
    return values.rename(indicator_id)
