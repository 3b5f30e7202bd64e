"""How long the search for an infeasible scenario's conflicts takes on the bundled sample.

Each case is the sample's ``scenario.toml`` with one change that makes it
infeasible. Timed: :func:`govopt.optimize.infeasibility.find_conflicts`
(build the elastic model, its penalised solve, the deletion filter and one
solve per named policy), with the inputs already built. ``--rebuild`` hands
every probe to the solver afresh instead of re-solving the loaded HiGHS model
from its last basis (what CBC does).

Usage::

    python benchmarks/explain.py [--rebuild]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

__all__ = ["CASES", "main"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "zhangqiu"

CASES: dict[str, dict[str, Any]] = {
    "staff budget 1,900 (transfer limit 150)": {"staff_total": 1900.0},
    "funds floors 100,000 / 14,000 CNY": {"min_funds_cny": (100_000, 14_000, 0)},
    "floors 50,000 / 12,000 + funds moved 500,000": {
        "min_funds_cny": (50_000, 12_000, 0),
        "max_funds_moved_cny": 500_000.0,
    },
    "cost, target 95 %, staff budget 2,000": {
        "objective": "cost",
        "coverage_target": 0.95,
        "staff_total": 2000.0,
    },
    "two conflicts: staff 1,900 + floors": {
        "staff_total": 1900.0,
        "min_funds_cny": (100_000, 14_000, 0),
    },
}


def main(argv: list[str] | None = None) -> None:
    """Print one Markdown row per case: policies named, probes, seconds."""
    from govopt.data.schema import LevelValues
    from govopt.data.validate import load_dataset
    from govopt.optimize import infeasibility
    from govopt.optimize.inputs import model_inputs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="no warm start between probes")
    args = parser.parse_args(argv)
    probes = [0]
    solve = infeasibility._Probe._solve

    def counted(self: Any, *a: Any, **k: Any) -> Any:
        probes[0] += 1
        if args.rebuild:
            self._highs = None
        return solve(self, *a, **k)

    infeasibility._Probe._solve = counted  # type: ignore[method-assign]
    dataset = load_dataset(SAMPLE)
    assert dataset.scenario is not None
    print("| case | policies named | probes | seconds |")
    print("|---|---|---:|---:|")
    for name, change in CASES.items():
        if "min_funds_cny" in change:
            change = {**change, "min_funds_cny": LevelValues(*change["min_funds_cny"])}
        scenario = dataset.scenario.replace(**change)
        inputs = model_inputs(dataset, scenario)
        probes[0] = 0
        start = time.perf_counter()
        conflicts = infeasibility.find_conflicts(inputs, scenario)
        seconds = time.perf_counter() - start
        named = ", ".join(f"`{c.family}`" for c in conflicts)
        print(f"| {name} | {named} | {probes[0]} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
