"""Who the residents are: attributes and homes drawn once from the ``population`` stream.

Residents' state lives in numpy arrays (one entry per resident) so that daily processes are
vectorised; ``sim.agents.resident.Resident`` is the Mesa agent view of one entry.
"""

from __future__ import annotations

import numpy as np

from sim.needs import Group
from sim.scenario import Community, Scenario
from sim.world import Layout, Rect

# Relative disability prevalence by age group (child, working, elderly). [assumed; China's
# 2006 disability survey shows prevalence rising steeply with age]
DISABILITY_WEIGHTS = np.array([0.3, 0.7, 3.0])
CLUSTERED_COMPOUND_SHARE = 1 / 3  # vulnerable residents cluster in the first third of compounds


class Population:
    """Residents as arrays: group, flags, community, compound, home cell and metres."""

    def __init__(self, scenario: Scenario, layout: Layout, rng: np.random.Generator) -> None:
        parts = [_draw_community(c, b.index, b.compounds, rng) for c, b in zip(scenario.communities.values(), layout.blocks)]

        def joined(name: str) -> np.ndarray:
            return np.concatenate([part[name] for part in parts])

        self.group = joined("group")
        self.disabled = joined("disabled")
        self.hardship = joined("hardship")
        self.digital = joined("digital")
        self.community = joined("community")
        self.compound_local = joined("compound_local")
        self.cell_x = joined("cell_x")
        self.cell_y = joined("cell_y")
        self.list_u = joined("list_u")  # uniform draw deciding which elderly are on the visit list
        self.size = len(self.group)
        self.x_m = (self.cell_x + 0.5) * layout.cell_size_m
        self.y_m = (self.cell_y + 0.5) * layout.cell_size_m
        service = np.array([b.service_point for b in layout.blocks], dtype=float)
        dx = (service[self.community, 0] + 0.5) * layout.cell_size_m - self.x_m
        dy = (service[self.community, 1] + 0.5) * layout.cell_size_m - self.y_m
        self.service_distance_m = np.hypot(dx, dy)
        self.vulnerable = (self.group == Group.ELDERLY) | self.disabled | self.hardship
        self.satisfaction = np.full(self.size, 0.5, dtype=np.float32)
        self.is_volunteer = np.zeros(self.size, dtype=bool)
        self.volunteer_spells = np.zeros(self.size, dtype=np.int64)  # times each resident has joined as a volunteer
        self.had_need = np.zeros(self.size, dtype=bool)
        self.counts = np.bincount(self.community, minlength=len(layout.blocks))
        offsets = np.cumsum([0] + [len(b.compounds) for b in layout.blocks])
        self.compound = offsets[self.community] + self.compound_local
        self.compound_count = int(offsets[-1])

    def members(self, community: int) -> np.ndarray:
        """Indices of one community's residents (contiguous by construction)."""
        return np.flatnonzero(self.community == community)

    def listed(self, elderly_share: float, rng_u: np.ndarray) -> np.ndarray:
        """Households on the routine-visit list: hardship, disabled, and a share of the elderly."""
        return self.hardship | self.disabled | ((self.group == Group.ELDERLY) & (rng_u < elderly_share))


def _draw_community(c: Community, index: int, compounds: tuple[Rect, ...], rng: np.random.Generator) -> dict[str, np.ndarray]:
    n = c.residents
    u = rng.random((6, n))
    group = np.where(u[0] < c.share_children, Group.CHILD,
                     np.where(u[0] < c.share_children + c.share_elderly, Group.ELDERLY, Group.WORKING)).astype(np.int8)
    shares = np.array([c.share_children, 1 - c.share_children - c.share_elderly, c.share_elderly])
    mean_weight = float(shares @ DISABILITY_WEIGHTS) or 1.0
    disabled = u[1] < np.minimum(1.0, c.share_disabled * DISABILITY_WEIGHTS[group] / mean_weight)
    hardship = u[2] < c.share_hardship
    digital = u[3] < np.where(group == Group.ELDERLY, c.digital_share_elderly, c.digital_share_other)
    compound = _compounds(c, group, disabled, u[4], u[5], len(compounds))
    rect = np.array(compounds)[compound]
    cell_x = rect[:, 0] + rng.integers(0, rect[:, 2])
    cell_y = rect[:, 1] + rng.integers(0, rect[:, 3])
    return {
        "group": group, "disabled": disabled, "hardship": hardship, "digital": digital,
        "community": np.full(n, index, dtype=np.int16), "compound_local": compound.astype(np.int16),
        "cell_x": cell_x.astype(np.int32), "cell_y": cell_y.astype(np.int32), "list_u": rng.random(n),
    }


def _compounds(c: Community, group: np.ndarray, disabled: np.ndarray, u_cluster: np.ndarray, u_pick: np.ndarray, k: int) -> np.ndarray:
    """Compound of each resident; vulnerable ones cluster in the first compounds when asked."""
    clustered = max(1, round(k * CLUSTERED_COMPOUND_SHARE))
    vulnerable = (group == Group.ELDERLY) | disabled
    to_cluster = vulnerable & (u_cluster < c.vulnerable_clustering)
    return np.where(to_cluster, (u_pick * clustered).astype(int), (u_pick * k).astype(int))
