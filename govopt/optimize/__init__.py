"""The allocation model: build -> solve -> extract, returning a frozen :class:`Plan`."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from govopt.data.dataset import Dataset
from govopt.data.scenario import Objective, Scenario
from govopt.optimize.allocation import AllocationModel, Solution
from govopt.optimize.cancel import Cancel
from govopt.optimize.infeasibility import find_conflicts
from govopt.optimize.inputs import ModelInputs
from govopt.optimize.marginal import marginal_values
from govopt.optimize.network import NetworkModel
from govopt.optimize.network_equity import solve_equity
from govopt.optimize.network_marginal import network_marginal_values
from govopt.optimize.network_solve import solve_network
from govopt.optimize.prepared import Baseline, Prepared
from govopt.optimize.results import center_table, flow_table, grid_table, kpis
from govopt.optimize.rounding import whole_number_start
from govopt.optimize.solvers import PRIMAL_SIMPLEX_MAX_COLUMNS, MipStart
from govopt.plan import Conflict, MarginalValues, Plan, Status

__all__ = [
    "NETWORK_OBJECTIVES",
    "AllocationModel",
    "Cancel",
    "Prepared",
    "baseline",
    "network_engine",
    "solve",
]

Progress = Callable[[str, float], None]

_STAGES = ("demand", "links", "build", "start", "solve", "extract")


NON_FINITE_OBJECTIVE = "non_finite_objective"

# Objectives the network engine solves when the scenario's solver is "auto".
NETWORK_OBJECTIVES = (Objective.COVERAGE, Objective.COST, Objective.EQUITY)


def network_engine(scenario: Scenario, baseline: bool = False) -> bool:
    """Whether ``scenario`` is solved on the network engine (``docs/model.md``).

    With solver ``auto``: the baseline, and continuous staffing under an
    objective of :data:`NETWORK_OBJECTIVES`. ``highs`` and ``cbc`` use the
    PuLP model throughout; so do whole-number staffing and the elastic model.
    """
    if scenario.solver != "auto":
        return False
    return baseline or (
        not scenario.integer_staff and Objective(scenario.objective) in NETWORK_OBJECTIVES
    )


def _network_model(
    inputs: ModelInputs, scenario: Scenario, *, baseline: bool = False
) -> NetworkModel | None:
    """The network model, or ``None`` when its integer units would overflow (HiGHS then)."""
    try:
        return NetworkModel(inputs, scenario, baseline=baseline)
    except OverflowError:
        return None


def _finite(sol: Solution) -> Solution:
    """``sol``, or ``Status.ERROR`` (code in ``message``) for values with a non-finite objective."""
    if not sol.status.has_values or (sol.objective is not None and math.isfinite(sol.objective)):
        return sol
    return replace(sol, status=Status.ERROR, objective=None, message=NON_FINITE_OBJECTIVE)


def _empty_plan(
    scenario: Scenario,
    sol: Solution,
    timings: dict[str, float],
    conflicts: tuple[Conflict, ...] = (),
    notes: tuple[str, ...] = (),
) -> Plan:
    return Plan(
        scenario=scenario,
        status=sol.status,
        objective=None,
        solver=sol.solver,
        timings=timings,
        centers=pd.DataFrame(),
        grids=pd.DataFrame(),
        kpis=None,
        marginal=None,
        conflicts=conflicts,
        notes=notes,
    )


def _plan(
    dataset: Dataset,
    inputs: ModelInputs,
    scenario: Scenario,
    sol: Solution,
    baseline_x: np.ndarray,
    timings: dict[str, float],
    marginal: MarginalValues | None = None,
    *,
    notes: tuple[str, ...] = (),
) -> Plan:
    centers = center_table(
        dataset,
        inputs,
        scenario,
        staff=sol.staff,
        funds=sol.funds,
        staff_hours=sol.staff_hours,
        purchased_hours=sol.purchased_hours,
        x=sol.x,
        y=sol.y,
    )
    grids = grid_table(dataset, inputs, sol.x, baseline_x)
    return Plan(
        scenario=scenario,
        status=sol.status,
        objective=sol.objective,
        solver=sol.solver,
        timings=timings,
        centers=centers,
        grids=grids,
        kpis=kpis(grids, centers, scenario, sol.t),
        marginal=marginal,
        flows=flow_table(dataset, inputs, sol.x),
        gap=sol.gap,
        notes=notes,
    )


def _baseline_solution(
    inputs: ModelInputs, scenario: Scenario, cancel: Cancel | None = None, *, assign: bool = True
) -> Solution:
    """The baseline model solved under ``scenario.time_limit_s`` (like every solve).

    On the network engine without ``assign`` the assignment stage is left out:
    a scenario's plan reads only the baseline's served hours per grid, which
    stage 1 fixes.
    """
    net = (
        _network_model(inputs, scenario, baseline=True) if network_engine(scenario, True) else None
    )
    if net is not None:
        return _finite(solve_network(net, cancel=cancel, assign=assign))
    return _finite(AllocationModel(inputs, scenario, baseline=True).solve(cancel=cancel))


class _Background:
    """``fn(*args)`` on a daemon thread, so a solve still running never blocks the
    interpreter's exit (a ``ThreadPoolExecutor`` worker is joined at exit)."""

    def __init__(self, fn: Callable[..., Solution], *args: object) -> None:
        self._result: Solution | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(fn, args), name="govopt-baseline", daemon=True
        )
        self._thread.start()

    def _run(self, fn: Callable[..., Solution], args: tuple[object, ...]) -> None:
        try:
            self._result = fn(*args)
        except BaseException as exc:  # handed to the caller by result()
            self._error = exc

    def result(self) -> Solution:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


def _prepared(dataset: Dataset, prepared: Prepared | None) -> Prepared:
    if prepared is None:
        return Prepared(dataset)
    if prepared.dataset is not dataset:
        raise ValueError("prepared= was made for another dataset: pass Prepared(dataset)")
    return prepared


def _today(
    dataset: Dataset,
    inputs: ModelInputs,
    sol: Solution,
    timings: dict[str, float],
    solved_for: Scenario | None = None,
) -> Baseline:
    """The baseline solution ``sol`` kept with the plan it makes for a scenario.

    A solution without its assignment stage (solved for ``solved_for``) gets it
    when a plan is first asked for: the plan's centers serve their nearest grids.
    """
    whole: list[Solution] = []

    def assigned() -> Solution:
        if solved_for is None or "assignment" in sol.stages or sol.status is not Status.OPTIMAL:
            return sol
        if not whole:
            whole.append(_baseline_solution(inputs, solved_for))
        return whole[0]

    def plan(scenario: Scenario) -> Plan:
        base_scenario = scenario.replace(objective=Objective.COVERAGE, integer_staff=False)
        full = assigned()
        if full.status is not Status.OPTIMAL:
            return _empty_plan(base_scenario, full, dict(timings))
        return _plan(dataset, inputs, base_scenario, full, full.x, dict(timings))

    return Baseline(sol.status, sol.x, plan)


def baseline(
    dataset: Dataset,
    scenario: Scenario,
    *,
    cancel: Cancel | None = None,
    prepared: Prepared | None = None,
) -> Plan:
    """How well today's staff and funds can serve today's demand (coverage objective).

    Staff and funds are fixed to today's values; budgets, norms and the
    transfer limit do not apply. The solver stops after
    ``scenario.time_limit_s`` like any solve: the plan is then ``TIME_LIMIT``
    and carries no values. ``cancel`` stops it (status ``cancelled``).
    With ``prepared`` (:class:`Prepared` of ``dataset``) the baseline is solved
    once per radius and standards, and its inputs come from there.
    """
    start = time.perf_counter()
    prep = _prepared(dataset, prepared)
    inputs = prep.inputs(scenario)

    def make() -> Baseline:
        sol = _baseline_solution(inputs, scenario, cancel)
        timings = dict(sol.timings)
        timings["total"] = time.perf_counter() - start
        return _today(dataset, inputs, sol, timings)

    return prep.baseline_or(scenario, make).plan(scenario)


def solve(
    dataset: Dataset,
    scenario: Scenario,
    *,
    baseline: Plan | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    prepared: Prepared | None = None,
) -> Plan:
    """Optimise ``scenario`` on ``dataset`` and return the plan (pure; nothing is written).

    With whole-number staff the search starts from the LP relaxation's plan
    rounded and repaired (:func:`govopt.optimize.rounding.whole_number_start`)
    and may stop at ``scenario.time_limit_s`` with a ``feasible`` plan and its
    gap instead of an ``optimal`` one.

    Parameters
    ----------
    dataset, scenario
        Inputs; both frozen.
    baseline : Plan, optional
        A plan from :func:`baseline` for the same dataset; computed when absent.
        A baseline that is not optimal (e.g. it hit the time limit) is not
        solved again: today's coverage is then unknown (NaN) in the plan.
    progress : callable, optional
        Called as ``progress(stage, fraction)`` at ``demand``, ``links``,
        ``build``, ``start`` (whole-number staff only), ``solve`` and ``extract``.
    cancel : Cancel, optional
        Set from another thread to stop the solve; the plan is then
        ``cancelled`` and carries no values.
    prepared : Prepared, optional
        ``dataset`` prepared for solving: demand, links, inputs and (when no
        ``baseline`` is given) the baseline come from it, and a baseline
        solved here is kept there.
    """

    def step(stage: str) -> None:
        if progress is not None:
            progress(stage, _STAGES.index(stage) / len(_STAGES))

    timings: dict[str, float] = {}
    clock = time.perf_counter()
    start = clock

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    prep = _prepared(dataset, prepared)
    step("demand")
    _ = prep.demand  # computed here once, so that its time is reported as "demand"
    lap("demand")
    step("links")
    inputs = prep.inputs(scenario)
    lap("links")
    step("build")
    net = _network_model(inputs, scenario) if network_engine(scenario) else None
    model = AllocationModel(inputs, scenario) if net is None else None
    lap("build")
    mip_start: MipStart | None = None
    if model is not None and model.integer:
        step("start")
        mip_start = whole_number_start(model, cancel)
        lap("start")
    notes = () if mip_start is None or not mip_start.note else (mip_start.note,)
    step("solve")
    known = prep.baseline(scenario) if baseline is None else None
    reuse = baseline is not None and baseline.optimal and len(baseline.grids) == inputs.n_grids
    unknown = baseline is not None and not baseline.optimal
    ready = reuse or unknown or known is not None
    base: Solution | None = None
    # HiGHS releases the GIL while it solves, so a small baseline is solved on a
    # second thread alongside the scenario; large models are solved one after
    # the other, which measured faster on two cores. The network baseline is
    # solved after the scenario.
    alongside = (
        model is not None
        and not ready
        and model.n_columns <= PRIMAL_SIMPLEX_MAX_COLUMNS
        and not network_engine(scenario, baseline=True)
    )
    pending = _Background(_baseline_solution, inputs, scenario, cancel) if alongside else None
    if model is None:
        assert net is not None
        # equity: the largest lowest share first (govopt/optimize/network_equity.py).
        on_network = solve_equity if net.objective is Objective.EQUITY else solve_network
        sol = _finite(on_network(net, cancel=cancel))
    else:
        sol = _finite(model.solve(mip_start=mip_start, cancel=cancel))
    lap("solve")
    timings.update({f"solve.{k}": v for k, v in sol.timings.items() if k != "solve"})
    if pending is not None:
        base = pending.result()
    if sol.status is Status.CANCELLED or (cancel is not None and cancel.is_set):
        timings["total"] = time.perf_counter() - start
        return _empty_plan(scenario, replace(sol, status=Status.CANCELLED), timings)
    if not ready and base is None:
        base = _baseline_solution(inputs, scenario, cancel, assign=False)
    if base is not None and not (cancel is not None and cancel.is_set):
        prep.remember(scenario, _today(dataset, inputs, base, dict(base.timings), scenario))
    clock = time.perf_counter()
    no_baseline = np.full(len(inputs.x_center), np.nan)
    if known is not None:
        baseline_x = known.x if known.status is Status.OPTIMAL else no_baseline
    elif reuse:
        assert baseline is not None
        baseline_x = _baseline_flows(inputs, dataset, baseline)
    elif base is None:
        baseline_x = no_baseline
    else:
        baseline_x = base.x if base.status is Status.OPTIMAL else no_baseline
        # "solve" holds its stages; "build" comes before it.
        timings["baseline"] = base.timings.get("build", 0.0) + base.timings.get("solve", 0.0)
    step("extract")
    if sol.status is Status.INFEASIBLE:
        conflicts = find_conflicts(inputs, scenario, _pulp_solver(scenario, sol.solver))
        lap("explain")
        timings["total"] = time.perf_counter() - start
        return _empty_plan(scenario, sol, timings, conflicts)
    if not sol.status.has_values:
        timings["total"] = time.perf_counter() - start
        return _empty_plan(scenario, sol, timings, notes=notes)
    lap("extract")
    # Re-solves on the model just solved, once the baseline is in; they stop on
    # ``cancel`` too, and a cancelled solve carries no values.
    if model is None:
        assert net is not None
        marginal = network_marginal_values(net, sol, dataset, cancel)
    else:
        marginal = marginal_values(model, sol, dataset, cancel)
    lap("marginal")
    if cancel is not None and cancel.is_set:
        timings["total"] = time.perf_counter() - start
        return _empty_plan(scenario, replace(sol, status=Status.CANCELLED), timings)
    plan = _plan(dataset, inputs, scenario, sol, baseline_x, timings, marginal, notes=notes)
    timings["extract"] += time.perf_counter() - clock
    timings["total"] = time.perf_counter() - start
    if progress is not None:
        progress("extract", 1.0)
    return plan


def _pulp_solver(scenario: Scenario, solver: str) -> str:
    """The PuLP solver for the elastic model after a solve by ``solver``."""
    return "highs" if solver not in ("highs", "cbc") else solver


def _baseline_flows(inputs: ModelInputs, dataset: Dataset, plan: Plan) -> np.ndarray:
    """Rebuild baseline ``x`` from a baseline plan's flows table."""
    x = np.zeros(len(inputs.x_center))
    flows = plan.flows
    if flows is None or len(flows) == 0:
        return x
    c_pos = pd.Index(dataset.centers["center_id"].astype(str))
    g_pos = pd.Index(dataset.grids["grid_id"].astype(str))
    k_pos = pd.Index(list(inputs.categories))
    n_g, n_k = inputs.n_grids, len(inputs.categories)
    key = (inputs.x_center * n_g + inputs.x_grid) * n_k + inputs.x_cat
    fc = c_pos.get_indexer(pd.Index(flows["center_id"]))
    fg = g_pos.get_indexer(pd.Index(flows["grid_id"]))
    fkey = (fc * n_g + fg) * n_k + k_pos.get_indexer(pd.Index(flows["category"]))
    where = pd.Index(key).get_indexer(fkey)
    ok = where >= 0
    x[where[ok]] = flows["hours"].to_numpy(float)[ok]
    return x
