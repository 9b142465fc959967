"""The result store: one SQLite file per experiment, WAL mode, written by the parent process only.

Each finished run is written in one transaction (its row in ``runs`` plus its series, community
KPIs and unmet map), so a ``kill -9`` at any moment leaves whole runs or nothing. ``runs.run_id``
is the run's identity (scenario hash, seed, days, package version); ``runs.model_version`` is the
code version that made it (package version plus a hash of the model's source,
``sim.experiment.metadata.code_version``). Rerunning an experiment skips runs stored ``ok`` by the
same code version and reruns the rest: runs stored ``failed``, and runs made by other code.

A folder whose ``store.sqlite`` is not a result store (corrupt, truncated, empty, a directory)
is refused with one line and left unchanged.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError
from sim.experiment.spec import ScenarioRecord
from sim.experiment.worker import Outcome, RunTask, Status

STORE_FILE = "store.sqlite"
BUSY_TIMEOUT_S = 30.0
STORE_TABLES = {"meta", "experiments", "scenarios", "runs", "series", "communities", "unmet_maps"}

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
        _make_folder(self.directory)
        self.path = self.directory / STORE_FILE
        self.model_version = model_version
        try:
            if not (self.path.exists() or self.path.is_symlink()):
                _create_store(self.path)
            check_store(self.path)
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from None

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (the WAL is checkpointed by SQLite)."""
        self.conn.close()

    def claim(self, experiment_key: str, name: str, options: int | None = None) -> None:
        """Mark the folder as this experiment's; refuse a folder that holds another experiment.

        Check and write happen in one ``BEGIN IMMEDIATE`` transaction, so of two experiments
        claiming one new folder at once exactly one wins. ``options`` (scenario x point cells)
        lets a report say how many options of a partial store have no runs yet.
        """
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'experiment_key'").fetchone()
            if row is not None and row[0] != experiment_key:
                raise ScenarioError([
                    f"{self.directory}: holds another experiment ({row[0]}, this one is {experiment_key}) "
                    "(allowed: the same experiment to resume it, or another --out folder)"
                ])
            self._put_meta("experiment_key", experiment_key)
            self._put_meta("name", name)
            if options is not None:
                self._put_meta("options_planned", str(options))

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
                 json.dumps(r.resolved, separators=(",", ":"))) for r in records]  # model order: a city's map needs it
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.executemany("INSERT OR REPLACE INTO scenarios VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def ok_run_ids(self) -> set[str]:
        """Identities of runs stored ``ok`` by this code version (skipped on resume)."""
        rows = self.conn.execute("SELECT run_id FROM runs WHERE status = ? AND model_version = ?",
                                 (Status.OK, self.model_version))
        return {run_id for (run_id,) in rows}

    def is_done(self, run_id: str) -> bool:
        """Whether this run is stored ``ok`` by this code version (one indexed look-up)."""
        row = self.conn.execute("SELECT 1 FROM runs WHERE run_id = ? AND status = ? AND model_version = ?",
                                (run_id, Status.OK, self.model_version)).fetchone()
        return row is not None

    def count_done(self) -> int:
        """Runs stored ``ok`` by this code version."""
        return int(self.conn.execute("SELECT COUNT(*) FROM runs WHERE status = ? AND model_version = ?",
                                     (Status.OK, self.model_version)).fetchone()[0])

    def other_versions(self) -> dict[str, int]:
        """Code versions other than this one with runs in the store, and how many runs each."""
        rows = self.conn.execute("SELECT model_version, COUNT(*) FROM runs WHERE model_version != ? "
                                 "GROUP BY model_version", (self.model_version,))
        return {version: int(count) for version, count in rows}

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
                                  [(task.run_id, name, _dumps(k)) for name, k in outcome.community_rows()])
            if outcome.status == Status.OK:
                self.conn.execute("INSERT INTO unmet_maps VALUES (?, ?, ?, ?)",
                                  (task.run_id, *outcome.unmet_shape, outcome.unmet_cells))


def store_path(directory: str | Path) -> Path:
    """The SQLite file of the store in ``directory``; ``ScenarioError`` if there is none or it is not one."""
    path = Path(directory) / STORE_FILE
    if not (path.exists() or path.is_symlink()):
        raise ScenarioError([f"{directory}: no result store here (expected {path})"])
    check_store(path)
    return path


def check_store(path: Path) -> None:
    """Refuse (changing nothing) a ``store.sqlite`` that is not a result store."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _not_a_store(path, exc.strerror or str(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_a_store(path, "not a regular file")
    if info.st_size == 0:
        raise _not_a_store(path, "an empty file")
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
        if header != b"SQLite format 3\x00":
            raise _not_a_store(path, "not an SQLite database")
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            conn.execute("SELECT COUNT(*) FROM runs").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _not_a_store(path, f"damaged: {exc}") from None
    except OSError as exc:
        raise _not_a_store(path, exc.strerror or str(exc)) from None
    missing = STORE_TABLES - tables
    if missing:
        raise _not_a_store(path, f"tables {', '.join(sorted(missing))} are missing")


def _not_a_store(path: Path, why: str) -> ScenarioError:
    return ScenarioError([f"{path}: not a result store ({why}); nothing was changed "
                          "(allowed: a store written by sweep or compare; choose another --out folder)"])


def store_error(path: Path, exc: sqlite3.Error) -> ScenarioError:
    """One line for an SQLite failure while writing: a full or read-only disk, a locked store."""
    text = str(exc)
    hint = "check the disk and its permissions, or choose another --out folder"
    if "full" in text:
        hint = "free some disk space or choose another --out folder"
    elif "readonly" in text or "read-only" in text or "unable to open" in text:
        hint = "choose a writable --out folder"
    elif "locked" in text:
        hint = "another process holds the store; wait for it or choose another --out folder"
    return ScenarioError([f"{path}: cannot write the result store: {text} ({hint})"])


def _create_store(path: Path) -> None:
    """A new store appears whole: built under a private name, then linked into place (atomic).

    Two experiments starting in one new folder at once never see each other's half-made file;
    the one that links second keeps the first one's store.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
    try:
        conn = sqlite3.connect(temporary, isolation_level=None)
        try:
            conn.executescript(SCHEMA)
        finally:
            conn.close()
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _make_folder(directory: Path) -> None:
    """Create the results folder; a file in its place or an unwritable parent is one line."""
    if directory.exists() and not directory.is_dir():
        raise ScenarioError([f"{directory}: is a file, not a folder (allowed: a folder for the results; choose another --out)"])
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScenarioError([f"{directory}: cannot create the results folder: {exc.strerror or exc} "
                             "(choose another --out folder)"]) from None


def _dumps(value: Any) -> str:
    """Canonical JSON (sorted keys; floats round-trip exactly)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
