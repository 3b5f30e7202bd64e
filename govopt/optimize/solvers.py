"""The one solver factory (HiGHS through PuLP, CBC as fallback) and status mapping."""

from __future__ import annotations

import warnings

import pulp

from govopt.scenario import Status

__all__ = ["highs_available", "make_solver", "status_of"]


def highs_available() -> bool:
    """Whether the HiGHS Python API (highspy) can be used."""
    return bool(pulp.HiGHS().available())


def make_solver(
    name: str = "highs",
    *,
    time_limit_s: float | None = None,
    mip_gap: float = 1e-4,
    mip: bool = False,
) -> tuple[pulp.LpSolver, str]:
    """Return a configured solver and its name (``highs`` or ``cbc``).

    HiGHS is used unless ``name == "cbc"`` or highspy is missing, then CBC.
    Linear programs (``mip=False``) use HiGHS's interior point method with
    crossover, which is several times faster than simplex on these degenerate
    flow models and still returns a basic solution with duals.
    """
    if name != "cbc" and highs_available():
        options = {} if mip else {"solver": "ipm", "run_crossover": "on"}
        highs = pulp.HiGHS(msg=False, timeLimit=time_limit_s, gapRel=mip_gap, **options)
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
