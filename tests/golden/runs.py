"""Fixed runs whose every KPI and a digest of every daily series are checked in, exactly.

``make baseline`` (``python -m tests.golden.runs --write``) rewrites ``baseline.json`` on purpose;
the diff shows in review. A refactor must leave the file unchanged bit for bit; a deliberate model
change rewrites it in its own commit that says why and by how much.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from sim.loading import load_scenario
from sim.run import simulate

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("baseline.json")

# (scenario path relative to the repository, seed, days): small enough for the suite, wide enough
# to pass through every phase (discovery levers, list visits, platform, several communities).
RUNS: tuple[tuple[str, int, int], ...] = (
    ("scenarios/baseline.toml", 1, 365),
    ("scenarios/baseline.toml", 2, 365),
    ("scenarios/levers/list_service.toml", 1, 180),
    ("scenarios/levers/representatives.toml", 1, 180),
    ("scenarios/changsha/base.toml", 1, 120),
    ("scenarios/changsha/platform.toml", 1, 120),
)


def digest(values: Any) -> str:
    """A short sha256 of a JSON value, floats written exactly (``repr``)."""
    text = json.dumps(values, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def golden_run(path: str, seed: int, days: int) -> dict[str, Any]:
    """Every KPI, and a digest of each daily series and of the per-community KPIs, of one run."""
    result = simulate(load_scenario(ROOT / path), seed=seed, days=days)
    return {
        "kpis": result.kpis,
        "series": {name: digest(values) for name, values in sorted(result.series.items())},
        "communities": digest(result.communities),
        "unmet_by_cell": digest(result.unmet_by_cell),
    }


def key(path: str, seed: int, days: int) -> str:
    """The run's name in the golden file."""
    return f"{path} seed={seed} days={days}"


def compute() -> dict[str, Any]:
    """The golden record of every fixed run."""
    return {key(*run): golden_run(*run) for run in RUNS}


def write(path: Path = GOLDEN) -> None:
    """Rewrite the golden file (one key per line, so that a review diff names the KPI that moved)."""
    path.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite tests/golden/baseline.json")
    args = parser.parse_args(argv)
    if args.write:
        write()
        print(f"wrote {GOLDEN.relative_to(ROOT)}")
        return 0
    stored = json.loads(GOLDEN.read_text(encoding="utf-8"))
    fresh = compute()
    moved = [f"{run}: {k}" for run in fresh for k in fresh[run]["kpis"] if stored.get(run, {}).get("kpis", {}).get(k) != fresh[run]["kpis"][k]]
    print("\n".join(moved) or "golden baseline unchanged")
    return 1 if moved else 0


if __name__ == "__main__":
    sys.exit(main())
