"""Replication seeds (common random numbers) and run identities.

Replication ``i`` of every scenario and every sweep point gets the same seed, derived from the
experiment seed with ``numpy.random.SeedSequence``, so differences between scenarios are paired:
they come from the scenarios, not from different random draws.
"""

from __future__ import annotations

import hashlib

import numpy as np

SEED_MASK = 2**63 - 1  # scenario seeds are whole numbers in [0, 2**63 - 1]


def replication_seeds(experiment_seed: int, replications: int) -> list[int]:
    """One seed per replication, the same list for every scenario of the experiment."""
    children = np.random.SeedSequence(experiment_seed).spawn(replications)
    return [int(child.generate_state(1, dtype=np.uint64)[0]) & SEED_MASK for child in children]


def run_identity(scenario_hash: str, seed: int, days: int, model_version: str) -> str:
    """The primary key of a run: what it computed, independent of which experiment asked."""
    text = f"{scenario_hash}|{seed}|{days}|{model_version}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
