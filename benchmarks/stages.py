"""Every step of a network-engine solve, one after the other: seconds and peak memory each.

The folder is read once (reported as ``read``), then each step of
:func:`govopt.optimize.solve` on the scenario's own objective runs by itself:
links, model inputs and organization paths, the network, stage 1
(``policy``), potentials and duals, the optimal face, stage 2 and its basic
flow, the assignment, hours by source, the plan tables and the plan files.
Wall and CPU seconds per step; ``peak`` is the process's peak resident
memory while the step ran (Linux: ``/proc/self/clear_refs`` resets it).

Usage::

    .venv/bin/python benchmarks/stages.py /tmp/g100k --objective cost
    .venv/bin/python benchmarks/stages.py /tmp/g10k --objective coverage --no-assignment
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["main"]

T = TypeVar("T")


def _memory_gb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024**2
    return float("nan")


class _Steps:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, float]] = []

    def run(self, name: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
                fh.write("5")
        except OSError:
            pass
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn(*args, **kwargs)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        self.rows.append((name, wall, cpu, _memory_gb("VmHWM")))
        print(f"{name:16s} {wall:8.2f} s wall {cpu:8.2f} s CPU  peak {self.rows[-1][3]:.2f} GB")
        return out


def main(argv: list[str] | None = None) -> int:
    """Command line: read the folder, run the steps, print a Markdown table."""
    from govopt.analysis.geo import build_links
    from govopt.data.scenario import Scenario
    from govopt.data.validate import load_dataset
    from govopt.optimize.allocation import Solution
    from govopt.optimize.inputs import model_inputs
    from govopt.optimize.network import NetworkModel, solve_flow
    from govopt.optimize.network_basis import basic_stage
    from govopt.optimize.network_solve import (
        assign_network,
        network_duals,
        optimal_face,
        potentials,
    )
    from govopt.optimize.prepared import Prepared
    from govopt.optimize.results import center_table, flow_table, grid_table, kpis
    from govopt.optimize.service import hours_by_source
    from govopt.output.export import write_plan
    from govopt.plan import Plan, Status

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder", type=Path)
    p.add_argument("--objective", default=None, help="default: the folder's scenario")
    p.add_argument("--no-assignment", action="store_true", help="skip stage 3")
    args = p.parse_args(argv)
    steps = _Steps()
    ds = steps.run("read", load_dataset, args.folder)
    sc = (ds.scenario or Scenario()).replace(time_limit_s=None)
    if args.objective:
        sc = sc.replace(objective=args.objective)
    demand = steps.run("demand", lambda: Prepared(ds).demand)
    links = steps.run("links", build_links, ds, sc.radius_m)
    inp = steps.run("inputs", model_inputs, ds, sc, demand=demand, links=links)
    net = steps.run("network", NetworkModel, inp, sc)
    print(
        f"  {len(links.center_grid):,} links, {len(inp.y_org):,} organization paths, "
        f"{net.layout.n_nodes:,} nodes, {len(net.tail):,} arcs"
    )
    first = steps.run("policy", net.solve_policy)
    if first.status is not Status.OPTIMAL:
        print(f"stage 1: {first.status.value}")
        return 1
    d = steps.run("potentials", potentials, net, first.flow, net.lower)
    duals, hour_duals = steps.run("duals", network_duals, net, first.flow, net.lower, d)
    low, cap = steps.run("face", optimal_face, net, first.flow, net.lower, d)
    n, move = net.layout.n_nodes, net.move_cost
    second = steps.run("stability", solve_flow, n, net.tail, net.head, low, cap, move, net.supply)
    basic = steps.run("basic flow", basic_stage, n, net.tail, net.head, low, cap, move, second)
    values = net.values(basic.flow)
    x_link, y = values["x"], values["y"]
    if not args.no_assignment:
        nearest = steps.run("assignment", assign_network, net, basic.flow)
        x_link, y = nearest.link_hours, nearest.org_hours
    staff, funds = values["staff"], values["funds"]
    H = sc.work_hours_per_staff
    x, sh, ph = steps.run("hours", hours_by_source, inp, x_link, y, staff, H)
    sol = Solution(Status.OPTIMAL, "network", net.objective_value(first.flow), x, sh, ph, y,
                   staff, funds, None, duals=duals, staff_hour_duals=hour_duals)  # fmt: skip
    centers = steps.run(
        "centers", center_table, ds, inp, sc,
        staff=staff, funds=funds, staff_hours=sh, purchased_hours=ph, x=x, y=y,
    )  # fmt: skip
    grids = steps.run("grids", grid_table, ds, inp, x, x)
    flows = steps.run("flows", flow_table, ds, inp, x)
    plan = Plan(
        scenario=sc, status=Status.OPTIMAL, objective=sol.objective, solver="network",
        timings={}, centers=centers, grids=grids, kpis=kpis(grids, centers, sc),
        marginal=None, flows=flows,
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as out:
        steps.run("write", write_plan, plan, ds, Path(out))
    print(f"\n{len(ds.grids):,} grids, objective {sc.objective}\n")
    print("| step | wall (s) | CPU (s) | peak (GB) |\n|---|---:|---:|---:|")
    for name, wall, cpu, peak in steps.rows:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {peak:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
