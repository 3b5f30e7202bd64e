"""A printable report of one plan: a self-contained HTML page that prints to A4.

Inline CSS and inline SVG only (no scripts, fonts or images from elsewhere),
so it opens and prints the same on a machine without internet. Every name
from the data is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
import pandas as pd

from govopt.analysis.diagnosis import CAUSES, diagnose
from govopt.analysis.plan_summary import (
    changed_most,
    level_summary,
    lowest_grids,
    same_layout,
    street_summary,
)
from govopt.data.dataset import Dataset
from govopt.i18n import Lang, fmt_pct, t
from govopt.output.maps import legend
from govopt.output.planner_text import (
    beijing_now,
    header,
    kpi_rows,
    level_text,
    scenario_settings,
)
from govopt.output.rounding import staff_digits
from govopt.output.svg import bar_pairs, column_pairs, polygons_svg
from govopt.output.words import explain_marginal, plan_notes, plan_status
from govopt.output.workbook import dataset_title, today
from govopt.plan import Kpis, Plan

__all__ = ["CHANGED_CENTERS", "LOWEST_GRIDS", "report_html"]

CHANGED_CENTERS = 15
LOWEST_GRIDS = 20
_CAUSE_KEYS = {
    "no_center_in_reach": "why.cause.no_center_in_reach",
    "centers_full": "why.cause.centers_full",
    "budget_binds": "why.cause.budget_binds",
    "served_elsewhere": "why.cause.served_elsewhere",
}
_CSS = """
@page { size: A4; margin: 14mm 12mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
  "SimHei", "Helvetica Neue", Arial, sans-serif; font-size: 10pt; color: #1a1a1a;
  margin: 0; line-height: 1.45; }
main { max-width: 186mm; margin: 0 auto; padding: 8mm 0; }
h3 { font-size: 10.5pt; margin: 4mm 0 1mm; break-after: avoid; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 1.5px solid #1f6fb4;
  break-after: avoid; page-break-after: avoid; }
p.meta { color: #444; margin: 0 0 3mm; }
p.hint { color: #666; font-size: 9pt; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 2mm; font-size: 9pt; }
th, td { border: 0.6px solid #c8c8c8; padding: 1mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #e8eef6; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n, td.s { white-space: nowrap; }
th.g { text-align: center; }
thead { display: table-header-group; }
tr, figure, .keep { break-inside: avoid; page-break-inside: avoid; }
table.settings td:nth-child(odd) { width: 27%; color: #333; }
figure { margin: 1mm 0 3mm; }
figcaption { font-size: 8.5pt; color: #555; }
.pair { display: flex; gap: 4mm; }
.pair > * { flex: 1 1 0; }
.legend span { display: inline-block; margin-right: 3mm; font-size: 8.5pt; white-space: nowrap; }
.legend i { display: inline-block; width: 4mm; height: 3mm; margin-right: 1mm;
  vertical-align: middle; border: 0.4px solid #999; }
ul { margin: 1mm 0; padding-left: 5mm; }
footer { margin-top: 8mm; color: #666; font-size: 8pt; }
@media print { main { padding: 0; max-width: none; } .screen { display: none; } }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _colon(lang: Lang) -> str:
    return ": " if lang == "en" else "："


def _num(value: object, digits: int = 0, signed: bool = False) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "—"
    if number != number:
        return "—"
    number = round(number, digits) + 0.0
    text = f"{number:,.{digits}f}"
    return "+" + text if signed and number > 0 else text


def _table(
    heads: Sequence[str],
    rows: Sequence[Sequence[str]],
    kinds: str,
    cls: str = "",
    groups: Sequence[tuple[str, int]] = (),
) -> str:
    """An escaped table; ``kinds`` has one letter per column: ``n`` number, ``s`` short
    text kept on one line, ``t`` text. ``groups`` adds a header row of (label, columns)."""

    def cell(tag: str, text: str, kind: str) -> str:
        attr = f' class="{kind}"' if kind in ("n", "s") else ""
        return f"<{tag}{attr}>{text}</{tag}>"

    top = ""
    if groups:
        spans = "".join(
            f'<th colspan="{n}"{" class=g" if label else ""}>{_e(label)}</th>'
            for label, n in groups
        )
        top = f"<tr>{spans}</tr>"
    head = "".join(cell("th", _e(h), k) for h, k in zip(heads, kinds, strict=True))
    body = "".join(
        "<tr>" + "".join(cell("td", _e(v), k) for v, k in zip(row, kinds, strict=True)) + "</tr>"
        for row in rows
    )
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead>{top}<tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(title: str, *parts: str) -> str:
    return f"<section><h2>{_e(title)}</h2>{''.join(parts)}</section>"


def _sentences(lines: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in lines) + "</ul>"


def _settings(plan: Plan, lang: Lang) -> str:
    pairs = scenario_settings(plan.scenario, lang)
    half = (len(pairs) + 1) // 2
    rows = [
        [*pairs[i], *(pairs[i + half] if i + half < len(pairs) else ("", ""))] for i in range(half)
    ]
    heads = [t("out.setting", lang), t("out.value", lang)] * 2
    return _section(t("out.settings", lang), _table(heads, rows, "tttt", "settings"))


def _kpis(plan: Plan, before: Kpis | None, lang: Lang, staff: int) -> str:
    rows = kpi_rows(plan, before, lang, staff)
    table = _table(
        [t("out.kpi", lang), t("out.today", lang), t("out.plan", lang), t("out.change", lang)],
        [
            [k.label, k.text(k.before, lang), k.text(k.after, lang), k.text(k.change, lang, True)]
            for k in rows
        ],
        "tnnn",
    )
    return _section(t("out.kpis", lang), table)


def _streets(plan: Plan, dataset: Dataset, lang: Lang) -> str:
    s = street_summary(plan, dataset)
    s = s.sort_values(["coverage", "street"], ascending=[True, True], kind="stable")
    before = [None if v != v else float(v) * 100 for v in s["baseline_coverage"]]
    after = [None if v != v else float(v) * 100 for v in s["coverage"]]
    target = plan.scenario.coverage_target * 100
    chart = bar_pairs(
        [str(v) for v in s["street"]],
        before,
        after,
        ([fmt_pct(v) for v in s["baseline_coverage"]], [fmt_pct(v) for v in s["coverage"]]),
        top=100.0,
        names=(t("out.today", lang), t("out.plan", lang)),
        marker=target,
        marker_label=t("rep.target", lang, target=fmt_pct(plan.scenario.coverage_target)),
    )
    return _section(t("rep.streets", lang), f"<figure>{chart}</figure>")


def _levels(plan: Plan, lang: Lang, staff: int) -> str:
    lv = level_summary(plan)
    labels = [level_text(v, lang) for v in lv["level"]]
    heads = [header(c, lang) for c in ("level", "centers", "staff0", "staff")]
    heads += [header(c, lang) for c in ("funds0_cny", "funds_cny")]
    rows = [
        [
            labels[i],
            _num(r.centers),
            _num(r.staff0, staff),
            _num(r.staff, staff),
            _num(r.funds0_cny),
            _num(r.funds_cny),
        ]
        for i, r in enumerate(lv.itertuples(index=False))
    ]
    names = (t("out.today", lang), t("out.plan", lang))
    s0, s1 = lv["staff0"].tolist(), lv["staff"].tolist()
    f0 = (lv["funds0_cny"] / 10_000).tolist()
    f1 = (lv["funds_cny"] / 10_000).tolist()
    staff_chart = column_pairs(
        labels,
        s0,
        s1,
        ([_num(v, staff) for v in s0], [_num(v, staff) for v in s1]),
        title=t("out.kpi.staff_used", lang),
        names=names,
    )
    funds_chart = column_pairs(
        labels,
        f0,
        f1,
        ([_num(v, 1) for v in f0], [_num(v, 1) for v in f1]),
        title=t("rep.funds_10k", lang),
        names=names,
    )
    table = _table(heads, rows, "snnnnn")
    charts = f'<div class="pair keep">{staff_chart}{funds_chart}</div>'
    return _section(t("rep.levels", lang), table, charts)


def _map(plan: Plan, dataset: Dataset, lang: Lang) -> str:
    values = pd.Series(
        plan.grids["coverage"].to_numpy(float), index=plan.grids["grid_id"].astype(str)
    )
    lg = legend(values, "plan_coverage", lang)
    inner = np.asarray(lg.bins[1:-1], dtype=float)
    arr = values.to_numpy(float)
    idx = np.clip(np.searchsorted(inner, arr, side="right"), 0, len(lg.colors) - 1)
    colors = [
        lg.colors[i] if np.isfinite(v) else lg.no_data_color for i, v in zip(idx, arr, strict=True)
    ]
    outline = dataset.outline.geometry if dataset.outline is not None else None
    drawing = polygons_svg(dataset.grids.geometry, colors, outline=outline)
    keys = "".join(
        f'<span><i style="background:{_e(c)}"></i>{_e(label)}</span>'
        for c, label in (*zip(lg.colors, lg.labels, strict=False), (lg.no_data_color, lg.no_data))
    )
    caption = f'<figcaption class="legend"><b>{_e(lg.title)}</b>{_colon(lang)}{keys}</figcaption>'
    return _section(t("rep.map", lang), f"<figure>{drawing}{caption}</figure>")


def _changed(plan: Plan, lang: Lang, staff: int) -> str:
    top = changed_most(plan, CHANGED_CENTERS)
    title = t("rep.changed", lang, n=CHANGED_CENTERS)
    if top.empty:
        return _section(title, f"<p>{_e(t('rep.no_changes', lang))}</p>")
    cols = ("center_id", "name", "level")
    rows = [
        [
            str(r["center_id"]),
            str(r["name"]),
            level_text(r["level"], lang),
            _num(r["staff0"], staff),
            _num(r["staff"], staff),
            _num(r["staff_change"], staff, signed=True),
            _num(r["funds0_cny"]),
            _num(r["funds_cny"]),
            _num(r["funds_change"], signed=True),
        ]
        for _, r in top.iterrows()
    ]
    heads = [header(c, lang) for c in cols[:3]]
    heads += [t("out.today", lang), t("out.plan", lang), t("out.change", lang)] * 2
    groups = [("", 3), (t("out.kpi.staff_used", lang), 3), (t("out.kpi.funds_used_cny", lang), 3)]
    return _section(title, _table(heads, rows, "stsnnnnnn", groups=groups))


def _causes(plan: Plan, dataset: Dataset | None) -> Mapping[str, str] | None:
    if dataset is None or not same_layout(plan, dataset):
        return None
    return {d.grid_id: d.cause.value for d in diagnose(dataset, plan)}


def _below(plan: Plan, causes: Mapping[str, str] | None, lang: Lang) -> str:
    target = fmt_pct(plan.scenario.coverage_target)
    title = t("rep.below", lang)
    low = lowest_grids(plan, LOWEST_GRIDS)
    if low.empty:
        return _section(title, f"<p>{_e(t('rep.below_none', lang, target=target))}</p>")
    n = plan.kpis.grids_below_target if plan.kpis is not None else len(low)
    parts = [f"<p>{_e(t('rep.below_count', lang, n=n, target=target))}</p>"]
    if causes is not None:
        counts = pd.Series(list(causes.values()), dtype=object).value_counts()
        rows = [[t(_CAUSE_KEYS[c.value], lang), _num(counts.get(c.value, 0))] for c in CAUSES]
        parts.append(_table([header("cause", lang), header("grids", lang)], rows, "tn", "keep"))
    heads = [header(c, lang) for c in ("grid_id", "name", "street", "baseline_coverage")]
    heads.append(header("coverage", lang))
    rows = []
    for _, r in low.iterrows():
        row = [
            str(r["grid_id"]),
            str(r["name"]),
            str(r["street"]),
            fmt_pct(r["baseline_coverage"]),
            fmt_pct(r["coverage"]),
        ]
        if causes is not None:
            cause = causes.get(str(r["grid_id"]))
            row.append(t(_CAUSE_KEYS[cause], lang) if cause in _CAUSE_KEYS else "—")
        rows.append(row)
    if causes is not None:
        heads.append(header("cause", lang))
    parts.append(f"<h3>{_e(t('rep.lowest', lang, n=len(low)))}</h3>")
    parts.append(_table(heads, rows, "sttnnt"[: len(heads)]))
    return _section(title, *parts)


def report_html(
    plan: Plan,
    dataset: Dataset | None = None,
    lang: Lang = "zh",
    *,
    baseline: Plan | None = None,
    causes: Mapping[str, str] | None = None,
    today_kpis: Kpis | None = None,
    now: datetime | None = None,
) -> str:
    """The printable report of ``plan`` as one HTML page (A4, no outside assets).

    Parameters
    ----------
    plan : Plan
        Any plan; one that is not optimal gets its settings and the reasons.
    dataset : Dataset, optional
        The district the plan was solved on: adds the street chart, the map
        and the causes of grids below target. A dataset with other centers or
        grids is left out (a note says so).
    lang : {"zh", "en"}
        Language of the page.
    baseline : Plan, optional
        Today's plan, for the KPIs today (else read from the plan's columns of today).
    causes : Mapping[str, str], optional
        Cause code per grid below target (as in ``summary.json``'s
        ``below_target``); computed from ``dataset`` when absent.
    today_kpis : Kpis, optional
        Today's KPIs as kept in ``summary.json`` (``kpis_today``); they take
        precedence over ``baseline`` and the plan's columns of today.
    now : datetime, optional
        The time shown as generated (default: now, Beijing time).
    """
    stamp = (now or beijing_now()).strftime("%Y-%m-%d %H:%M")
    title = t("rep.title", lang, name=plan.scenario.name)
    colon = _colon(lang)
    meta = [
        f"{t('out.generated', lang)}{colon}{stamp}",
        f"{t('out.status', lang)}{colon}{plan_status(plan, lang)}",
    ]
    if dataset is not None:
        meta.insert(0, f"{t('out.dataset', lang)}{colon}{dataset_title(dataset, lang)}")
    parts = [
        f"<header><h1>{_e(title)}</h1><p class=meta>{_e(' · '.join(meta))}</p>",
        f"<p class='hint screen'>{_e(t('rep.print_hint', lang))}</p></header>",
        _settings(plan, lang),
    ]
    if plan.has_values and plan.kpis is not None:
        staff = staff_digits(plan)
        matches = dataset is not None and same_layout(plan, dataset)
        before = today_kpis if today_kpis is not None else today(plan, baseline)
        parts.append(_kpis(plan, before, lang, staff))
        if dataset is not None and matches:
            parts.append(_streets(plan, dataset, lang))
        parts.append(_levels(plan, lang, staff))
        if dataset is not None and matches:
            parts.append(_map(plan, dataset, lang))
        elif dataset is not None:
            parts.append(f"<p>{_e(t('rep.other_dataset', lang))}</p>")
        parts.append(_changed(plan, lang, staff))
        found = causes if causes is not None else _causes(plan, dataset)
        parts.append(_below(plan, found, lang))
        parts.append(_section(t("out.marginal", lang), _sentences(explain_marginal(plan, lang))))
    else:
        parts.append(_section(t("out.why_not", lang), _sentences(plan_notes(plan, lang))))
    parts.append(f"<footer>{_e(t('rep.footer', lang))}</footer>")
    page_lang = "en" if lang == "en" else "zh-CN"
    return (
        f'<!DOCTYPE html><html lang="{page_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>"
    )
