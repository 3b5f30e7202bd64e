"""Plan figures rounded as a planner reads them: staff to 0.1 (whole when staffing is in
whole persons), yuan and hours whole, coverage to 0.1 %, ratios to 0.01.

The CSV files, the Excel workbook and the printable report all round with
:func:`round_table`, so the three show the same numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govopt.plan import Plan

__all__ = [
    "CNY_COLUMNS",
    "COUNT_COLUMNS",
    "RATIO_COLUMNS",
    "SHARE_COLUMNS",
    "STAFF_COLUMNS",
    "column_digits",
    "round_table",
    "staff_digits",
]

STAFF_COLUMNS: frozenset[str] = frozenset({"staff0", "staff", "staff_change", "wisn_need"})
CNY_COLUMNS: frozenset[str] = frozenset({"funds0_cny", "funds_cny", "funds_change"})
SHARE_COLUMNS: frozenset[str] = frozenset({"coverage", "baseline_coverage", "coverage_change"})
RATIO_COLUMNS: frozenset[str] = frozenset({"wisn_ratio_before", "wisn_ratio_after", "priority"})
COUNT_COLUMNS: frozenset[str] = frozenset({"grids", "residents", "centers"})
_WHOLE_STAFF = frozenset({"staff0", "staff", "staff_change"})
SHARE_DIGITS = 3  # a share to 0.001 is a percentage to 0.1


def staff_digits(plan: Plan) -> int:
    """0 when the plan staffs in whole persons (and today's staff are whole), else 1."""
    if not plan.scenario.integer_staff:
        return 1
    if "staff0" in plan.centers.columns:
        today = plan.centers["staff0"].to_numpy(float)
        if not np.allclose(today, np.round(today), atol=1e-6):
            return 1
    return 0


def column_digits(column: str, staff: int = 1) -> int | None:
    """Decimals a column is rounded to (``None``: left as it is); ``staff`` for staff counts.

    Hours are every column ending in ``_hours`` or starting with ``org_hours``.
    """
    if column in STAFF_COLUMNS:
        return staff if column in _WHOLE_STAFF else 1
    if column in CNY_COLUMNS or column in COUNT_COLUMNS:
        return 0
    if column.endswith("_hours") or column.startswith("org_hours"):
        return 0
    if column in SHARE_COLUMNS:
        return SHARE_DIGITS
    if column in RATIO_COLUMNS:
        return 2
    return None


def round_table(df: pd.DataFrame, staff: int = 1, *, whole_as_int: bool = False) -> pd.DataFrame:
    """A copy of ``df`` with its known numeric columns rounded (see :func:`column_digits`).

    Only float columns change (``-0.0`` after rounding becomes ``0.0``); whole
    numbers, text, flags and unknown columns stay as they are. ``whole_as_int``
    turns columns rounded to whole numbers into integers (missing values stay
    missing), so a CSV reads ``1200``, not ``1200.0``.
    """
    out = df.copy()
    for col in out.columns:
        digits = column_digits(str(col), staff)
        if digits is not None and pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(digits) + 0.0
            if digits == 0 and whole_as_int:
                out[col] = out[col].astype("Int64")
    return out
