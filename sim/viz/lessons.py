"""The numbers docs/classroom.md quotes: each lesson's side-by-side difference table at one day.

    python -m sim.viz.lessons [--day 180] [--lang en|zh]

Runs the same comparisons the lessons ask a class to make (the file's levers against one moved
lever, same seed) and prints the table the app shows on that day. Rerun it after a model change
and update the lessons' figures.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.viz.components import difference_rows
from sim.viz.levers import LeverValue, settings_for
from sim.viz.session import build_session
from sim.viz.strings import t

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
COMPARISONS: tuple[tuple[str, str, dict[str, LeverValue]], ...] = (
    ("1", "baseline.toml", {"representatives": True}),
    ("1", "baseline.toml", {"patrol_share": 0.3}),
    ("2", "baseline.toml", {"online_reporting": True}),
    ("2", "baseline.toml", {"platform_matching": True}),
    ("2", "changsha/base.toml", {"platform_matching": True}),
    ("3", "baseline.toml", {"split_stations": 0.7}),
    ("3", "baseline.toml", {"split_demonstration": 0.7}),
    ("3", "baseline.toml", {"split_purchased_services": 0.3}),
    ("3", "baseline.toml", {"budget_percent": 150.0}),
)


def lesson_table(scenario_file: str, moves: dict[str, LeverValue], day: int, lang: str) -> list[tuple[str, str, str, str]]:
    """The difference table of one comparison on ``day``."""
    settings = settings_for(SCENARIOS, scenario_file)
    for name, value in moves.items():
        settings = settings.with_value(name, value)
    session = build_session(settings, side_by_side=True)
    while session.day < day and session.running:
        session.step()
    return difference_rows(*session.views, lang)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the lessons' side-by-side tables.")
    parser.add_argument("--day", type=int, default=180)
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    args = parser.parse_args(argv)
    for lesson, scenario_file, moves in COMPARISONS:
        moved = ", ".join(f"{t(name, args.lang)} = {value}" for name, value in moves.items())
        print(f"Lesson {lesson}: {scenario_file}, {moved}, day {args.day}")
        for what, left, right, difference in lesson_table(scenario_file, moves, args.day, args.lang):
            print(f"  {what}: {left} | {right} | {difference}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
