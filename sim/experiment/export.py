"""A result store as tidy tables (long form: one observation a row) for R, DuckDB and spreadsheets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sim.experiment.results import (
    RUN_COLUMNS,
    load_communities,
    load_results,
    load_series,
)

if TYPE_CHECKING:
    import pandas as pd

KEYS = ["run_id", "scenario", "point", "replication", "seed"]


def tidy_tables(directory: str | Path) -> dict[str, pd.DataFrame]:
    """``runs`` (wide: identity, status, swept keys), ``kpis``, ``series`` and ``community_kpis`` (long)."""
    frame = load_results(directory)
    swept = [c for c in frame.columns if "." in c and c not in RUN_COLUMNS]
    kpi_columns = [c for c in frame.columns if c not in RUN_COLUMNS and c not in swept]
    runs = frame[RUN_COLUMNS + swept]
    kpis = frame[KEYS + kpi_columns].melt(id_vars=KEYS, var_name="kpi", value_name="value")
    kpis = kpis.dropna(subset=["value"]).sort_values([*KEYS[1:4], "kpi"], kind="stable").reset_index(drop=True)
    communities = load_communities(directory)
    if not communities.empty:
        communities = communities.melt(id_vars=[*KEYS, "community"], var_name="kpi", value_name="value")
        communities = communities.sort_values([*KEYS[1:4], "community", "kpi"], kind="stable").reset_index(drop=True)
    series = load_series(directory)
    return {"runs": runs, "kpis": kpis, "series": series, "community_kpis": communities}


def export_tables(directory: str | Path, out_dir: str | Path, fmt: str = "csv") -> list[Path]:
    """Write every tidy table as ``out_dir/<name>.csv`` or ``.parquet``; returns the paths."""
    tables = tidy_tables(directory)  # a folder without a store is refused before anything is written
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "parquet":
            table.to_parquet(path, index=False)
        else:
            table.to_csv(path, index=False)
        paths.append(path)
    return paths
