"""``govopt map DATA_DIR [--plan OUT_DIR] --out map.html``: a standalone, offline HTML map."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from govopt.analysis import indicators
from govopt.data.errors import DataError, problem
from govopt.i18n import Lang
from govopt.output.export import GRIDS_FILE, excel_unsafe
from govopt.output.maps import grid_map, legend, standalone_html
from govopt.output.problem_text import describe_problem

__all__ = ["read_plan_coverage", "run_map"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1


def read_plan_coverage(plan_dir: Path) -> pd.Series:
    """Coverage per grid from ``grids_coverage.csv`` in a ``govopt solve`` output folder.

    Grid ids are read as written: as text (``NA`` stays ``NA``), with the
    ``'`` that the export puts before formula-like text taken off again.

    Raises
    ------
    DataError
        When the file is missing, unreadable, or lacks ``grid_id``/``coverage``.
    """
    path = plan_dir / GRIDS_FILE
    name = GRIDS_FILE
    if not path.is_file():
        raise DataError([problem(name, code="missing_file", variant="plan", folder=str(plan_dir))])
    try:
        frame = pd.read_csv(
            path,
            encoding="utf-8-sig",
            dtype={"grid_id": str},
            keep_default_na=False,
            na_values={"coverage": ["", "nan", "NaN"]},
        )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(
            [problem(name, code="unreadable_file", variant="plan", why=str(exc))]
        ) from None
    for column in ("grid_id", "coverage"):
        if column not in frame.columns:
            raise DataError([problem(name, code="missing_column", variant="plan", column=column)])
    frame = excel_unsafe(frame[["grid_id", "coverage"]])
    values = pd.to_numeric(frame["coverage"], errors="coerce")
    bad = np.flatnonzero(values.isna().to_numpy() & frame["coverage"].notna().to_numpy())
    if bad.size:
        raise DataError(
            [
                problem(
                    name,
                    code="not_a_number",
                    variant="plan",
                    row=int(bad[0]) + 1,
                    column="coverage",
                )
            ]
        )
    return pd.Series(
        values.to_numpy(dtype=float),
        index=pd.Index(frame["grid_id"].astype(str), name="grid_id"),
        name="plan_coverage",
    )


def run_map(data_dir: Path, plan_dir: Path | None, out: Path, *, lang: Lang) -> int:
    """Write a standalone map of ``data_dir`` (coverage under the plan in ``plan_dir``).

    Without a plan the map shows staff within reach per 10,000 residents.
    Returns the exit code: 0 written, 1 bad input (the message says what to do).
    """
    from govopt.data.validate import load_dataset

    try:
        dataset = load_dataset(data_dir)
        if plan_dir is not None:
            indicator = "plan_coverage"
            values = read_plan_coverage(plan_dir)
        else:
            indicator = "staff_per_10k"
            values = indicators.compute(dataset, indicator)
    except DataError as exc:
        for problem in exc.problems:
            if problem.severity == "error":
                print(f"error: {describe_problem(problem, lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    unknown = set(values.index) - set(dataset.grids["grid_id"].astype(str))
    if unknown:
        example = sorted(unknown)[0]
        print(
            f"error: grids_coverage.csv, column grid_id: {len(unknown)} grid(s) such as "
            f"{example!r} are not in {data_dir} — use the plan solved on this dataset",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    m = grid_map(dataset, values, indicator=indicator, lang=lang)
    title = str(dataset.meta.get("name_zh") if lang != "en" else "") or dataset.name
    text = standalone_html(m, legend(values, indicator, lang), title=title)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write {out} ({exc.strerror}); choose another path", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"wrote {out} ({len(dataset.grids):,} grids, {len(text) / 1e6:.1f} MB)")
    return EXIT_OK
