"""Who the residents are: attributes and homes drawn once from the ``population`` stream.

Residents' state lives in numpy arrays (one entry per resident) so that daily processes are
vectorised; ``sim.agents.resident.Resident`` is the Mesa agent view of one entry. Columns that
follow exactly from others and are read only for a few residents at a time (home metres) are
computed when indexed (``OnDemand``); the distance to the service point, read for every
unreported need every day, is kept. Draws used only while building (the visit-list draw) are not.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.needs import Group
from sim.scenario import Community, Scenario
from sim.world import Layout, Rect

# Relative disability prevalence by age group (child, working, elderly). [assumed; China's
# 2006 disability survey shows prevalence rising steeply with age]
DISABILITY_WEIGHTS = np.array([0.3, 0.7, 3.0])
CLUSTERED_COMPOUND_SHARE = 1 / 3  # vulnerable residents cluster in the first third of compounds


class OnDemand:
    """A per-resident float column computed from stored columns when indexed, not stored (8 bytes a resident saved).

    ``column[index]`` gives exactly the values the stored column held (the same arithmetic on the
    same inputs, element by element); ``np.asarray(column)`` computes the whole column.
    """

    def __init__(self, size: int) -> None:
        self.size = size

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError

    def __len__(self) -> int:
        return self.size

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.asarray(self[:], dtype=dtype)


class CellCentreMetres(OnDemand):
    """Metres of each resident's home-cell centre along one axis: ``(cell + 0.5) * cell_size_m``."""

    def __init__(self, cells: np.ndarray, cell_size_m: float) -> None:
        super().__init__(len(cells))
        self.cells, self.cell_size_m = cells, cell_size_m

    def __getitem__(self, index: Any) -> Any:
        return (self.cells[index] + 0.5) * self.cell_size_m


class Population:
    """Residents as arrays: group, flags, community, compound, home cell (its metres on demand), distance to the service point.

    Index columns are as narrow as their values allow (int16 communities, int16 cells unless the
    grid is wider than 32,767 cells, int32 compounds and counters): at city scale every byte a
    resident costs megabytes.
    """

    def __init__(self, scenario: Scenario, layout: Layout, rng: np.random.Generator) -> None:
        cell_dtype = np.int16 if max(layout.width, layout.height) <= np.iinfo(np.int16).max else np.int32
        parts = [_draw_community(c, b.index, b.compounds, rng, cell_dtype) for c, b in zip(scenario.communities.values(), layout.blocks)]

        def joined(name: str) -> np.ndarray:
            column = np.concatenate([part[name] for part in parts])
            for part in parts:  # free each community's draw as soon as it is joined
                del part[name]
            return column

        self.group = joined("group")
        self.disabled = joined("disabled")
        self.hardship = joined("hardship")
        self.digital = joined("digital")
        self.community = joined("community")
        compound_local = joined("compound_local")
        self.cell_x = joined("cell_x")
        self.cell_y = joined("cell_y")
        self.size = len(self.group)
        self.x_m = CellCentreMetres(self.cell_x, layout.cell_size_m)
        self.y_m = CellCentreMetres(self.cell_y, layout.cell_size_m)
        self.service_distance_m = _service_distance_m(self.community, self.x_m, self.y_m, layout)  # read daily: kept
        self.vulnerable = (self.group == Group.ELDERLY) | self.disabled | self.hardship
        # Households on the routine-visit list: the uniform draw deciding which elderly are on it is used once, here.
        self.listed = self._listed(scenario.linkage.list_elderly_share, joined("list_u"))
        self.satisfaction = np.full(self.size, 0.5, dtype=np.float32)
        self.is_volunteer = np.zeros(self.size, dtype=bool)
        self.volunteer_spells = np.zeros(self.size, dtype=np.int32)  # times each resident has joined as a volunteer
        self.had_need = np.zeros(self.size, dtype=bool)
        self.counts = np.bincount(self.community, minlength=len(layout.blocks))
        offsets = np.cumsum([0] + [len(b.compounds) for b in layout.blocks])
        self.compound = (offsets[:-1].astype(np.int32)[self.community] + compound_local).astype(np.int32)
        self.compound_count = int(offsets[-1])

    def members(self, community: int) -> np.ndarray:
        """Indices of one community's residents (contiguous by construction)."""
        return np.flatnonzero(self.community == community)

    def _listed(self, elderly_share: float, rng_u: np.ndarray) -> np.ndarray:
        """Households on the routine-visit list: hardship, disabled, and a share of the elderly."""
        return self.hardship | self.disabled | ((self.group == Group.ELDERLY) & (rng_u < elderly_share))


def _service_distance_m(community: np.ndarray, x_m: CellCentreMetres, y_m: CellCentreMetres, layout: Layout) -> np.ndarray:
    """Metres from each resident's home-cell centre to its community's service point (straight line)."""
    service = np.array([b.service_point for b in layout.blocks], dtype=float).reshape(-1, 2)
    dx = (service[community, 0] + 0.5) * layout.cell_size_m - np.asarray(x_m)
    dy = (service[community, 1] + 0.5) * layout.cell_size_m - np.asarray(y_m)
    return np.hypot(dx, dy)


def _draw_community(c: Community, index: int, compounds: tuple[Rect, ...], rng: np.random.Generator,
                    cell_dtype: type[np.signedinteger[Any]]) -> dict[str, np.ndarray]:
    """One community's residents. The six uniform rows are drawn one after another (the same numbers
    as one ``rng.random((6, n))``), so a large community never holds all six at once."""
    n = c.residents
    u_group = rng.random(n)
    group = np.where(u_group < c.share_children, Group.CHILD,
                     np.where(u_group < c.share_children + c.share_elderly, Group.ELDERLY, Group.WORKING)).astype(np.int8)
    del u_group
    shares = np.array([c.share_children, 1 - c.share_children - c.share_elderly, c.share_elderly])
    mean_weight = float(shares @ DISABILITY_WEIGHTS) or 1.0
    disabled = rng.random(n) < np.minimum(1.0, c.share_disabled * DISABILITY_WEIGHTS[group] / mean_weight)
    hardship = rng.random(n) < c.share_hardship
    digital = rng.random(n) < np.where(group == Group.ELDERLY, c.digital_share_elderly, c.digital_share_other)
    u_cluster = rng.random(n)
    compound = _compounds(c, group, disabled, u_cluster, rng.random(n), len(compounds))
    del u_cluster
    rects = np.array(compounds)  # (x, y, width, height) of each compound
    cell_x = (rects[compound, 0] + rng.integers(0, rects[compound, 2])).astype(cell_dtype)
    cell_y = (rects[compound, 1] + rng.integers(0, rects[compound, 3])).astype(cell_dtype)
    return {
        "group": group, "disabled": disabled, "hardship": hardship, "digital": digital,
        "community": np.full(n, index, dtype=np.int16), "compound_local": compound.astype(np.int16),
        "cell_x": cell_x, "cell_y": cell_y, "list_u": rng.random(n),
    }


def _compounds(c: Community, group: np.ndarray, disabled: np.ndarray, u_cluster: np.ndarray, u_pick: np.ndarray, k: int) -> np.ndarray:
    """Compound of each resident; vulnerable ones cluster in the first compounds when asked."""
    clustered = max(1, round(k * CLUSTERED_COMPOUND_SHARE))
    vulnerable = (group == Group.ELDERLY) | disabled
    to_cluster = vulnerable & (u_cluster < c.vulnerable_clustering)
    return np.where(to_cluster, (u_pick * clustered).astype(int), (u_pick * k).astype(int))
