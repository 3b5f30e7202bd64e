"""The one solver factory (HiGHS through PuLP, CBC as fallback) and status mapping."""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np
import pulp

from govopt.plan import Status

__all__ = [
    "PRIMAL_SIMPLEX_MAX_COLUMNS",
    "BulkHiGHS",
    "LpMethod",
    "choose_lp_method",
    "highs_available",
    "make_solver",
    "status_of",
]

LpMethod = Literal["simplex", "primal", "ipm"]

_LP_OPTIONS: dict[str, dict[str, Any]] = {
    "simplex": {"solver": "simplex"},
    "primal": {"solver": "simplex", "simplex_strategy": 4, "simplex_scale_strategy": 0},
    "ipm": {"solver": "ipm", "run_crossover": "on"},
}


PRIMAL_SIMPLEX_MAX_COLUMNS = 100_000


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


class BulkHiGHS(pulp.HiGHS):  # type: ignore[misc]
    """``pulp.HiGHS`` that hands the model to highspy in bulk.

    PuLP's own HiGHS interface adds columns and rows one call at a time and
    walks every constraint to list the variables three times per solve; here
    the variables are listed once and columns and rows go over in one call
    each. Statuses, values, reduced costs and duals are set on the PuLP
    objects exactly as ``pulp.HiGHS`` sets them.
    """

    def actualSolve(self, lp: pulp.LpProblem, callback: object = None) -> int:
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
        self.callSolver(lp)
        status = self._read_back(lp, variables, constraints)
        lp.assignStatus(*status)
        return status[0]

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
) -> tuple[pulp.LpSolver, str]:
    """Return a configured solver and its name (``highs`` or ``cbc``).

    HiGHS (:class:`BulkHiGHS`) is used unless ``name == "cbc"`` or highspy is
    missing, then CBC. ``lp_method`` picks HiGHS's algorithm for linear
    programs: dual ``simplex``, ``primal`` simplex, or ``ipm`` (interior point
    with crossover, so that a basic solution with duals comes back).
    """
    if name != "cbc" and highs_available():
        options = {} if mip else _LP_OPTIONS[lp_method]
        highs = BulkHiGHS(msg=False, timeLimit=time_limit_s, gapRel=mip_gap, **options)
        return highs, "highs"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        cbc = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s, gapRel=mip_gap)
    return cbc, "cbc"


def status_of(prob: pulp.LpProblem, solver_name: str) -> Status:
    """Map PuLP's status pair to :class:`Status`; an incumbent at a limit is ``TIME_LIMIT``."""
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
        if model_status in (hs.kTimeLimit, hs.kIterationLimit, hs.kInterrupt):
            return Status.TIME_LIMIT
        return Status.ERROR
    if prob.status == pulp.LpStatusOptimal:
        if prob.sol_status == pulp.LpSolutionOptimal:
            return Status.OPTIMAL
        return Status.TIME_LIMIT
    if prob.status == pulp.LpStatusInfeasible:
        return Status.INFEASIBLE
    if prob.status == pulp.LpStatusUnbounded:
        return Status.UNBOUNDED
    if prob.status == pulp.LpStatusNotSolved:
        return Status.NOT_SOLVED
    return Status.ERROR
