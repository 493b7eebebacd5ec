"""The lifecycle declaration itself: every step leads to a declared state, and the engine refuses
what the declaration does not allow."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sunshine.core.auth import Principal
from sunshine.core.errors import Forbidden
from sunshine.identity.roles import Role
from sunshine.trading import lifecycle

CENTRE = Principal(user_id=1, roles=frozenset({Role.CENTRE_STAFF}))
AGENCY = Principal(user_id=2, roles=frozenset({Role.AGENCY}))


def _project(state: str, lifecycle_name: str = "tender"):
    return SimpleNamespace(state=state, lifecycle=lifecycle_name, state_before_suspension=None)


def test_every_step_leads_to_a_declared_state():
    for step in lifecycle.STEPS.values():
        assert step.target in lifecycle.STATES or step.target in (lifecycle.SAME, lifecycle.PREVIOUS), step.name
        if step.sources != lifecycle.ANY_ACTIVE:
            assert step.sources <= set(lifecycle.STATES) | {"new"}, step.name
        assert step.roles, step.name
        assert step.rule, f"{step.name} must say which rule allows it"
        assert step.lifecycles <= set(lifecycle.LIFECYCLES)


def test_every_state_has_a_chinese_label_in_every_lifecycle():
    for name in lifecycle.LIFECYCLES:
        for state in lifecycle.STATES:
            label = lifecycle.state_label(name, state)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in label), (name, state)
    assert lifecycle.state_label("listing", "bid_closed") == "挂牌截止"
    assert lifecycle.state_label("tender", "bid_closed") == "投标截止"


def test_final_states_have_no_way_out():
    for state in lifecycle.FINAL_STATES:
        assert lifecycle.available_steps(_project(state)) == [], state


def test_illegal_step_names_the_rule():
    with pytest.raises(lifecycle.IllegalStep) as caught:
        lifecycle.check(_project("registered"), "publish_notice", AGENCY)
    assert caught.value.status == 409
    assert "项目受理后方可发布公告" in caught.value.detail
    assert caught.value.extra["rule"]


def test_wrong_role_is_forbidden():
    with pytest.raises(Forbidden) as caught:
        lifecycle.check(_project("registered"), "accept", AGENCY)
    assert "交易中心" in caught.value.detail


def test_unknown_step_is_refused():
    with pytest.raises(lifecycle.IllegalStep):
        lifecycle.check(_project("accepted"), "teleport", CENTRE)


def test_suspension_is_possible_from_every_active_state_and_only_there():
    for state in lifecycle.STATES:
        allowed = lifecycle.STEPS["suspend"].allowed_from(state)
        assert allowed == (state in lifecycle.ACTIVE_STATES), state
