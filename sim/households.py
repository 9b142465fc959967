"""Households: residents grouped into the homes that contacts, visits and outreach go to.

The population is drawn resident by resident; households are derived from it without any random
draw (so they never change who the residents are or which needs arise): a community's residents
are ordered by compound, home cell and index and cut into households of ``residents_per_household``
on average (the cut points of a running total, so sizes alternate around the mean). Household ids
are contiguous per community, so a community's households are one slice. Household ids are int32
(at most 2^31 households), community ids int16 as the population's.
"""

from __future__ import annotations

import numpy as np

from sim.population import Population


class Households:
    """Household of each resident, community and vulnerability of each household, slices per community."""

    def __init__(self, population: Population, residents_per_household: float) -> None:
        order = np.lexsort((np.arange(population.size, dtype=np.int32), population.cell_x, population.cell_y,
                            population.compound, population.community))
        start_of = np.concatenate([[0], np.cumsum(population.counts)[:-1]])
        rank = np.empty(population.size, dtype=np.int64)
        rank[order] = np.arange(population.size) - start_of[population.community[order]]
        del order
        local = np.floor(rank / residents_per_household).astype(np.int32)
        del rank
        per_community = np.where(population.counts > 0, np.floor((population.counts - 1) / residents_per_household) + 1, 0).astype(np.int64)
        self.start = np.concatenate([[0], np.cumsum(per_community)[:-1]])
        self.stop = self.start + per_community
        self.of_resident = (self.start.astype(np.int32)[population.community] + local).astype(np.int32)
        self.count = int(per_community.sum())
        self.per_community = per_community
        self.community = np.repeat(np.arange(len(per_community), dtype=np.int16), per_community)
        self.vulnerable = np.bincount(self.of_resident, weights=population.vulnerable, minlength=self.count) > 0
