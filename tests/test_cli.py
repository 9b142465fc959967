"""The command line: outputs, exit codes, and bad input without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main

from .conftest import BASELINE, ROOT

KPI_KEYS = """needs_arisen needs_met needs_unmet needs_pending coverage coverage_elderly coverage_disabled
coverage_children coverage_hardship hidden_needs hidden_discovered mean_days_to_service volunteers_active
volunteer_retention volunteer_hours social_worker_hours organization_hours activities_held person_times_served
charity_raised_yuan government_spent_yuan leverage cost_per_need_met_yuan unmet_gini satisfaction_mean""".split()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_run_json_has_every_kpi_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(BASELINE), "--days", "20", "--json"]) == 0
    kpis = json.loads(capsys.readouterr().out)
    assert set(KPI_KEYS) <= set(kpis)
    assert kpis["needs_arisen"] == kpis["needs_met"] + kpis["needs_unmet"] + kpis["needs_pending"]


def test_run_table_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(BASELINE), "--days", "10", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "seed 3, 10 days" in out and "Hardship coverage" in out
    assert main(["run", str(BASELINE), "--days", "10", "--lang", "zh"]) == 0
    assert "需求覆盖率" in capsys.readouterr().out


def test_validate_good_files_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(BASELINE), *map(str, sorted((ROOT / "scenarios" / "levers").glob("*.toml")))]
    assert main(["validate", *files]) == 0
    assert capsys.readouterr().out.count(": ok") == len(files)


def test_bad_scenario_exits_2_with_field_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[linkage]\nonline_reporting = 'yes'\n[budget]\ntotal_yuan = -1.0\n")
    result = cli("validate", str(BASELINE), str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert sorted(lines) == [
        f"{bad}: budget.total_yuan: Input should be greater than or equal to 0 (got -1.0)",
        f"{bad}: linkage.online_reporting: Input should be a valid boolean (got 'yes')",
    ]
    assert cli("run", str(bad)).returncode == 2


@pytest.mark.parametrize("args", [
    ["run", "scenarios/baseline.toml", "--days", "0"],
    ["run", "scenarios/baseline.toml", "--seed", "-1"],
    ["run", "scenarios/baseline.toml", "--days", "ten"],
    ["run"],
    ["frobnicate"],
    ["run", "scenarios/nope.toml"],
])
def test_bad_arguments_exit_2_in_one_line(args: list[str]) -> None:
    result = cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2  # argparse adds a usage line


def test_internal_errors_exit_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import sim.run

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(sim.run, "simulate", boom)
    assert main(["run", str(BASELINE), "--days", "5"]) == 1
    assert "internal error" in capsys.readouterr().err


def test_help_does_not_import_the_model() -> None:
    code = "import sys; from sim.cli import build_parser; build_parser(); print('mesa' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT).stdout
    assert out.strip() == "False"


def test_set_overrides_are_applied_and_validated(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(BASELINE), "--days", "10", "--json", "--set", "budget.total_yuan=0", "--set", "linkage.matching_scope=platform"]) == 0
    assert json.loads(capsys.readouterr().out)["government_spent_yuan"] == 0.0
    result = cli("run", str(BASELINE), "--set", "budget.totl=1", "--set", "days=0")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "budget.totl: unknown key 'totl'" in result.stderr
    assert cli("run", str(BASELINE), "--set", "nonsense").returncode == 2


def test_languages_resolve_once_into_lang_and_an_unknown_one_exits_2_naming_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    from sim.commands.options import language
    from sim.kpis import Lang

    assert language("zh") is Lang.ZH and Lang.ZH == "zh"
    with pytest.raises(SystemExit) as exit_info:
        main(["run", str(BASELINE), "--lang", "fr"])
    assert exit_info.value.code == 2
    assert "'fr' is not a language (allowed: en, zh)" in capsys.readouterr().err
