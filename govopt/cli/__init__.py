"""The ``govopt`` command: sample, validate, solve, map, report.

Every sub-command turns bad input into a message that says what to do and an
exit code (0 fine, 1 bad input, 2 infeasible scenario, 3 a feasible plan not
proven optimal at the time limit); never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from govopt.i18n import Lang, as_lang, t

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_INFEASIBLE = 2


def _refuse_out_dir(out_dir: Path, force: bool, lang: Lang) -> str | None:
    """Why ``govopt sample`` must not write into ``out_dir`` (``None``: it may)."""
    if out_dir.exists() and not out_dir.is_dir():
        return t("cli.sample_is_file", lang, out=out_dir)
    if force or not out_dir.is_dir():
        return None
    try:
        entries = sorted(p.name for p in out_dir.iterdir())
    except OSError as exc:
        return t("cli.sample_unreadable", lang, out=out_dir, reason=exc.strerror or exc)
    if not entries:
        return None
    shown = ", ".join(entries[:3]) + (f", … (+{len(entries) - 3})" if len(entries) > 3 else "")
    return t("cli.sample_not_empty", lang, out=out_dir, files=shown)


def _cmd_sample(args: argparse.Namespace) -> int:
    from govopt.data.sample import write_sample

    if args.grids is not None and args.grids < 1:
        print("error: --grids must be 1 or more", file=sys.stderr)
        return EXIT_BAD_INPUT
    out_dir = Path(args.out_dir)
    refused = _refuse_out_dir(out_dir, args.force, as_lang(args.lang))
    if refused is not None:
        print(f"error: {refused}", file=sys.stderr)
        return EXIT_BAD_INPUT
    dataset = write_sample(out_dir, args.grids, args.seed, counts_only=args.counts_only)
    orders = "work-order counts" if args.counts_only else "work orders"
    print(
        f"wrote {len(dataset.grids):,} grids, {len(dataset.centers):,} centers, "
        f"{len(dataset.social_orgs):,} social organizations, "
        f"{dataset.orders_total:,} {orders} to {args.out_dir}"
    )
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from govopt.data.validate import validate_folder
    from govopt.output.problem_text import report_text

    report = validate_folder(Path(args.data_dir))
    print(report_text(report, args.lang))
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def _cmd_solve(args: argparse.Namespace) -> int:
    from govopt.cli.solve import run_solve

    return run_solve(
        Path(args.data_dir),
        Path(args.scenario) if args.scenario else None,
        Path(args.out),
        solver=args.solver,
        time_limit_s=args.time_limit,
        lang=as_lang(args.lang),
        xlsx=Path(args.xlsx) if args.xlsx else None,
    )


def _cmd_map(args: argparse.Namespace) -> int:
    from govopt.cli.map import run_map

    return run_map(
        Path(args.data_dir),
        Path(args.plan) if args.plan else None,
        Path(args.out),
        lang=as_lang(args.lang),
    )


def _cmd_report(args: argparse.Namespace) -> int:
    from govopt.cli.report import run_report

    return run_report(Path(args.data_dir), Path(args.plan), Path(args.out), lang=as_lang(args.lang))


def _time_limit(text: str) -> float | str:
    if text.strip().lower() == "none":
        return "none"
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds; use e.g. 120, or none for no limit"
        ) from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(
            f"{text} s is not a time limit; use a number above 0, or none for no limit"
        )
    return value


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="govopt",
        description="Coverage and allocation planning for grid-based governance.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("sample", help="write a synthetic dataset folder")
    s.add_argument("out_dir", metavar="OUT_DIR")
    s.add_argument(
        "--grids", type=int, default=None, help="number of grids (default: the Zhangqiu sample)"
    )
    s.add_argument("--seed", type=int, default=0)
    s.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty, replacing its dataset files",
    )
    s.add_argument(
        "--counts-only",
        action="store_true",
        help="write work_order_counts.csv instead of the raw log work_orders.csv.gz",
    )
    s.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the messages")
    s.set_defaults(func=_cmd_sample)

    v = sub.add_parser("validate", help="check a dataset folder and list every problem")
    v.add_argument("data_dir", metavar="DATA_DIR")
    v.add_argument("--lang", choices=("en", "zh"), default="en")
    v.set_defaults(func=_cmd_validate)

    o = sub.add_parser("solve", help="optimise a scenario and write the plan")
    o.add_argument("data_dir", metavar="DATA_DIR")
    o.add_argument("--scenario", metavar="FILE", default=None)
    o.add_argument("--out", metavar="OUT_DIR", required=True)
    o.add_argument("--solver", choices=("auto", "highs", "cbc"), default=None)
    o.add_argument(
        "--time-limit",
        type=_time_limit,
        default=None,
        metavar="SECONDS",
        help="limit of every solver call (default: the scenario's, 60 s); 'none' for no limit",
    )
    o.add_argument(
        "--xlsx",
        metavar="FILE",
        default=None,
        help="also write the plan as an Excel workbook (headers in --lang)",
    )
    o.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the messages and workbook"
    )
    o.set_defaults(func=_cmd_solve)

    m = sub.add_parser("map", help="write a standalone HTML map")
    m.add_argument("data_dir", metavar="DATA_DIR")
    m.add_argument("--plan", metavar="OUT_DIR", default=None)
    m.add_argument("--out", metavar="map.html", required=True)
    m.add_argument("--lang", choices=("en", "zh"), default="zh")
    m.set_defaults(func=_cmd_map)

    r = sub.add_parser("report", help="write a printable HTML report of a solved plan")
    r.add_argument("data_dir", metavar="DATA_DIR")
    r.add_argument("--plan", metavar="OUT_DIR", required=True, help="folder of govopt solve --out")
    r.add_argument("--out", metavar="report.html", required=True)
    r.add_argument("--lang", choices=("zh", "en"), default="zh")
    r.set_defaults(func=_cmd_report)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    A mistyped command or option is bad input too (1, after argparse's usage
    message), so that 2 always means an infeasible scenario.
    """
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code in (0, None) else EXIT_BAD_INPUT
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: a message, never a traceback
        from govopt.output.problem_text import describe

        print(f"error: {describe(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    raise SystemExit(main())
