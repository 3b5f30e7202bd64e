"""The one solver factory (HiGHS through PuLP, CBC as fallback) and status mapping."""

from __future__ import annotations

import atexit
import threading
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pulp

from govopt.optimize.cancel import Cancel
from govopt.plan import Status

__all__ = [
    "PRIMAL_SIMPLEX_MAX_COLUMNS",
    "BulkHiGHS",
    "LpMethod",
    "MipStart",
    "choose_lp_method",
    "gap_of",
    "highs_available",
    "make_solver",
    "run",
    "run_highs",
    "solver_gap",
    "status_of",
    "watch",
]

LpMethod = Literal["simplex", "primal", "ipm"]

_LP_OPTIONS: dict[str, dict[str, Any]] = {
    "simplex": {"solver": "simplex"},
    "primal": {"solver": "simplex", "simplex_strategy": 4, "simplex_scale_strategy": 0},
    "ipm": {"solver": "ipm", "run_crossover": "on"},
}


PRIMAL_SIMPLEX_MAX_COLUMNS = 100_000


class _ExitGuard:
    """The HiGHS runs in flight, stopped when the interpreter exits.

    A run left going in a daemon thread, or HiGHS's idle worker threads, abort
    the process as it ends (``std::terminate``). At exit every run is
    interrupted (its callbacks see :attr:`exiting`), awaited for up to
    ``wait_s`` seconds, and HiGHS lets its workers go.
    """

    wait_s = 10.0

    def __init__(self) -> None:
        self.exiting = threading.Event()
        self._idle = threading.Condition()
        self._running = 0

    @contextmanager
    def running(self) -> Iterator[bool]:
        """Count a run while it lasts; yield ``False`` (do not run) once exiting."""
        with self._idle:
            allowed = not self.exiting.is_set()
            self._running += allowed
        try:
            yield allowed
        finally:
            if allowed:
                with self._idle:
                    self._running -= 1
                    self._idle.notify_all()

    def release(self) -> None:
        self.exiting.set()
        with self._idle:
            self._idle.wait_for(lambda: self._running == 0, self.wait_s)
        try:
            import highspy
        except ImportError:
            return
        highspy.Highs.resetGlobalScheduler(False)


_EXIT = _ExitGuard()
atexit.register(_EXIT.release)


def choose_lp_method(n_columns: int, *, max_min: bool = False) -> LpMethod:
    """HiGHS's fastest LP algorithm for an allocation model of ``n_columns``.

    Measured (``benchmarks/solve.py``): primal simplex is fastest on models of
    the sample's size (about 38,000 columns), but its time grows much faster
    than the interior point method's (10,000 grids: 226 s against 61 s), and
    the two stages of ``equity`` suit the interior point method at any size.
    """
    if max_min or n_columns > PRIMAL_SIMPLEX_MAX_COLUMNS:
        return "ipm"
    return "primal"


@dataclass(frozen=True, eq=False)
class MipStart:
    """A whole-number plan to start the search from, or why there is none.

    Attributes
    ----------
    lp_status : Status
        Status of the LP relaxation the start was rounded from.
    note : str
        A code saying why there is no start (``start_lp_not_solved``,
        ``start_rounding_failed``, ``start_completion_failed``,
        ``start_infeasible``, ``start_needs_highs``, ``start_cancelled``);
        empty when ``values`` is set, or when the LP relaxation is infeasible,
        unbounded or cancelled (the search then ends the same way).
    values : mapping of str to float, optional
        A value for every column, by name; it meets every row of the model.
    objective, bound : float, optional
        The start's objective and the LP relaxation's optimum (a bound on
        every whole-number plan).
    seconds : float
        Time spent building the start.
    """

    lp_status: Status
    note: str = ""
    values: Mapping[str, float] | None = None
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0

    @property
    def gap(self) -> float | None:
        """Relative gap of the start to the LP bound, as HiGHS measures it."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(abs(self.objective), 1e-9)

    @classmethod
    def from_values(cls, prob: pulp.LpProblem) -> MipStart:
        """The values now held by the columns of ``prob`` (after a solve that has values)."""
        values = {v.name: float(v.varValue or 0.0) for v in prob.variables()}
        return cls(Status.OPTIMAL, values=values, objective=pulp.value(prob.objective))


class BulkHiGHS(pulp.HiGHS):  # type: ignore[misc]
    """``pulp.HiGHS`` that hands the model to highspy in bulk.

    PuLP's own HiGHS interface adds columns and rows one call at a time and
    walks every constraint to list the variables three times per solve; here
    the variables are listed once and columns and rows go over in one call
    each. Statuses, values, reduced costs and duals are set on the PuLP
    objects exactly as ``pulp.HiGHS`` sets them.

    ``start`` (a :class:`MipStart` with values) is handed to a MIP as its
    first incumbent, and is the plan read back when HiGHS stops at its limit
    before it takes it up; ``cancel`` (a :class:`~govopt.optimize.cancel.Cancel`)
    is checked by HiGHS's simplex, interior point and MIP interrupt
    callbacks, which stop the solve when it is set (or the interpreter
    exits). After a solve,
    ``outcome`` is its :class:`Status` and ``gap`` the relative gap of a
    feasible plan (the smaller of HiGHS's and the start's LP bound's).
    """

    start: MipStart | None = None
    cancel: Cancel | None = None
    outcome: Status | None = None
    gap: float | None = None

    def _watch(self, model: Any) -> None:
        watch(model, self.cancel)

    def _load_start(self, model: Any, variables: list[pulp.LpVariable]) -> None:
        import highspy

        values = None if self.start is None else self.start.values
        if not self.mip or values is None:
            return
        solution = highspy.HighsSolution()
        solution.col_value = [float(values.get(v.name, 0.0)) for v in variables]
        solution.value_valid = True
        model.setSolution(solution)

    def actualSolve(self, lp: pulp.LpProblem, callback: object = None) -> int:
        with _EXIT.running() as allowed:
            if not allowed:
                self.outcome, self.gap = Status.CANCELLED, None
                return int(pulp.LpStatusNotSolved)
            return self._solve(lp)

    def _solve(self, lp: pulp.LpProblem) -> int:
        import highspy

        self.createAndConfigureSolver(lp)
        model = lp.solverModel
        variables = lp.variables()
        constraints = list(lp._constraints.values())
        inf = highspy.kHighsInf
        for i, var in enumerate(variables):
            var.index = i
        mult = -1.0 if lp.sense == pulp.LpMaximize else 1.0
        objective = lp.objective or {}
        cost = np.array([objective.get(v, 0.0) for v in variables], dtype=float) * mult
        lower = np.array([-inf if v.lowBound is None else v.lowBound for v in variables], float)
        upper = np.array([inf if v.upBound is None else v.upBound for v in variables], float)
        no_int = np.zeros(0, dtype=np.int32)
        model.addCols(len(variables), cost, lower, upper, 0, no_int, no_int, np.zeros(0))
        if self.mip:
            ints = [i for i, v in enumerate(variables) if v.cat == pulp.LpInteger]
            if ints:
                kind = [highspy.HighsVarType.kInteger] * len(ints)
                model.changeColsIntegrality(len(ints), np.array(ints, dtype=np.int32), kind)
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []
        row_lo: list[float] = []
        row_hi: list[float] = []
        for i, con in enumerate(constraints):
            con.index = i
            starts.append(len(index))
            for var, coef in con.items():
                if coef != 0:
                    index.append(var.index)
                    value.append(coef)
            lo, hi = con.getLb(), con.getUb()
            row_lo.append(-inf if lo is None else lo)
            row_hi.append(inf if hi is None else hi)
        if constraints:
            model.addRows(
                len(constraints),
                np.array(row_lo, dtype=float),
                np.array(row_hi, dtype=float),
                len(index),
                np.array(starts, dtype=np.int32),
                np.array(index, dtype=np.int32),
                np.array(value, dtype=float),
            )
        self._load_start(model, variables)
        self._watch(model)
        self.callSolver(lp)
        status = self._read_back(lp, variables, constraints)
        lp.assignStatus(*status)
        self.outcome, self.gap = self._outcome(lp, variables)
        if self.outcome is Status.FEASIBLE:
            lp.assignStatus(pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible)
        return int(lp.status)

    def _outcome(
        self, lp: pulp.LpProblem, variables: list[pulp.LpVariable]
    ) -> tuple[Status, float | None]:
        status = status_of(lp, "highs")
        gap = gap_of(lp, "highs") if status is Status.FEASIBLE else None
        start = self.start
        if not self.mip or start is None or start.values is None:
            return status, gap
        if status is Status.TIME_LIMIT:
            for var in variables:
                var.varValue = start.values.get(var.name, 0.0)
            return Status.FEASIBLE, start.gap
        if status is Status.FEASIBLE and start.bound is not None:
            objective = float(pulp.value(lp.objective) or 0.0)
            to_bound = abs(objective - start.bound) / max(abs(objective), 1e-9)
            gap = to_bound if gap is None else min(gap, to_bound)
        return status, gap

    @staticmethod
    def _read_back(
        lp: pulp.LpProblem, variables: list[pulp.LpVariable], constraints: list[pulp.LpConstraint]
    ) -> tuple[int, int]:
        import highspy

        model = lp.solverModel
        hs = highspy.HighsModelStatus
        model_status = model.getModelStatus()
        solution = model.getSolution()
        if solution.value_valid:
            for var, val, dj in zip(variables, solution.col_value, solution.col_dual, strict=True):
                var.varValue = val
                var.dj = dj
            rows = zip(constraints, solution.row_value, solution.row_dual, strict=True)
            for con, val, pi in rows:
                slack = con.constant + val
                con.slack = -slack if con.sense == pulp.LpConstraintLE else slack
                con.pi = pi
        if model_status == hs.kOptimal:
            return pulp.LpStatusOptimal, pulp.LpSolutionOptimal
        if model_status in (hs.kInfeasible, hs.kUnboundedOrInfeasible):
            return pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible
        if model_status == hs.kUnbounded:
            return pulp.LpStatusUnbounded, pulp.LpSolutionUnbounded
        if solution.value_valid and model_status in (
            hs.kTimeLimit,
            hs.kIterationLimit,
            hs.kSolutionLimit,
            hs.kInterrupt,
            hs.kObjectiveBound,
            hs.kObjectiveTarget,
        ):
            return pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible
        return pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound


def highs_available() -> bool:
    """Whether the HiGHS Python API (highspy) can be used."""
    return bool(pulp.HiGHS().available())


def make_solver(
    name: str = "highs",
    *,
    time_limit_s: float | None = None,
    mip_gap: float = 1e-4,
    mip: bool = False,
    lp_method: LpMethod = "ipm",
    cancel: Cancel | None = None,
    start: MipStart | None = None,
) -> tuple[pulp.LpSolver, str]:
    """Return a configured solver and its name (``highs`` or ``cbc``).

    HiGHS (:class:`BulkHiGHS`) is used unless ``name == "cbc"`` or highspy is
    missing, then CBC. ``lp_method`` picks HiGHS's algorithm for linear
    programs: dual ``simplex``, ``primal`` simplex, or ``ipm`` (interior point
    with crossover, so that a basic solution with duals comes back). HiGHS
    takes ``start`` as a MIP's first incumbent and stops when ``cancel`` is
    set; CBC ignores both (:func:`run` still checks ``cancel`` before it starts).
    """
    if name != "cbc" and highs_available():
        options = {"mip_lp_solver": "ipm"} if mip else _LP_OPTIONS[lp_method]
        highs = BulkHiGHS(msg=False, timeLimit=time_limit_s, gapRel=mip_gap, **options)
        highs.cancel = cancel
        highs.start = start
        return highs, "highs"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        cbc = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s, gapRel=mip_gap)
    cbc.cancel = cancel
    return cbc, "cbc"


def _highs_incumbent(prob: pulp.LpProblem) -> bool:
    """Whether HiGHS stopped a MIP with a whole-number plan in hand."""
    model = prob.solverModel
    return bool(
        model.getNumCol() > 0
        and any(model.getLp().integrality_)
        and model.getSolution().value_valid
        and np.isfinite(model.getInfo().mip_gap)
    )


def status_of(prob: pulp.LpProblem, solver_name: str) -> Status:
    """Map the solver's outcome to :class:`Status`.

    A MIP stopped at a limit with a whole-number plan in hand is
    ``FEASIBLE`` (its gap: :func:`gap_of`); an LP or a MIP without one is
    ``TIME_LIMIT``; a HiGHS solve stopped through its ``cancel`` token is
    ``CANCELLED``. Nothing short of a proven optimum is ``OPTIMAL``.
    """
    if solver_name == "highs" and getattr(prob, "solverModel", None) is not None:
        import highspy

        model_status = prob.solverModel.getModelStatus()
        hs = highspy.HighsModelStatus
        if model_status == hs.kOptimal:
            return Status.OPTIMAL
        if model_status in (hs.kInfeasible, hs.kUnboundedOrInfeasible):
            return Status.INFEASIBLE
        if model_status == hs.kUnbounded:
            return Status.UNBOUNDED
        if model_status == hs.kInterrupt:
            return Status.CANCELLED
        if model_status in (hs.kTimeLimit, hs.kIterationLimit, hs.kSolutionLimit):
            return Status.FEASIBLE if _highs_incumbent(prob) else Status.TIME_LIMIT
        return Status.ERROR
    if prob.status == pulp.LpStatusOptimal:
        if prob.sol_status == pulp.LpSolutionOptimal:
            return Status.OPTIMAL
        return Status.FEASIBLE if prob.isMIP() else Status.TIME_LIMIT
    if prob.status == pulp.LpStatusInfeasible:
        return Status.INFEASIBLE
    if prob.status == pulp.LpStatusUnbounded:
        return Status.UNBOUNDED
    if prob.status == pulp.LpStatusNotSolved:
        return Status.NOT_SOLVED
    return Status.ERROR


def gap_of(prob: pulp.LpProblem, solver_name: str) -> float | None:
    """Relative gap of a MIP's plan to its best bound (HiGHS only; ``None`` otherwise)."""
    if solver_name != "highs" or getattr(prob, "solverModel", None) is None:
        return None
    if not _highs_incumbent(prob):
        return None
    return float(prob.solverModel.getInfo().mip_gap)


def watch(model: Any, cancel: Cancel | None) -> None:
    """Stop every later run of the highspy ``model`` when ``cancel`` is set or the
    interpreter exits (HiGHS's simplex, interior point and MIP interrupt callbacks)."""
    exiting = _EXIT.exiting

    def stop(event: Any) -> None:
        if exiting.is_set() or (cancel is not None and cancel.is_set):
            event.interrupt()

    model.cbSimplexInterrupt.subscribe(stop)
    model.cbIpmInterrupt.subscribe(stop)
    model.cbMipInterrupt.subscribe(stop)


def run_highs(model: Any) -> bool:
    """Run the highspy ``model`` outside :class:`BulkHiGHS` (a re-solve of a solved model),
    counted like every run so that exiting waits for it; ``False``, not run, once exiting."""
    with _EXIT.running() as allowed:
        if allowed:
            model.run()
    return allowed


def run(prob: pulp.LpProblem, solver: pulp.LpSolver, solver_name: str) -> Status:
    """Solve ``prob`` with ``solver`` and return its :class:`Status`.

    A solver whose ``cancel`` token is already set is not started
    (``CANCELLED``).
    """
    cancel: Cancel | None = getattr(solver, "cancel", None)
    if cancel is not None and cancel.is_set:
        return Status.CANCELLED
    prob.solve(solver)
    if isinstance(solver, BulkHiGHS) and solver.outcome is not None:
        return solver.outcome
    return status_of(prob, solver_name)


def solver_gap(solver: pulp.LpSolver) -> float | None:
    """The gap of the last feasible plan ``solver`` returned (HiGHS only)."""
    return solver.gap if isinstance(solver, BulkHiGHS) else None
