"""Side-by-side comparison of two plans: KPIs, and the centers that changed most."""

from __future__ import annotations

from dataclasses import fields

import pandas as pd

from govopt.plan import Kpis, Plan

__all__ = ["KPI_NAMES", "center_differences", "compare_kpis"]

# ``lowest_share`` is reported by equity plans only; ``min_coverage`` compares for all.
KPI_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Kpis) if f.name != "lowest_share")
_DIFF_COLUMNS = ("staff_a", "staff_b", "staff_diff", "funds_a", "funds_b", "funds_diff")


def compare_kpis(plan_a: Plan, plan_b: Plan) -> pd.DataFrame:
    """One row per KPI: ``kpi``, ``a``, ``b``, ``difference`` (b - a).

    A plan without values (not optimal or feasible) has no KPIs; its column is empty (NaN).
    """
    nan = float("nan")

    def values(plan: Plan) -> list[float]:
        k = plan.kpis if plan.has_values else None
        raw = [None if k is None else getattr(k, n) for n in KPI_NAMES]
        return [nan if v is None else float(v) for v in raw]

    a, b = values(plan_a), values(plan_b)
    return pd.DataFrame(
        {
            "kpi": list(KPI_NAMES),
            "a": a,
            "b": b,
            "difference": [y - x for x, y in zip(a, b, strict=True)],
        }
    )


def center_differences(plan_a: Plan, plan_b: Plan, n: int = 10) -> pd.DataFrame:
    """The ``n`` centers whose staff or funds differ most between the plans.

    Columns: ``center_id, name, level, staff_a, staff_b, staff_diff, funds_a,
    funds_b, funds_diff``. Centers are ranked by the larger of their staff and
    funds differences, each relative to the largest difference of its kind;
    centers with no difference are left out.
    """
    cols = ["center_id", "name", "level", "staff", "funds_cny"]
    if not (plan_a.has_values and plan_b.has_values):
        return pd.DataFrame(columns=[*cols[:3], *_DIFF_COLUMNS])
    a = plan_a.centers[cols].rename(columns={"staff": "staff_a", "funds_cny": "funds_a"})
    b = plan_b.centers[["center_id", "staff", "funds_cny"]].rename(
        columns={"staff": "staff_b", "funds_cny": "funds_b"}
    )
    a["center_id"] = a["center_id"].astype(str)
    b["center_id"] = b["center_id"].astype(str)
    m = a.merge(b, on="center_id", how="inner")
    m["staff_diff"] = m["staff_b"] - m["staff_a"]
    m["funds_diff"] = m["funds_b"] - m["funds_a"]
    ds, df = m["staff_diff"].abs(), m["funds_diff"].abs()
    score = pd.concat(
        [ds / ds.max() if ds.max() > 0 else ds * 0, df / df.max() if df.max() > 0 else df * 0],
        axis=1,
    ).max(axis=1)
    m = m.assign(_score=score)[score > 1e-9]
    m = m.sort_values(["_score", "center_id"], ascending=[False, True], kind="stable").head(n)
    out: pd.DataFrame = m[[*cols[:3], *_DIFF_COLUMNS]].reset_index(drop=True)
    return out
