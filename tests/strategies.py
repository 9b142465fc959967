"""Hypothesis strategies shared by the property tests (one module, as Axelrod keeps them)."""

from __future__ import annotations

from hypothesis import strategies as st

from sim.loading import apply_overrides, read_merged, validate
from sim.scenario import BUDGET_LINES, MatchingScope, Scenario, ServiceMode, SpreadRule

from .conftest import BASELINE

SPLIT_LINES = BUDGET_LINES


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Scenario, int]:
    """Small random valid scenarios: one or two communities, any lever settings."""
    raw = draw(st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5).filter(lambda xs: sum(xs) > 0.01))
    shares = [x / sum(raw) for x in raw]
    shares[-1] = max(0.0, 1.0 - sum(shares[:-1]))
    elderly = draw(st.floats(0.0, 0.6))
    overrides = {
        "days": draw(st.integers(1, 60)),
        "communities.baseline.residents": draw(st.integers(1, 600)),
        "communities.baseline.volunteers": draw(st.integers(0, 60)),
        "communities.baseline.compounds": draw(st.integers(1, 12)),
        "communities.baseline.share_elderly": elderly,
        "communities.baseline.share_children": draw(st.floats(0.0, 1.0 - elderly)),
        "communities.baseline.share_hardship": draw(st.floats(0.0, 0.3)),
        "communities.baseline.vulnerable_clustering": draw(st.floats(0.0, 1.0)),
        "budget.total_yuan": draw(st.floats(0.0, 2e6)),
        "budget.spread_rule": draw(st.sampled_from([rule.value for rule in SpreadRule])),
        **{f"budget.split_{line}": share for line, share in zip(SPLIT_LINES, shares)},
        "linkage.online_reporting": draw(st.booleans()),
        "linkage.matching_scope": draw(st.sampled_from([scope.value for scope in MatchingScope])),
        "linkage.service_mode": draw(st.sampled_from([mode.value for mode in ServiceMode])),
        "linkage.points_enabled": draw(st.booleans()),
        "linkage.fund_matching_ratio": draw(st.floats(0.0, 3.0)),
        "linkage.deliberation": draw(st.booleans()),
        "linkage.discovery.patrol_share": draw(st.floats(0.0, 1.0)),
        "linkage.discovery.visit_interval_days": draw(st.integers(0, 40)),
        "linkage.discovery.meeting_interval_days": draw(st.integers(0, 40)),
        "volunteers.quit_rate_per_year": draw(st.floats(0.0, 0.9)),
    }
    extra = {}
    if draw(st.booleans()):
        extra["second"] = {"residents": draw(st.integers(1, 400)), "volunteers": draw(st.integers(0, 20))}
    data = read_merged(BASELINE)
    data["communities"].update(extra)
    return validate(apply_overrides(data, overrides, source="test"), source="test"), draw(st.integers(0, 2**32))
