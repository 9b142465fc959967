"""Need types, their default parameters, and the table every need lives in.

A need arises for one resident, is reported or stays hidden until discovered, waits for a
provider, is served, or is closed unmet when its patience runs out. Its hours may be given in
parts, over days and by several providers: from the first hour given it is in service (its
patience no longer runs) until the last, then it completes after its service days. Every need ends in
exactly one of MET, UNMET, or (at the end of the run) one of the pending states.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum, IntFlag, StrEnum

import numpy as np

from sim.core.table import F32, F64, I8, I16, I32, ArrayTable, Bool


class NeedType(str, Enum):
    """What a resident needs."""

    ELDERLY_CARE = "elderly_care"
    MEALS = "meals"
    HEALTH = "health"
    CHILD_CARE = "child_care"
    COMPANIONSHIP = "companionship"
    MEDIATION = "mediation"
    MATERIAL_HARDSHIP = "material_hardship"
    DAILY_LIFE = "daily_life"


NEED_TYPES: tuple[NeedType, ...] = tuple(NeedType)


class State(IntEnum):
    """Life cycle of a need."""

    UNREPORTED = 0  # arisen, not yet known to anyone who can help
    WAITING = 1     # reported or discovered, waiting for a provider
    IN_SERVICE = 2  # a provider is serving it
    MET = 3
    UNMET = 4



class Provider(IntFlag):
    """Kinds of provider a need type may be served by."""

    VOLUNTEER = 1
    SOCIAL_WORKER = 2
    PROGRAMME = 4
    PROFESSIONAL = 8
    FUND = 16


class Group(IntEnum):
    """Age group of a resident."""

    CHILD = 0
    WORKING = 1
    ELDERLY = 2


@dataclass(frozen=True)
class NeedDefaults:
    """Default parameters of a need type (all overridable in ``[needs.<type>]``)."""

    rate_child_per_year: float
    rate_working_per_year: float
    rate_elderly_per_year: float
    hours_mean: float
    yuan_mean: float
    patience_days: int
    hidden_share: float
    severe_share: float
    service_days: int
    providers: Provider
    severe_providers: Provider
    hardship_only: bool = False


V, SW, PG, PR, F = Provider.VOLUNTEER, Provider.SOCIAL_WORKER, Provider.PROGRAMME, Provider.PROFESSIONAL, Provider.FUND

# Rates are needs per resident-year. [lit] new care need among people over 65: about 5-6% a year
# (elderly_care); everything else is [assumed] and is a calibration target (scenarios/targets/).
# Hours are whole episodes of help (several visits for care and companionship), not single visits.
# Severe needs are complex cases: social workers take them as case work (source: seed, Shuyang and
# Changsha: social workers are the support and do case work; professional social organisations run
# the services government buys), so every type that takes hours has social workers and purchased
# professionals on its severe route, whoever serves its routine cases. Material hardship is relieved
# by money whatever its severity: its severe route is the community fund.
DEFAULTS: dict[NeedType, NeedDefaults] = {
    NeedType.ELDERLY_CARE: NeedDefaults(0.0, 0.005, 0.055, 8.0, 0.0, 14, 0.35, 0.30, 2, V | SW | PG | PR, SW | PR),
    NeedType.MEALS: NeedDefaults(0.0, 0.005, 0.25, 2.0, 0.0, 7, 0.20, 0.05, 1, PG | V, SW | PR),
    NeedType.HEALTH: NeedDefaults(0.05, 0.05, 0.25, 3.0, 0.0, 10, 0.20, 0.20, 1, PR | SW, SW | PR),
    NeedType.CHILD_CARE: NeedDefaults(0.5, 0.0, 0.0, 3.0, 0.0, 14, 0.10, 0.10, 1, PG | V | PR, SW | PR),
    NeedType.COMPANIONSHIP: NeedDefaults(0.02, 0.02, 0.3, 4.0, 0.0, 21, 0.50, 0.05, 1, V | PG, SW | PR),
    NeedType.MEDIATION: NeedDefaults(0.0, 0.03, 0.02, 4.0, 0.0, 14, 0.20, 0.40, 1, SW | PR, SW | PR),
    NeedType.MATERIAL_HARDSHIP: NeedDefaults(1.0, 1.0, 1.5, 0.0, 600.0, 30, 0.50, 0.0, 0, F, F, hardship_only=True),
    NeedType.DAILY_LIFE: NeedDefaults(0.02, 0.12, 0.3, 1.5, 0.0, 7, 0.10, 0.0, 0, V | PG, SW | PR),
}

class Programme(StrEnum):
    """Group programmes run by social organisations; each serves some need types."""

    CANTEEN = "canteen"
    DAY_CARE = "day_care"
    CLASSES = "classes"
    MARKET = "market"


# Which group programme serves which need types.
PROGRAMME_TYPES: dict[Programme, tuple[NeedType, ...]] = {
    Programme.CANTEEN: (NeedType.MEALS,),
    Programme.DAY_CARE: (NeedType.ELDERLY_CARE, NeedType.COMPANIONSHIP),
    Programme.CLASSES: (NeedType.CHILD_CARE,),
    Programme.MARKET: (NeedType.DAILY_LIFE,),
}

# Providers whose hours a need takes, and the need-table column counting the hours each gave.
HOURS_PROVIDERS: dict[Provider, str] = {V: "given_volunteer", SW: "given_social_worker", PR: "given_professional"}
DONE_HOURS = 1e-9  # hours left at or below which a need's hours are all given
IN_DELIVERY = np.iinfo(np.int32).max  # service end day of a need whose hours are still being given


class NeedTable(ArrayTable):
    """Struct-of-arrays store of every need of a run; grows by doubling."""

    resident: I32
    community: I16
    type: I8
    severe: Bool
    hidden: Bool
    hours: F32
    yuan: F32
    arrival_day: I32
    patience_days: I32
    state: I8
    report_threshold: F32
    report_hazard: F32
    discovery_threshold: F32
    discovery_hazard: F32
    discovered: Bool
    match_day: I32
    service_end_day: I32
    close_day: I32
    provider: I8
    listed: Bool
    hours_left: F64
    given_volunteer: F64       # the columns of HOURS_PROVIDERS: hours each kind of provider gave
    given_social_worker: F64
    given_professional: F64

    def __init__(self, capacity: int = 1024) -> None:
        super().__init__(capacity)
        self.open_ids = np.zeros(0, dtype=np.int64)

    def append(self, **columns: np.ndarray) -> np.ndarray:
        """Add needs (one array per field given; others zero); returns their ids."""
        count = len(columns["resident"])
        self._reserve(self.size + count)
        ids = np.arange(self.size, self.size + count)
        self._put(ids, columns)
        for name in ("match_day", "service_end_day", "close_day"):
            if name not in columns:
                getattr(self, name)[ids] = -1
        self.size += count
        self.open_ids = np.concatenate([self.open_ids, ids])
        return ids

    def close(self, ids: np.ndarray, state: State, day: int) -> None:
        """Close needs as MET or UNMET on ``day``."""
        self.state[ids] = state
        self.close_day[ids] = day

    def prune(self) -> None:
        """Drop closed needs from ``open_ids``."""
        states = self.state[self.open_ids]
        self.open_ids = self.open_ids[states <= State.IN_SERVICE]

    def count(self, state: State) -> int:
        """How many needs are in ``state`` now."""
        return int(np.count_nonzero(self.view("state") == state))
