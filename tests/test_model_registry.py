"""The objective and constraint-family registries agree with each other and with the model."""

from __future__ import annotations

import pulp
import pytest
from model_cases import C, G, O, make_case, scenario

from govopt.data.scenario import Objective
from govopt.data.schema import LevelValues
from govopt.optimize import AllocationModel
from govopt.optimize.families import DEFINE, Family, Role, Rows
from govopt.optimize.inputs import model_inputs
from govopt.optimize.objectives import OBJECTIVE_SPECS

CASE = make_case(
    [G(0, 0, 2000, priority=1.5), G(1000, 0, 2000)], [C(0, 0, staff=1)], [O(0, 0, 100)]
)


def _model(objective: Objective, **kw: bool) -> AllocationModel:
    sc = scenario(
        objective=objective,
        staff_total=2,
        max_transfers=1,
        min_staff=LevelValues(1, 0, 0),
    )
    return AllocationModel(model_inputs(CASE, sc), sc, **kw)


def test_every_objective_has_a_spec_that_agrees_with_it() -> None:
    assert set(OBJECTIVE_SPECS) == set(Objective)
    for objective, spec in OBJECTIVE_SPECS.items():
        assert (spec.second_step is not None) == objective.lexicographic, objective
        assert all(f.role is Role.OBJECTIVE for f in spec.families), objective
    claimed = {f for spec in OBJECTIVE_SPECS.values() for f in spec.families}
    assert claimed == {f for f in Family if f.role is Role.OBJECTIVE}


def test_every_family_has_a_builder_that_states_its_formula() -> None:
    assert list(DEFINE) == list(Family)
    for family, define in DEFINE.items():
        assert define.__doc__ is not None and f"{family}" in define.__doc__, family


@pytest.mark.parametrize("objective", list(Objective))
def test_rows_are_named_by_family_and_objective_rows_only_under_their_objective(
    objective: Objective,
) -> None:
    model = _model(objective)
    own = set(OBJECTIVE_SPECS[objective].families)
    assert {f for f in model.rows if f.role is Role.OBJECTIVE} == own
    for family, rows in model.rows.items():
        assert [r.name for r in rows] == [f"{family.value}_{i}" for i in range(len(rows))]
    assert model.prob.sense == (pulp.LpMinimize if objective.sense == "min" else pulp.LpMaximize)


def test_baseline_has_no_policy_rows_and_the_coverage_objective() -> None:
    model = _model(Objective.COST, baseline=True)
    assert set(model.rows) == {
        Family.SUPPLY,
        Family.ORG_HOURS,
        Family.GRID_DEMAND,
        Family.CATEGORY_DEMAND,
    }
    assert model.objective is Objective.COVERAGE
    assert model.prob.sense == pulp.LpMaximize


@pytest.mark.parametrize("objective", list(Objective))
def test_elastic_model_relaxes_exactly_the_weighted_families(objective: Objective) -> None:
    model = _model(objective, elastic=True)
    weighted = {f for f in model.rows if f.weight is not None}
    assert weighted and set(model.slack_vars) == weighted
    for family, slacks in model.slack_vars.items():
        assert len(slacks) == len(model.rows[family])
        # Each row holds its own slack, on the side that loosens it.
        for row, v in zip(model.rows[family], slacks, strict=True):
            assert row[v] == float(row.sense)
    penalty = dict(model.prob.objective.items())
    assert all(penalty[v] == f.weight for f, vs in model.slack_vars.items() for v in vs)
    assert model.prob.sense == pulp.LpMinimize


def test_adding_a_family_twice_is_an_error() -> None:
    model = _model(Objective.COVERAGE)
    again = Rows([pulp.LpAffineExpression([(model.staff[0], 1.0)])], pulp.LpConstraintLE, [1.0])
    with pytest.raises(ValueError, match="'max_staff' is already in the model"):
        model.add_rows(Family.MAX_STAFF, again)
    assert len(model.rows[Family.MAX_STAFF]) == 1
