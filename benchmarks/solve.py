"""End-to-end solve benchmark: load, demand, links, build, solve, write; time and peak memory.

Each (dataset, objective) case runs in its own subprocess so that peak memory
(``ru_maxrss``) belongs to that case alone. Generated districts come from
:func:`govopt.data.sample.generate` and are written to a temporary folder first
(not timed), so "load" reads files as the CLI does.

Usage::

    python benchmarks/solve.py                       # sample + 1,000 + 10,000 grids
    python benchmarks/solve.py --sizes 1000 100000 --objectives coverage
    python benchmarks/solve.py --one DATA_DIR coverage   # one case, JSON on stdout
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["main", "run_case", "run_one"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "zhangqiu"


def run_one(data_dir: Path, objective: str, time_limit_s: float | None) -> dict[str, Any]:
    """Run one case in this process and return its measurements.

    ``data_dir`` may be ``generate:N``: the district is then generated in
    memory (reported as ``generate_s``, not as load time).
    """
    from govopt.data.sample import generate
    from govopt.data.scenario import Scenario
    from govopt.data.validate import load_dataset
    from govopt.optimize import solve
    from govopt.output.export import write_plan

    start = time.perf_counter()
    generate_s = None
    if str(data_dir).startswith("generate:"):
        dataset = generate(n_grids=int(str(data_dir).split(":")[1]), seed=0)
        generate_s = time.perf_counter() - start
        start = time.perf_counter()
        load_s = None
    else:
        dataset = load_dataset(data_dir)
        load_s = time.perf_counter() - start
    scenario = (dataset.scenario or Scenario()).replace(
        objective=objective, time_limit_s=time_limit_s
    )
    plan = solve(dataset, scenario)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        write_plan(plan, dataset, Path(out))
    write_s = time.perf_counter() - t0
    total = time.perf_counter() - start
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    timings = dict(plan.timings)
    return {
        "grids": len(dataset.grids),
        "centers": len(dataset.centers),
        "orgs": len(dataset.social_orgs),
        "orders": dataset.orders_total,
        "objective": objective,
        "status": plan.status.value,
        "value": plan.objective,
        "generate_s": generate_s,
        "load_s": load_s,
        "demand_s": timings.get("demand", 0.0),
        "links_s": timings.get("links", 0.0),
        "baseline_s": timings.get("baseline", 0.0),
        "build_s": timings.get("build", 0.0),
        "solve_s": timings.get("solve", 0.0),
        "extract_s": timings.get("extract", 0.0),
        "write_s": write_s,
        "total_s": total,
        "peak_mb": rss_kb / 1024,
    }


def run_case(
    data_dir: Path, objective: str, timeout_s: float, time_limit_s: float | None
) -> dict[str, Any]:
    """Run one case in a subprocess; a timeout or crash is reported, not raised."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(data_dir), objective]
    if time_limit_s is not None:
        cmd += ["--time-limit", str(time_limit_s)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return {"objective": objective, "status": f"killed after {timeout_s:.0f} s"}
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
        return {"objective": objective, "status": "error: " + " ".join(tail)}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _dataset_dir(name: str, tmp: Path, in_memory: bool) -> Path:
    if name == "sample":
        return SAMPLE
    if in_memory:
        return Path(f"generate:{name}")
    from govopt.data.sample import write_sample

    folder = tmp / f"grids_{name}"
    write_sample(folder, int(name), seed=0)
    return folder


def _fmt(value: Any, digits: int = 2) -> str:
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,d}"
    return "—" if value is None else str(value)


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown table of the measurements."""
    head = (
        "| dataset | grids | objective | status | load | demand | links | baseline | build "
        "| solve | extract | write | total (s) | peak MB |\n"
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    lines = [head]
    for r in rows:
        cells = [r.get("dataset", ""), _fmt(r.get("grids")), r["objective"], r["status"]]
        for key in (
            "load_s",
            "demand_s",
            "links_s",
            "baseline_s",
            "build_s",
            "solve_s",
            "extract_s",
            "write_s",
            "total_s",
        ):
            cells.append(_fmt(r.get(key)))
        cells.append(_fmt(r.get("peak_mb"), 0))
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print a Markdown table (and JSON rows with ``--json``)."""
    from govopt.data.scenario import OBJECTIVES

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--one", nargs=2, metavar=("DATA_DIR", "OBJECTIVE"))
    p.add_argument("--sizes", nargs="*", default=["sample", "1000", "10000"])
    p.add_argument("--objectives", nargs="*", default=[o.value for o in OBJECTIVES])
    p.add_argument("--timeout", type=float, default=900.0, help="seconds per case")
    p.add_argument("--time-limit", type=float, default=None, help="solver limit, seconds")
    p.add_argument(
        "--in-memory",
        action="store_true",
        help="generate districts in each case's process instead of writing and loading them",
    )
    p.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    args = p.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(Path(args.one[0]), args.one[1], args.time_limit)))
        return 0
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            if size == "sample" and not SAMPLE.exists():
                continue
            folder = _dataset_dir(size, Path(tmp), args.in_memory)
            for objective in args.objectives:
                row = run_case(folder, objective, args.timeout, args.time_limit)
                row["dataset"] = "zhangqiu sample" if size == "sample" else f"generated {size}"
                rows.append(row)
                print(json.dumps(row), flush=True)
    meta = {"python": platform.python_version(), "machine": platform.machine()}
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2), encoding="utf-8")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
