"""``govopt report DATA_DIR --plan OUT_DIR --out report.html``: a printable report of a plan."""

from __future__ import annotations

import sys
from pathlib import Path

from govopt.data.errors import DataError
from govopt.i18n import Lang, t
from govopt.output.problem_text import describe_problem

__all__ = ["run_report"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1


def run_report(data_dir: Path, plan_dir: Path, out: Path, *, lang: Lang = "zh") -> int:
    """Write the report of the plan in ``plan_dir`` (a ``govopt solve --out`` folder).

    Returns the exit code: 0 written, 1 bad input (the message says what to do).
    """
    from govopt.analysis.plan_summary import same_layout
    from govopt.data.validate import load_dataset
    from govopt.output.export import write_file
    from govopt.output.plan_reader import read_plan
    from govopt.output.report import report_html

    try:
        dataset = load_dataset(data_dir)
    except DataError as exc:
        print(t("cli.dataset_unusable", lang, path=data_dir), file=sys.stderr)
        for problem in exc.problems:
            if problem.severity == "error":
                print(f"  {describe_problem(problem, lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        found = read_plan(plan_dir)
    except DataError as exc:
        print(t("cli.plan_unusable", lang, path=plan_dir), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {describe_problem(problem, lang)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    plan = found.plan
    if plan.has_values and not same_layout(plan, dataset):
        print(t("cli.plan_other_dataset", lang, plan=plan_dir, data=data_dir), file=sys.stderr)
        return EXIT_BAD_INPUT
    page = report_html(plan, dataset, lang, causes=found.causes, today_kpis=found.today)
    data = page.encode("utf-8")
    try:
        write_file(out, data)
    except OSError as exc:
        print(t("cli.write_failed", lang, out=out, reason=exc.strerror or exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(t("cli.report_wrote", lang, out=out, kb=f"{len(data) / 1024:,.0f}"))
    return EXIT_OK
