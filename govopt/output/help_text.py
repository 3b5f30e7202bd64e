"""One line explaining each number the planner sees: indicators, KPIs, objectives, inputs.

The sentences live in :mod:`govopt.i18n` under ``help.<field>``; this module maps
a field (an indicator id, a KPI name, a form field) to its sentence.
"""

from __future__ import annotations

from govopt.i18n import Lang, t

__all__ = ["FORM_FIELDS", "HELP_KEYS", "help_text"]

HELP_KEYS: dict[str, str] = {
    # map indicators (ids of govopt.analysis.indicators)
    "staff_per_10k": "help.staff_per_10k",
    "wisn_today": "help.wisn_today",
    "wisn_plan": "help.wisn_plan",
    "demand_per_1k": "help.demand_per_1k",
    "orders_per_1k": "help.orders_per_1k",
    "orders_per_1k:": "help.orders_per_1k_category",
    "dist_street": "help.dist_street",
    "dist_community": "help.dist_community",
    "dist_grid": "help.dist_grid",
    "unreachable": "help.unreachable",
    "satisfaction": "help.satisfaction",
    "party_per_1k": "help.party_per_1k",
    "key_families_per_1k": "help.key_families_per_1k",
    "party_60plus_share": "help.party_60plus_share",
    "baseline_coverage": "help.baseline_coverage",
    "plan_coverage": "help.plan_coverage",
    "coverage_change": "help.coverage_change",
    # plan KPIs (fields of govopt.plan.Kpis)
    "coverage": "help.coverage",
    "min_coverage": "help.min_coverage",
    "grids_below_target": "help.grids_below_target",
    "unreachable_grids": "help.unreachable_grids",
    "staff_used": "help.staff_used",
    "funds_used_cny": "help.funds_used_cny",
    "staff_transfers": "help.staff_transfers",
    "coverage_gini": "help.coverage_gini",
    "demand_hours": "help.demand_hours",
    "served_hours": "help.served_hours",
    "centers_changed": "help.centers_changed",
    "moved_staff": "help.moved_staff",
    "moved_funds_cny": "help.moved_funds_cny",
    # district figures (overview)
    "grids": "help.grids",
    "streets": "help.streets",
    "residents": "help.residents",
    "elderly_share": "help.elderly_share",
    "orders_per_1000": "help.orders_per_1000",
    "work_orders": "help.work_orders",
    "centers": "help.centers",
    "staff": "help.staff",
    "funds": "help.funds",
    "orgs": "help.orgs",
    # the what-if form: name, objectives, budgets, norms, standards
    "name": "help.name",
    "objective": "help.objective",
    "objective_coverage": "help.objective_coverage",
    "objective_equity": "help.objective_equity",
    "objective_cost": "help.objective_cost",
    "staff_total": "help.staff_total",
    "funds_total": "help.funds_total",
    "max_transfers": "help.max_transfers",
    "max_funds_moved": "help.max_funds_moved",
    "min_funds": "help.min_funds",
    "radius": "help.radius",
    "min_staff": "help.min_staff",
    "coverage_target": "help.coverage_target",
    "integer_staff": "help.integer_staff",
    "work_hours": "help.work_hours",
    "cost_per_hour": "help.cost_per_hour",
    "wage": "help.wage",
    "time_limit": "help.time_limit",
}

# Form field -> the widget keys of ``scenario_form`` it explains.
FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("sf_name",),
    "objective": ("sf_objective",),
    "staff_total": ("sf_staff_total",),
    "funds_total": ("sf_funds_total",),
    "max_transfers": ("sf_max_transfers",),
    "max_funds_moved": ("sf_max_funds_moved",),
    "radius": ("sf_radius_street", "sf_radius_community", "sf_radius_grid"),
    "min_staff": ("sf_min_staff_street", "sf_min_staff_community", "sf_min_staff_grid"),
    "min_funds": ("sf_min_funds_street", "sf_min_funds_community", "sf_min_funds_grid"),
    "coverage_target": ("sf_coverage_target",),
    "integer_staff": ("sf_int",),
    "work_hours": ("sf_hours",),
    "cost_per_hour": ("sf_cost",),
    "wage": ("sf_wage",),
    "time_limit": ("sf_time_limit",),
}


def help_text(field: str, lang: Lang) -> str | None:
    """The one-line explanation of ``field`` in ``lang``, or ``None`` when there is none.

    ``field`` is an indicator id (``orders_per_1k:<category>`` too), a KPI name,
    a district figure or a form field (see :data:`HELP_KEYS`).
    """
    key = HELP_KEYS.get(field)
    if key is None and field.startswith("orders_per_1k:"):
        key = HELP_KEYS["orders_per_1k:"]
    return None if key is None else t(key, lang)
