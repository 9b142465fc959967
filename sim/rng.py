"""Named random streams (common random numbers).

Every random process draws from its own numpy ``Generator``, derived from the scenario seed and
the process's name, so a policy that changes how often one process draws leaves every other
process's draws untouched. A process whose draws belong to one member (a recruit's traits) draws
from that member's own generator (``Streams.member``), so drawing for one member never shifts
another's draws.
"""

from __future__ import annotations

import zlib

import numpy as np

STREAMS = (
    "population",   # who the residents are
    "arrivals",     # which needs arise, their size and patience
    "reporting",    # thresholds for residents reporting their own needs
    "discovery",    # thresholds for active discovery of unreported needs
    "recruitment",  # which residents become volunteers
    "giving",       # donations to community funds
)
MEMBER_STREAMS = (
    "traits",       # a recruit's skills, motivation, team and quitting threshold, per resident and spell
)


def stream_key(name: str) -> int:
    """A stable integer for a stream name (independent of Python's hash seed)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """One ``numpy.random.Generator`` per named process, all rooted in one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._generators = {name: self._make(name) for name in STREAMS}

    def _make(self, name: str) -> np.random.Generator:
        sequence = np.random.SeedSequence(entropy=self.seed, spawn_key=(stream_key(name),))
        return np.random.Generator(np.random.PCG64(sequence))

    def member(self, name: str, *keys: int) -> np.random.Generator:
        """The generator of one member of a process (``traits`` of resident ``r`` in spell ``k``: ``member("traits", r, k)``)."""
        if name not in MEMBER_STREAMS:
            raise AttributeError(f"no member stream named {name!r} (member streams: {', '.join(MEMBER_STREAMS)})")
        sequence = np.random.SeedSequence(entropy=self.seed, spawn_key=(stream_key(name), *keys))
        return np.random.Generator(np.random.PCG64(sequence))

    def __getattr__(self, name: str) -> np.random.Generator:
        try:
            return self.__dict__["_generators"][name]
        except KeyError:
            raise AttributeError(f"no random stream named {name!r} (streams: {', '.join(STREAMS)})") from None
