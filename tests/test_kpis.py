"""The KPI registry: every KPI the model emits has one entry with names in both languages, a unit,
a direction and a smallest important difference."""

from __future__ import annotations

import re

from sim import kpis as registry
from sim.kpi_table import format_difference, format_value, with_unit
from sim.labels import KPI_LABELS, LOWER_IS_BETTER, label
from sim.metrics import kpis

from .conftest import run_model, small


def test_every_kpi_the_model_emits_has_a_registry_entry() -> None:
    emitted = kpis(run_model(small(residents=300, days=5), seed=1))
    missing = [key for key in emitted if key not in registry.KPIS]
    assert not missing, ("sim.metrics.kpis emits KPIs with no entry in sim/kpis.py: "
                         + ", ".join(missing) + " (add one Kpi(...) line each to _ENTRIES)")


def test_every_entry_is_complete_in_both_languages() -> None:
    for key, entry in {**registry.KPIS, **registry.SERIES}.items():
        assert entry.key == key and entry.en and re.search(r"[\u4e00-\u9fff]", entry.zh), key
        assert entry.unit in registry.UNITS, f"{key}: unit {entry.unit!r} is not in sim.kpis.UNITS"
        mid = entry.mid
        assert (mid.share > 0) if isinstance(mid, registry.Relative) else mid > 0, key
        if registry.is_share(key) and not isinstance(mid, registry.Relative):
            assert mid < 0.2, f"{key}: a share's smallest important difference is a fraction (0.01 = 1 point)"


def test_the_old_label_views_read_the_registry() -> None:
    assert KPI_LABELS["coverage"] == ("Coverage", "需求覆盖率", "share")
    assert label("coverage_hardship", "zh") == "困难家庭需求覆盖率" and label("no_such_kpi") == "no_such_kpi"
    assert {"cost_per_need_met_yuan", "mean_days_to_service", "unmet_gini"} <= LOWER_IS_BETTER
    assert set(registry.DECISION_KPIS) <= set(registry.MAIN_KPIS)


def test_numbers_as_a_planner_reads_them() -> None:
    assert format_value("coverage", -0.00001) == "0.0%"  # no negative zero
    assert format_value("volunteers_active", 138.7) == "139"  # counts are integers
    assert with_unit("government_spent_yuan", 502000.0) == "502,000 yuan"
    assert with_unit("needs_met", 1234.6, "zh") == "1,235个需求"
    assert format_difference("coverage", 0.0183) == "+1.8 points"
    assert format_difference("coverage", 0.0183, "zh") == "+1.8 个百分点"
    assert format_difference("cost_per_need_met_yuan", -0.2) == "0 yuan"  # no signed zero
    assert with_unit("mean_days_to_service", 3.21) == "3.2 days"
