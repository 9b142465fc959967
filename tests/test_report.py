"""The comparison report: built from the store alone, self-contained, consistent with summary.csv, in two languages."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.experiment import compare
from sim.report import build_report

from .conftest import ARTIFACTS, BASELINE, ROOT

LEVER = ROOT / "scenarios" / "levers" / "online_reporting.toml"
SMALL = {"communities.baseline.residents": 1000, "communities.baseline.volunteers": 35}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small paired comparison: baseline vs online reporting, 4 replications of 60 days."""
    out = tmp_path_factory.mktemp("compare") / "store"
    return compare([BASELINE, LEVER], replications=4, seed=5, days=60, out_dir=out, executor="serial",
                   overrides=SMALL, progress=False)


@pytest.fixture(scope="module")
def reports(store: Path) -> dict[str, Path]:
    return {lang: build_report(store, lang=lang, baseline=str(BASELINE)) for lang in ("en", "zh")}


def test_report_files_are_written(reports: dict[str, Path]) -> None:
    folder = reports["en"].parent
    assert {p.name for p in folder.iterdir()} >= {"report.html", "report.md", "summary.csv", "figures"}
    assert {p.name for p in (folder / "figures").iterdir()} == {f"{k}.svg" for k in ("forest", "series", "groups", "equity", "map", "money")}
    for svg in (folder / "figures").iterdir():
        assert "<text" in svg.read_text() or "<g id=\"text" in svg.read_text()  # text kept as text


def test_every_svg_has_a_title_and_a_description(reports: dict[str, Path]) -> None:
    for path in reports.values():
        page = path.read_text(encoding="utf-8")
        inline = re.findall(r"<svg\b[^>]*>(.{0,400})", page, re.DOTALL)
        files = [svg.read_text(encoding="utf-8") for svg in (path.parent / "figures").iterdir()]
        assert len(inline) == len(files) == 6
        for svg in [*inline, *(f[f.index("<svg"):] for f in files)]:
            title = re.search(r"<title>([^<]+)</title><desc>([^<]+)</desc>", svg)
            assert title and title.group(1).strip() and title.group(2).strip(), svg[:200]


def test_html_references_no_external_url(reports: dict[str, Path]) -> None:
    for path in reports.values():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//|file:)""", text, re.IGNORECASE)
        assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", text, re.IGNORECASE)
        assert "<link" not in text and "<script" not in text


def test_every_number_in_the_kpi_table_equals_summary_csv(reports: dict[str, Path]) -> None:
    folder = reports["en"].parent
    with (folder / "summary.csv").open() as handle:
        rows = {(r["scenario"], r["kpi"]): r for r in csv.DictReader(handle)}
    html = reports["en"].read_text(encoding="utf-8")
    table = html[html.index('<table id="kpis">'):]
    table = table[: table.index("</table>")]
    options = re.findall(r"<th>([^<]*)</th>", table)[1:]
    assert options == ["Current plan", "Lever: online reporting"]  # the baseline is labelled as the current plan
    ids = {r["option"]: r["scenario"] for r in rows.values()}
    cells = re.findall(r'data-kpi="([^"]+)" data-value="([^"]+)"', table)
    assert len(cells) >= 20 * len(options)
    for index, (kpi, value) in enumerate(cells):
        option = ids[options[index % len(options)]]
        assert float(value) == float(rows[(option, kpi)]["mean"]), (option, kpi)


def test_both_languages_build(reports: dict[str, Path]) -> None:
    en, zh = (reports[k].read_text(encoding="utf-8") for k in ("en", "zh"))
    for heading in ("Summary", "What was compared", "Differences from the current plan", "Appendix: full statistics"):
        assert f"<h2>{heading}</h2>" in en
    for heading in ("摘要", "比较了什么", "与现行方案的差异", "附录：完整统计"):
        assert f"<h2>{heading}</h2>" in zh
    assert "现行方案" in zh and "杠杆：线上报事" in zh  # the current plan, the scenarios' Chinese names
    assert "Linkage: residents can report needs online" in en and "联动机制：居民线上报事" in zh  # what differs, in words
    assert "1,000 residents" in en and "1,000名居民" in zh  # the district in the context section
    verdicts = en[en.index('<table id="verdicts">'):]
    assert re.search(r'<td class="(better|unclear)">(better|unclear): \+\d+\.\d points', verdicts)  # reporting raises coverage


def test_equal_by_design_is_stated_once_and_never_tested(reports: dict[str, Path]) -> None:
    en = reports["en"].read_text(encoding="utf-8")
    summary = en[en.index('id="summary"'):en.index("</div>", en.index('id="summary"'))]
    assert "by design (not tested): " in summary and "government money spent (" in summary
    verdicts = en[en.index('<table id="verdicts">'):]
    verdicts = verdicts[:verdicts.index("</table>")]
    assert "Government money spent" not in verdicts and "<td>Coverage</td>" in verdicts  # one equal by design, one tested
    appendix = en[en.index('<table id="appendix"'):]
    row = re.search(r"<tr><td>[^<]*</td><td>Government money spent</td>(.*?)</tr>", appendix).group(1)
    assert "the same in every run" in row and row.count("<td>-</td>") >= 4  # no p-values for it


RAW_KEY = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[a-z_]+\.[a-z_]+\b")
ENUM_VALUES = {"per_capita", "need_weighted", "equal", "performance", "community", "platform", "order", "list", "mixed",
               "canteen", "day_care", "classes", "market", "true", "false", "better", "worse", "unclear", "equivalent"}


def visible_text(page: str) -> str:
    """What a reader sees: tags, styles and the provenance block (paths, hashes) removed."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.DOTALL)
    page = page[:page.rindex("<h2>")]  # the metadata block names files and hashes
    return re.sub(r"<[^>]+>", " ", page)


def test_the_chinese_report_shows_no_raw_key_or_enum_value(reports: dict[str, Path]) -> None:
    text = visible_text(reports["zh"].read_text(encoding="utf-8"))
    assert not RAW_KEY.findall(text), RAW_KEY.findall(text)[:10]
    words = set(re.findall(r"[A-Za-z_]+", text))
    assert not words & ENUM_VALUES, words & ENUM_VALUES
    csv_header = (reports["zh"].parent / "summary.csv").read_text(encoding="utf-8").splitlines()[0]
    assert not re.search(r"[A-Za-z]", csv_header.replace("p值", "").replace("校正后p值", "").replace("等效检验p值", ""))


def test_markdown_mirrors_the_report(reports: dict[str, Path]) -> None:
    markdown = (reports["en"].parent / "report.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Comparison of community-service options")
    assert "![" in markdown and "figures/map.svg" in markdown


def test_report_never_reruns_the_model(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sim.model
    import sim.run

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the report ran the model")

    monkeypatch.setattr(sim.run, "simulate", forbidden)
    monkeypatch.setattr(sim.model.FiveSocietyModel, "__init__", forbidden)
    assert build_report(store, lang="en", out_dir=tmp_path / "again").is_file()


def test_report_command_and_its_errors(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(store), "--lang", "en", "--out", str(tmp_path / "r"), "--kpi", "coverage_elderly"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "r" / "report.html")
    summary = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "on elderly coverage" in summary or "(elderly coverage" in summary or "elderly coverage +" in summary
    for argv, message in ((["report", str(tmp_path / "nowhere")], "not a folder"),
                          (["report", str(tmp_path)], "no result store here"),
                          (["report", str(store), "--kpi", "happiness"], "--kpi: happiness is not a stored KPI"),
                          (["report", str(store), "--mid", "happiness=1"], "happiness is not a KPI"),
                          (["report", str(store), "--mid", "coverage=much"], "is not a number"),
                          (["report", str(store), "--baseline", "other.toml"], "--baseline: other.toml is not one of")):
        result = subprocess.run([sys.executable, "-m", "sim", *argv], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.browser
def test_report_renders_in_a_browser(reports: dict[str, Path], browser) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    for lang, path in reports.items():
        page.goto(path.as_uri())
        headings = page.locator("h2").all_inner_texts()
        expected = {"en": "Summary", "zh": "摘要"}[lang]
        assert len(headings) == 7 and headings[0] == expected, headings
        broken = page.evaluate("""() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length
                                   + [...document.querySelectorAll('figure svg')].filter(s => s.getBoundingClientRect().width < 50).length""")
        assert broken == 0
        assert page.locator("figure svg").count() == 6
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"report-{lang}.png"), full_page=True)
    page.close()


def test_a_sweep_reports_each_point_as_an_option(tmp_path: Path) -> None:
    from sim.experiment import Experiment, run_experiment

    points = [{"linkage.discovery.patrol_share": share} for share in (0.0, 0.6)]
    spec = Experiment([BASELINE], replications=3, seed=2, days=40, overrides=SMALL, points=points, name="sweep")
    out = run_experiment(spec, tmp_path / "sweep", executor="serial", progress=False).out_dir
    html = build_report(out, lang="en").read_text(encoding="utf-8")
    assert "<th>Current plan</th>" in html and "Baseline community #1" in html
    assert "Active discovery: share of volunteers on patrol" in html  # what differs between the two points
    rows = list(csv.DictReader((out / "report-en" / "summary.csv").open()))
    assert {r["scenario"] for r in rows} == {"Baseline community #0", "Baseline community #1"}
    assert all(r["n"] == "3" for r in rows)  # replications of one point, never pooled across points


def test_mid_overrides_the_smallest_important_difference(store: Path, tmp_path: Path) -> None:
    from sim.kpis import Relative

    wide = build_report(store, lang="en", out_dir=tmp_path / "wide", mids={"coverage": 0.5}).read_text(encoding="utf-8")
    verdicts = wide[wide.index('<table id="verdicts">'):]
    assert "<td>Coverage</td><td>±50.0 points</td><td class=\"equivalent\">" in verdicts
    relative = build_report(store, lang="en", out_dir=tmp_path / "rel", mids={"volunteer_hours": Relative(0.5)})
    assert "Volunteer hours</td><td>±" in relative.read_text(encoding="utf-8")


def test_a_partial_store_is_said_first_in_both_languages(store: Path, tmp_path: Path) -> None:
    """A store missing one run of one option says how many of how many, option by option, before any finding."""
    import shutil
    import sqlite3

    partial = tmp_path / "partial"
    shutil.copytree(store, partial, ignore=shutil.ignore_patterns("report-*"))
    with sqlite3.connect(partial / "store.sqlite") as conn:
        name = conn.execute("SELECT scenario FROM runs WHERE scenario LIKE '%online%' LIMIT 1").fetchone()[0]
        conn.execute("DELETE FROM runs WHERE scenario = ? AND replication = 3", (name,))
    en = build_report(partial, lang="en", baseline=str(BASELINE)).read_text(encoding="utf-8")
    zh = build_report(partial, lang="zh", baseline=str(BASELINE)).read_text(encoding="utf-8")
    first_en = en.index("Partial results: 7 of 8 planned runs are stored")
    assert "3 of 4" in en[first_en:first_en + 400] and "4 of 4" in en[first_en:first_en + 400]
    assert first_en < en.index('id="summary"') + 200
    assert "结果不完整：计划 8 次运行，已存 7 次" in zh
    assert "Partial results" not in build_report(store, lang="en", baseline=str(BASELINE), out_dir=tmp_path / "full").read_text(encoding="utf-8")


def _many_communities(tmp_path: Path, count: int) -> list[Path]:
    """A city-like scenario of ``count`` small communities in streets of 10, and a variant with another split."""
    lines = ['name = "Many communities"', 'name_zh = "多社区"', "seed = 3", "days = 40", ""]
    for i in range(count):
        lines += [f"[communities.c{i}]", f'street = "s{i // 10}"', f"residents = {300 + 20 * i}", "volunteers = 6",
                  f"share_elderly = {0.1 + 0.005 * i:.3f}", f"has_station = {'true' if i % 10 == 0 else 'false'}", ""]
    lines += ["[budget]", f"total_yuan = {4.8 * sum(300 + 20 * i for i in range(count)):.0f}"]
    base = tmp_path / "many.toml"
    base.write_text("\n".join(lines), encoding="utf-8")
    variant = tmp_path / "many_stations.toml"
    variant.write_text('extends = "many.toml"\nname = "Stations heavy"\nname_zh = "侧重社工站"\n[budget]\nsplit_stations = 0.70\n'
                       "split_demonstration = 0.20\nsplit_hub_awards = 0.04\nsplit_purchased_services = 0.04\nsplit_fund_seed = 0.02\n",
                       encoding="utf-8")
    return [base, variant]


def test_a_city_of_many_communities_is_shown_as_spreads(tmp_path: Path) -> None:
    base, variant = _many_communities(tmp_path, 36)
    out = compare([base, variant], replications=2, seed=1, out_dir=tmp_path / "store", executor="serial", progress=False)
    for lang, spread, ecdf in (("en", "Across the 36 communities", "at or below"), ("zh", "36个社区的分布", "不高于")):
        page = build_report(out, lang=lang, baseline=str(base)).read_text(encoding="utf-8")
        district = page[page.index('<table id="district">'):]
        district = district[: district.index("</table>")]
        assert spread in district and district.count("<tr>") == 6  # header + residents + four shares, not 36 rows
        assert ("<h3>The city</h3>" if lang == "en" else "<h3>全市</h3>") in page
        assert ecdf in page
        svg = (out / f"report-{lang}" / "figures" / "map.svg").read_text(encoding="utf-8")
        assert "c17" not in svg and "C17" not in svg  # no community names on a city's map


def test_a_reduced_city_report_keeps_its_communities_in_the_model_order(tmp_path: Path) -> None:
    from sim.city import city_scenario
    from sim.experiment.results import load_scenarios
    from sim.report.build import _blocks
    from sim.report.context import in_model_order

    city = ROOT / "scenarios" / "changsha" / "city.toml"
    small = {"city.communities": 32, "city.residents_per_community": 200}
    out = compare([city], replications=1, seed=1, days=5, out_dir=tmp_path / "store", executor="serial", overrides=small, progress=False)
    first = load_scenarios(out).iloc[0]
    ordered = in_model_order(first["resolved"], first["source_path"])
    generated = list(city_scenario(communities=32, residents_per_community=200).communities)
    assert ordered is not None and list(ordered["communities"]) == generated != sorted(generated)
    assert len(_blocks(ordered, {})) == 32
    text = visible_text(build_report(out, lang="zh").read_text(encoding="utf-8"))
    assert not RAW_KEY.findall(text), RAW_KEY.findall(text)[:10]
    assert not re.findall(r"city|cell size|residents share|street kind", text)  # the city's keys in words


def test_a_shared_size_suffix_is_dropped_and_shipped_names_find_their_file() -> None:
    from sim.report.build import _drop_shared_suffix
    from sim.report.context import source_file

    en = {"a": "Changsha city (12 communities, 18,000 residents)", "b": "Stations-heavy split (12 communities, 18,000 residents)"}
    assert _drop_shared_suffix(en) == {"a": "Changsha city", "b": "Stations-heavy split"}
    zh = {"a": "长沙市（12个社区和村，18,000人）", "b": "侧重社工站（12个社区和村，18,000人）"}
    assert _drop_shared_suffix(zh) == {"a": "长沙市", "b": "侧重社工站"}
    assert _drop_shared_suffix({"a": "X (1)", "b": "Y (2)"}) == {"a": "X (1)", "b": "Y (2)"}
    found = source_file("changsha/city")
    assert found is not None and found.resolve() == (ROOT / "scenarios" / "changsha" / "city.toml").resolve()
    assert source_file("changsha/no_such_place") is None and source_file(None) is None
