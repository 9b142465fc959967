"""The result store: one SQLite file per experiment, WAL mode, written by the parent process only.

Each finished run is written in one transaction (its row in ``runs`` plus its series, community
KPIs and unmet map), so a ``kill -9`` at any moment leaves whole runs or nothing. ``runs.run_id``
is the run's identity (scenario hash, seed, days, model version): rerunning an experiment skips
runs stored ``ok`` and retries runs stored ``failed``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError
from sim.experiment.spec import ScenarioRecord
from sim.experiment.worker import Outcome, RunTask, Status

STORE_FILE = "store.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS experiments (
    id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, finished_at TEXT,
    package_version TEXT NOT NULL, git_hash TEXT, python TEXT NOT NULL, host TEXT NOT NULL,
    experiment_seed INTEGER NOT NULL, replications INTEGER NOT NULL, days INTEGER,
    executor TEXT NOT NULL, workers INTEGER NOT NULL, planned INTEGER NOT NULL,
    skipped INTEGER NOT NULL, ran INTEGER, failed INTEGER, spec_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scenarios (
    scenario_hash TEXT NOT NULL, point INTEGER NOT NULL, label TEXT NOT NULL, name TEXT NOT NULL,
    source_path TEXT NOT NULL, overrides_json TEXT NOT NULL, scenario_json TEXT NOT NULL,
    PRIMARY KEY (label, point));
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, scenario_hash TEXT NOT NULL, scenario TEXT NOT NULL,
    point INTEGER NOT NULL, replication INTEGER NOT NULL, seed INTEGER NOT NULL,
    days INTEGER NOT NULL, model_version TEXT NOT NULL, status TEXT NOT NULL,
    error TEXT NOT NULL, elapsed_s REAL NOT NULL, finished_at TEXT NOT NULL,
    kpis_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS series (
    run_id TEXT NOT NULL, kpi TEXT NOT NULL, values_f8 BLOB NOT NULL, PRIMARY KEY (run_id, kpi));
CREATE TABLE IF NOT EXISTS communities (
    run_id TEXT NOT NULL, community TEXT NOT NULL, kpis_json TEXT NOT NULL,
    PRIMARY KEY (run_id, community));
CREATE TABLE IF NOT EXISTS unmet_maps (
    run_id TEXT PRIMARY KEY, n_rows INTEGER NOT NULL, n_cols INTEGER NOT NULL, cells_i8 BLOB NOT NULL);
"""


class ResultStore:
    """Open (creating if needed) the store in ``directory``; use as a context manager."""

    def __init__(self, directory: str | Path, model_version: str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / STORE_FILE
        self.model_version = model_version
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.executescript(SCHEMA)

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        self.conn.close()

    def claim(self, experiment_key: str, name: str) -> None:
        """Mark the folder as this experiment's; refuse a folder that holds another experiment."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'experiment_key'").fetchone()
        if row is not None and row[0] != experiment_key:
            raise ScenarioError([
                f"{self.directory}: holds another experiment ({row[0]}, this one is {experiment_key}) "
                "(allowed: the same experiment to resume it, or another --out folder)"
            ])
        with self.conn:
            self.conn.execute("BEGIN")
            self._put_meta("experiment_key", experiment_key)
            self._put_meta("name", name)

    def put_meta(self, key: str, value: str) -> None:
        """Store one ``meta`` entry (e.g. the sampled settings of uncertain inputs) in its own transaction."""
        with self.conn:
            self.conn.execute("BEGIN")
            self._put_meta(key, value)

    def _put_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def add_scenarios(self, records: Iterable[ScenarioRecord]) -> None:
        """Record every resolved scenario (label, point, parameters) in one transaction."""
        rows = [(r.scenario_hash, r.point, r.label, r.name, r.source_path, _dumps(r.overrides),
                 _dumps(r.resolved)) for r in records]
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.executemany("INSERT OR REPLACE INTO scenarios VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def ok_run_ids(self) -> set[str]:
        """Identities of runs already stored with status ``ok`` (skipped on resume)."""
        rows = self.conn.execute("SELECT run_id FROM runs WHERE status = ?", (Status.OK,))
        return {run_id for (run_id,) in rows}

    def start_experiment(self, values: dict[str, Any]) -> int:
        """Record one invocation (versions, git hash, seed...); returns its id."""
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        with self.conn:
            self.conn.execute("BEGIN")
            cursor = self.conn.execute(f"INSERT INTO experiments ({columns}) VALUES ({marks})", tuple(values.values()))
        return int(cursor.lastrowid or 0)

    def finish_experiment(self, experiment_id: int, finished_at: str, ran: int, failed: int) -> None:
        """Stamp an invocation's end and counts."""
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.execute("UPDATE experiments SET finished_at = ?, ran = ?, failed = ? WHERE id = ?",
                              (finished_at, ran, failed, experiment_id))

    def write(self, task: RunTask, outcome: Outcome, finished_at: str) -> None:
        """Store one finished run (replacing a failed earlier attempt) in one transaction."""
        run_row = (task.run_id, task.scenario_hash, task.label, task.point, task.replication, task.seed,
                   task.days, self.model_version, outcome.status, outcome.error, outcome.elapsed_s,
                   finished_at, _dumps(outcome.kpis))
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            for table in ("series", "communities", "unmet_maps"):
                self.conn.execute(f"DELETE FROM {table} WHERE run_id = ?", (task.run_id,))
            self.conn.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", run_row)
            self.conn.executemany("INSERT INTO series VALUES (?, ?, ?)",
                                  [(task.run_id, name, blob) for name, blob in outcome.series.items()])
            self.conn.executemany("INSERT INTO communities VALUES (?, ?, ?)",
                                  [(task.run_id, name, _dumps(k)) for name, k in outcome.communities.items()])
            if outcome.status == Status.OK:
                self.conn.execute("INSERT INTO unmet_maps VALUES (?, ?, ?, ?)",
                                  (task.run_id, *outcome.unmet_shape, outcome.unmet_cells))


def store_path(directory: str | Path) -> Path:
    """The SQLite file of the store in ``directory``; ``ScenarioError`` if there is none."""
    path = Path(directory) / STORE_FILE
    if not path.is_file():
        raise ScenarioError([f"{directory}: no result store here (expected {path})"])
    return path


def _dumps(value: Any) -> str:
    """Canonical JSON (sorted keys; floats round-trip exactly)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
