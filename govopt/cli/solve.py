"""``govopt solve``: load a dataset folder, solve a scenario, write the plan files."""

from __future__ import annotations

import sys
from pathlib import Path

from govopt.data.errors import DataError
from govopt.data.scenario import Scenario, ScenarioError, ScenarioProblem
from govopt.i18n import Lang, fmt_pct, t
from govopt.output.problem_text import describe_problem
from govopt.output.words import (
    explain_infeasible,
    format_gap,
    objective_label,
    plan_status,
    problem_text,
)
from govopt.plan import Status

__all__ = ["run_solve"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_INFEASIBLE = 2
EXIT_FEASIBLE = 3


def _scenario(
    data_dir: Path, scenario_path: Path | None, dataset_scenario: Scenario | None
) -> Scenario:
    if scenario_path is not None:
        if not scenario_path.is_file():
            raise ScenarioError([ScenarioProblem("missing_file")], str(scenario_path))
        return Scenario.from_toml(scenario_path)
    if dataset_scenario is not None:
        return dataset_scenario
    default = data_dir / "scenario.toml"
    return Scenario.from_toml(default) if default.is_file() else Scenario()


def run_solve(
    data_dir: Path,
    scenario_path: Path | None,
    out_dir: Path,
    *,
    solver: str | None,
    time_limit_s: float | str | None,
    lang: Lang = "zh",
    xlsx: Path | None = None,
) -> int:
    """Run ``govopt solve``; return its exit code.

    0: optimal; 3: feasible, not proven optimal (whole-number staffing stopped
    at the time limit; the plan files are written, ``summary.json`` has the
    gap); 2: infeasible; 1: bad input or no plan.

    Messages are printed in ``lang``; so is the explanation in ``summary.json``.
    ``time_limit_s`` overrides the scenario's limit (``"none"``: no limit).
    The plan files replace those of an earlier run in ``out_dir``: a plan that
    has no values leaves only its ``summary.json`` there. ``xlsx`` also writes
    the plan as an Excel workbook in ``lang`` (for any status).
    """
    from govopt.data.validate import load_dataset
    from govopt.optimize import Prepared, solve
    from govopt.output.export import PLAN_TABLES, write_plan

    try:
        dataset = load_dataset(data_dir)
    except DataError as exc:
        print(t("cli.dataset_unusable", lang, path=data_dir), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {describe_problem(problem, lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        scenario = _scenario(Path(data_dir), scenario_path, dataset.scenario)
        changes: dict[str, object] = {}
        if solver is not None:
            changes["solver"] = solver
        if time_limit_s is not None:
            changes["time_limit_s"] = time_limit_s
        if changes:
            scenario = scenario.replace(**changes)
    except ScenarioError as exc:
        print(t("cli.scenario_unusable", lang, source=exc.source), file=sys.stderr)
        for scenario_problem in exc.problems:
            print(f"  {problem_text(scenario_problem, lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT

    plan = solve(dataset, scenario, prepared=Prepared(dataset))
    stale = [name for name in PLAN_TABLES if (out_dir / name).exists()]
    try:
        written = write_plan(plan, dataset, out_dir, lang=lang)
    except OSError as exc:
        print(t("cli.write_failed", lang, out=out_dir, reason=exc.strerror or exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    if xlsx is not None:
        from govopt.output.export import write_file
        from govopt.output.workbook import plan_workbook_bytes

        try:
            write_file(xlsx, plan_workbook_bytes(plan, dataset, lang))
        except OSError as exc:
            reason = exc.strerror or exc
            print(t("cli.write_failed", lang, out=xlsx, reason=reason), file=sys.stderr)
            return EXIT_BAD_INPUT
    removed = [name for name in stale if not (out_dir / name).exists()]
    if removed:
        print(t("cli.removed_stale", lang, files=", ".join(removed), out=out_dir))
    en = lang == "en"
    if en and plan.status is Status.FEASIBLE and plan.gap is not None:
        status = f"{plan.status.value} (gap {format_gap(plan.gap)})"
    else:
        status = plan.status.value if en else plan_status(plan, lang)
    objective = scenario.objective if en else objective_label(scenario.objective, lang)
    print(
        t(
            "cli.solved",
            lang,
            name=scenario.name,
            objective=objective,
            solver=plan.solver,
            status=status,
        )
    )
    wrote = t("cli.wrote", lang, files=", ".join(p.name for p in written), out=out_dir)
    if xlsx is not None:
        wrote += "\n" + t("cli.wrote_xlsx", lang, path=xlsx)
    if plan.status is Status.INFEASIBLE:
        print(t("cli.infeasible", lang))
        for line in explain_infeasible(plan, lang):
            print(f"  {line}")
        print(wrote)
        return EXIT_INFEASIBLE
    if not plan.has_values or plan.kpis is None:
        limit = plan.scenario.time_limit_s
        if limit is None:
            print(t("cli.not_optimal", lang, status=status))
        else:
            print(t("cli.not_optimal_limit", lang, status=status, seconds=f"{limit:g}"))
        return EXIT_BAD_INPUT
    if plan.status is Status.FEASIBLE:
        print(t("cli.feasible", lang, status=plan_status(plan, lang)))
    k = plan.kpis
    g = plan.grids
    if g["baseline_coverage"].notna().any():
        served0 = (g["baseline_coverage"].fillna(0) * g["demand_hours"]).sum()
        today = fmt_pct(served0 / max(k.demand_hours, 1e-9))
    else:
        today = t("cli.today_unknown", lang)
    coverage = {
        "objective": f"{plan.objective or 0:,.2f}",
        "coverage": fmt_pct(k.coverage),
        "today": today,
        "lowest": fmt_pct(k.min_coverage),
        "unreachable": k.unreachable_grids,
    }
    print(t("cli.coverage", lang, **coverage))
    resources = {
        "staff": f"{k.staff_used:,.1f}",
        "funds": f"{k.funds_used_cny:,.0f}",
        "transfers": f"{k.staff_transfers:,.1f}",
        "seconds": f"{plan.timings.get('total', 0):.2f}",
    }
    print(t("cli.resources", lang, **resources))
    print(wrote)
    return EXIT_FEASIBLE if plan.status is Status.FEASIBLE else EXIT_OK
