"""Reading a result store back as pandas tables (reports read these; they never re-run the model).

pandas is imported here only, so ``import sim`` stays light.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.errors import ScenarioError
from sim.experiment.store import store_path

if TYPE_CHECKING:
    import pandas as pd

RUN_COLUMNS = ["run_id", "scenario", "point", "replication", "seed", "days", "status", "scenario_hash",
               "model_version", "elapsed_s", "finished_at", "error"]
ORDER = ["scenario", "point", "replication"]


@contextmanager
def _connect(directory: str | Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection (safe while a sweep is still writing, thanks to WAL)."""
    path = store_path(directory)
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)) as conn:
            yield conn
    except sqlite3.DatabaseError as exc:
        raise ScenarioError([f"{path}: not a readable result store ({exc}); nothing was changed"]) from None


def load_results(directory: str | Path) -> pd.DataFrame:
    """One row per stored run: run columns, the point's swept parameters, then every KPI.

    Swept (dotted) keys become columns named like ``budget.split_stations``; KPIs of failed
    runs are NaN. Rows are sorted by scenario, point and replication.
    """
    import pandas as pd

    with _connect(directory) as conn:
        runs = conn.execute(f"SELECT {', '.join(RUN_COLUMNS)}, kpis_json FROM runs").fetchall()
        points = _point_overrides(conn)
    rows = [_run_row(values, points) for values in runs]
    frame = pd.DataFrame(rows, columns=_columns(rows))
    return frame.sort_values(ORDER, kind="stable").reset_index(drop=True)


def _point_overrides(conn: sqlite3.Connection) -> dict[tuple[str, int], dict[str, Any]]:
    rows = conn.execute("SELECT label, point, overrides_json FROM scenarios")
    return {(label, point): json.loads(text) for label, point, text in rows}


def _run_row(values: tuple[Any, ...], points: dict[tuple[str, int], dict[str, Any]]) -> dict[str, Any]:
    row = dict(zip(RUN_COLUMNS, values[:-1], strict=True))
    row.update(points.get((row["scenario"], row["point"]), {}))
    row.update(json.loads(values[-1]))
    return row


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    """Run columns first, then swept keys (dotted), then KPIs, each group sorted."""
    keys = {key for row in rows for key in row} - set(RUN_COLUMNS)
    swept = sorted(key for key in keys if "." in key)
    return RUN_COLUMNS + swept + sorted(keys - set(swept))


def load_series(directory: str | Path, kpis: list[str] | None = None) -> pd.DataFrame:
    """Daily series in long form: scenario, point, replication, seed, run_id, kpi, day, value."""
    import pandas as pd

    query = ("SELECT r.scenario, r.point, r.replication, r.seed, r.run_id, s.kpi, s.values_f8 "
             "FROM series s JOIN runs r USING (run_id)")
    frames = []
    with _connect(directory) as conn:
        for scenario, point, replication, seed, run_id, kpi, blob in conn.execute(query):
            if kpis is not None and kpi not in kpis:
                continue
            values = np.frombuffer(blob, dtype="<f8")
            frames.append(pd.DataFrame({"scenario": scenario, "point": point, "replication": replication,
                                        "seed": seed, "run_id": run_id, "kpi": kpi,
                                        "day": np.arange(1, len(values) + 1), "value": values}))
    if not frames:
        return pd.DataFrame(columns=["scenario", "point", "replication", "seed", "run_id", "kpi", "day", "value"])
    return pd.concat(frames, ignore_index=True).sort_values([*ORDER, "kpi", "day"], kind="stable").reset_index(drop=True)


def load_communities(directory: str | Path) -> pd.DataFrame:
    """Per-community KPIs: one row per run and community."""
    import pandas as pd

    query = ("SELECT r.scenario, r.point, r.replication, r.seed, r.run_id, c.community, c.kpis_json "
             "FROM communities c JOIN runs r USING (run_id)")
    with _connect(directory) as conn:
        rows = [{"scenario": s, "point": p, "replication": rep, "seed": seed, "run_id": rid, "community": c,
                 **json.loads(text)} for s, p, rep, seed, rid, c, text in conn.execute(query)]
    frame = pd.DataFrame(rows)
    return frame.sort_values([*ORDER, "community"], kind="stable").reset_index(drop=True) if rows else frame


def load_unmet_map(directory: str | Path, run_id: str) -> np.ndarray:
    """The unmet-needs-by-cell map of one run (int64, rows x columns)."""
    with _connect(directory) as conn:
        row = conn.execute("SELECT n_rows, n_cols, cells_i8 FROM unmet_maps WHERE run_id = ?", (run_id,)).fetchone()
    if row is None:
        raise KeyError(f"no unmet map stored for run {run_id}")
    from sim.experiment.worker import unpack_cells

    return unpack_cells(row[2], row[0], row[1])


def load_scenarios(directory: str | Path) -> pd.DataFrame:
    """The ``scenarios`` table: label, point, hash, name, source path, overrides and resolved JSON."""
    import pandas as pd

    with _connect(directory) as conn:
        query = "SELECT label, point, scenario_hash, name, source_path, overrides_json, scenario_json FROM scenarios"
        rows = conn.execute(query).fetchall()
    columns = ["scenario", "point", "scenario_hash", "name", "source_path", "overrides", "resolved"]
    parsed = [(*row[:5], json.loads(row[5]), json.loads(row[6])) for row in rows]
    return pd.DataFrame(parsed, columns=columns).sort_values(["scenario", "point"]).reset_index(drop=True)


def load_meta(directory: str | Path, key: str) -> str | None:
    """One ``meta`` entry of the store (None when absent), e.g. ``"settings"`` of uncertain inputs."""
    with _connect(directory) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def load_metadata(directory: str | Path) -> pd.DataFrame:
    """The ``experiments`` table: one row per invocation (versions, git hash, seed, counts)."""
    import pandas as pd

    with _connect(directory) as conn:
        return pd.read_sql_query("SELECT * FROM experiments ORDER BY id", conn)


@dataclass(frozen=True)
class OptionCount:
    """One option's (scenario label and sweep point's) runs: planned, stored and failed."""

    scenario: str
    point: int
    planned: int
    stored: int  # stored ``ok`` by this code version
    failed: int
    other_version: int  # stored ``ok`` by another code version (the model's source changed since)


@dataclass(frozen=True)
class Completeness:
    """How much of the planned experiment a store holds, option by option."""

    options: list[OptionCount]
    options_planned: int  # options of the plan, including any with no run stored yet
    code_version: str

    @property
    def complete(self) -> bool:
        """Every planned run of every option stored ``ok`` by this code version."""
        return len(self.options) >= self.options_planned and all(o.stored >= o.planned for o in self.options)

    def lines(self, limit: int = 10) -> list[str]:
        """English lines for the terminal: runs missing per option, runs of other code (empty when complete)."""
        if self.complete:
            return []
        lines = []
        held = {o.scenario + f"#{o.point}": min(o.planned, o.stored + o.other_version) for o in self.options}
        stored, planned = sum(held.values()), sum(o.planned for o in self.options)
        short = [o for o in self.options if o.stored + o.other_version < o.planned]
        unstarted = self.options_planned - len(self.options)
        if short or unstarted > 0:
            lines.append(f"partial results: {stored} of {planned} planned runs are stored")
            for option in short[:limit]:
                failed = f" ({option.failed} failed)" if option.failed else ""
                lines.append(f"  {option.scenario} (point {option.point}): "
                             f"{option.stored + option.other_version} of {option.planned} runs{failed}")
            if len(short) > limit:
                lines.append(f"  ... and {len(short) - limit} more options short of runs")
            if unstarted > 0:
                lines.append(f"  {unstarted} more options have no runs yet")
        other = sum(o.other_version for o in self.options)
        if other:
            lines.append(f"{other} stored runs were made by another code version than this one ({self.code_version}); "
                         "rerun the command that made them to redo them with this code")
        return lines


def completeness(directory: str | Path) -> Completeness:
    """Per option, the runs planned and those stored: what a report on a partial store must say.

    An option is a (scenario label, sweep point) of the ``scenarios`` table; it plans the
    latest invocation's replications. Stored runs are counted by the option's scenario hash, so
    two options that resolve to the same scenario share their runs, as the runner does.
    """
    from sim.experiment.metadata import code_version

    version = code_version()
    with _connect(directory) as conn:
        row = conn.execute("SELECT replications FROM experiments ORDER BY id DESC LIMIT 1").fetchone()
        replications = int(row[0]) if row else 0
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        counts = {(h, status, v == version): int(n) for h, status, v, n in conn.execute(
            "SELECT scenario_hash, status, model_version, COUNT(*) FROM runs GROUP BY scenario_hash, status, model_version")}
        cells = conn.execute("SELECT label, point, scenario_hash FROM scenarios ORDER BY label, point").fetchall()
    options = [OptionCount(label, int(point), replications,
                           min(replications, counts.get((digest, "ok", True), 0)),
                           counts.get((digest, "failed", True), 0) + counts.get((digest, "failed", False), 0),
                           counts.get((digest, "ok", False), 0))
               for label, point, digest in cells]
    planned = int(meta.get("options_planned", len(options)))
    return Completeness(options, max(planned, len(options)), version)


def failures(directory: str | Path, limit: int = 5) -> tuple[list[str], int]:
    """The first ``limit`` failed runs as one line each (option, replication, the error's last line), and how many failed."""
    with _connect(directory) as conn:
        rows = conn.execute("SELECT scenario, point, replication, error FROM runs WHERE status = 'failed' "
                            "ORDER BY scenario, point, replication").fetchall()
    lines = []
    for scenario, point, replication, error in rows[:limit]:
        last = next((line.strip() for line in reversed(str(error).splitlines()) if line.strip()), "no message")
        lines.append(f"  {scenario} (point {point}, replication {replication}): {last[:200]}")
    return lines, len(rows)
