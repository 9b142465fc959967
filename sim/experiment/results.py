"""Reading a result store back as pandas tables (reports read these; they never re-run the model).

pandas is imported here only, so ``import sim`` stays light.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.experiment.store import store_path

if TYPE_CHECKING:
    import pandas as pd

RUN_COLUMNS = ["run_id", "scenario", "point", "replication", "seed", "days", "status", "scenario_hash",
               "model_version", "elapsed_s", "finished_at", "error"]
ORDER = ["scenario", "point", "replication"]


@contextmanager
def _connect(directory: str | Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection (safe while a sweep is still writing, thanks to WAL)."""
    uri = f"{store_path(directory).resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        yield conn


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
    return np.frombuffer(row[2], dtype="<i8").reshape(row[0], row[1]).copy()


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
