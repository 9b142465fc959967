"""``sim describe``: what a file generates, in English and Chinese, numbers that add up."""

from __future__ import annotations

import csv
import io
import re

import pytest

from sim.cli import main

from .conftest import ROOT

CITY = str(ROOT / "scenarios" / "changsha" / "city.toml")
DISTRICT = str(ROOT / "scenarios" / "changsha" / "district.toml")
REDUCED = ["--set", "city.communities=25", "--set", "city.residents_per_community=10000"]


def _csv(capsys: pytest.CaptureFixture[str], *args: str) -> list[list[str]]:
    assert main(["describe", *args, "--format", "csv"]) == 0
    return list(csv.reader(io.StringIO(capsys.readouterr().out)))


def test_full_city_rows_add_up_to_the_sourced_budget(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _csv(capsys, CITY)
    header, streets, total = rows[0], rows[1:-1], rows[-1]
    assert header[:5] == ["District", "Street", "Communities", "Residents", "Stations"]
    assert len(streets) == 189
    assert total[2:5] == ["1884", "10420600", "189"]
    lines = [float(x) for x in total[5:10]]
    assert lines == pytest.approx([22e6, 23e6, 2e6, 2e6, 1e6])  # source: seed, Changsha split of 50 M
    assert float(total[10]) == pytest.approx(50e6)
    for column in range(2, 11):
        assert sum(float(r[column]) for r in streets) == pytest.approx(float(total[column]), abs=1.0)
    assert all(r[4] == "1" for r in streets)  # one station per street


def test_text_in_english_and_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", CITY, *REDUCED]) == 0
    english = capsys.readouterr().out
    assert "Communities" in english and "250,000" in english and "1,199,547" in english  # 250,000 x 4.80 yuan
    assert "the streets and the budget follow the generated size" in english
    assert main(["describe", CITY, *REDUCED, "--lang", "zh"]) == 0
    chinese = capsys.readouterr().out
    assert "常住人口" in chinese and "合计" in chinese and "社工站建设" in chinese and "按人口分配" in chinese
    assert "岳麓区" in chinese and "250,000" in chinese
    body = chinese.split("\n", 1)[1]  # the first line names the file
    assert not re.search(r"[a-z]{3,}", body.replace("GB", "")), "no raw keys or English words in Chinese"


def test_an_ordinary_scenario_is_described(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _csv(capsys, DISTRICT)
    assert rows[-1][2:5] == ["5", "20000", "1"]
    assert float(rows[-1][10]) == pytest.approx(96_000)


def test_bad_input_is_one_line_per_problem_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["describe", CITY, "--set", "city.scale=-1", "--set", "city.types.village.share_hardship=2"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all("Traceback" not in line for line in lines)
    assert any("city.scale" in line for line in lines) and any("city.types.village.share_hardship" in line for line in lines)
    assert main(["describe", "no/such/file.toml"]) == 2
    assert "file not found" in capsys.readouterr().err
