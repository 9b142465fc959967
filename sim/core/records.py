"""The district's small records: committees, organisations, community funds, programmes, the visit register.

Plain Python: the Mesa agents in ``sim.agents`` are views that read these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from sim.needs import Programme


class OrgKind(StrEnum):
    """A social organisation's kind: a hub coordinates volunteers, a service organisation runs programmes and holds contracts."""

    HUB = "hub"
    SERVICE = "service"


class Team(StrEnum):
    """A volunteer's team: the patrol team (active discovery) or the service team."""

    PATROL = "patrol"
    SERVICE = "service"


@dataclass
class Committee:
    """A resident committee's record: its community, service point and this funding period's closures."""

    community: int
    name: str
    service_point: tuple[int, int]
    last_coverage: float
    period_met: int = 0
    period_unmet: int = 0
    meetings_held: int = 0

    def record_closures(self, met: int, unmet: int) -> None:
        """Count needs closed this funding period."""
        self.period_met += met
        self.period_unmet += unmet

    def close_period(self) -> float:
        """Coverage of the period just ended (kept when nothing closed); resets the counters."""
        closed = self.period_met + self.period_unmet
        if closed:
            self.last_coverage = self.period_met / closed
        self.period_met = self.period_unmet = 0
        return self.last_coverage


@dataclass
class ProgrammeRun:
    """A group programme (canteen, day care, classes, market): its opening days and places.

    ``places`` is what an opening holds (a funded day's places when money opens it, else its own
    sessions'), times the deliberation weight; ``open_places`` is today's.

    Two kinds of session: the organisation's own (``base_places`` at ``sessions_per_week``,
    spread evenly over the week) and, in the weeks demonstration money pays for
    (``funded_share`` of the weeks, spread evenly over the year), the programme's real schedule
    (``days_per_week`` days, ``funded_places`` places a day).
    """

    name: Programme
    community: int
    need_types: tuple[int, ...]
    places: float
    sessions_per_week: float
    venue: tuple[int, int]
    weight: float = 1.0
    served_today: int = 0
    base_places: float = 0.0
    days_per_week: int = 0
    funded_places: float = 0.0
    funded_share: float = 0.0
    open_places: float = 0.0  # places open today (0 on a closed day)

    def funded_open(self, day: int) -> bool:
        """An opening day of a funded week: the programme's weekdays in the weeks the money pays for."""
        week, share = day // 7, self.funded_share
        return day % 7 < self.days_per_week and int((week + 1) * share + 1e-9) > int(week * share + 1e-9)

    def has_session(self, day: int) -> bool:
        """The organisation's own sessions, spread evenly over the week."""
        rate = self.sessions_per_week / 7.0
        return int((day + 1) * rate) > int(day * rate)

    def places_on(self, day: int) -> float:
        """Places open today: a funded opening day's, else an own session's, else none (times the deliberation weight)."""
        if self.funded_open(day):
            return max(self.funded_places, self.base_places) * self.weight
        return self.base_places * self.weight if self.has_session(day) else 0.0

    def need_places(self, occupancy: float) -> int:
        """Places left for residents with a recorded need after regular attendees."""
        total = int(self.open_places)
        return total - round(total * occupancy)


@dataclass
class Organisation:
    """A hub-type (coordinates volunteers) or service-type (runs programmes) social organisation."""

    kind: OrgKind
    community: int
    venue: tuple[int, int]
    programmes: list[ProgrammeRun] = field(default_factory=list)
    professional_slot: int | None = None  # the community's pooled purchased-services contract
    coordination_hours_per_week: float = 0.0


@dataclass
class Fund:
    """A community development fund (社区发展基金) held at the charity federation: gifts in, grants out."""

    community: int
    balance_yuan: float = 0.0          # money and goods available for grants
    match_reserve_yuan: float = 0.0    # government seed kept to match donations
    donated_money_yuan: float = 0.0
    donated_goods_yuan: float = 0.0
    matched_yuan: float = 0.0
    seed_in_yuan: float = 0.0
    granted_yuan: float = 0.0

    def deposit_seed(self, yuan: float, matching: bool) -> None:
        """Government seed money: kept to match donations when matching is on, else granted freely."""
        self.seed_in_yuan += yuan
        if matching:
            self.match_reserve_yuan += yuan
        else:
            self.balance_yuan += yuan

    def release_reserve(self) -> None:
        """Seed money a period's gifts did not draw as matches becomes grantable: nothing stays locked away."""
        self.balance_yuan += self.match_reserve_yuan
        self.match_reserve_yuan = 0.0

    def donate(self, money_yuan: float, goods_yuan: float, ratio: float) -> float:
        """A gift; money is matched at ``ratio`` from the reserve. Returns the match."""
        match = min(ratio * money_yuan, self.match_reserve_yuan)
        self.match_reserve_yuan -= match
        self.donated_money_yuan += money_yuan
        self.donated_goods_yuan += goods_yuan
        self.matched_yuan += match
        self.balance_yuan += money_yuan + goods_yuan + match
        return match

    def grant(self, yuan: float) -> bool:
        """Pay a grant when the balance allows."""
        if yuan > self.balance_yuan:
            return False
        self.balance_yuan -= yuan
        self.granted_yuan += yuan
        return True

    @property
    def raised_yuan(self) -> float:
        """Charity raised: money and goods donated."""
        return self.donated_money_yuan + self.donated_goods_yuan

    @property
    def holdings_yuan(self) -> float:
        """Everything the fund holds."""
        return self.balance_yuan + self.match_reserve_yuan


NEVER_SCREENED_DAY = -100_000  # a day long before any run: never on the register


class VisitRegister:
    """走访台账: the day each household was last screened by a home visit or outreach."""

    def __init__(self, households: int) -> None:
        self.screened_day = np.full(households, NEVER_SCREENED_DAY, dtype=np.int32)

    def record(self, households: np.ndarray, day: int) -> None:
        """Households screened on ``day``."""
        self.screened_day[households] = day

    def on_register(self) -> np.ndarray:
        """Households screened at least once."""
        return self.screened_day > NEVER_SCREENED_DAY

    def strength(self, households: np.ndarray, day: int, memory_days: float) -> np.ndarray:
        """exp(-days since screening / memory) for households screened before ``day``, else 0."""
        age = day - self.screened_day[households]
        return np.where((age >= 1) & (self.screened_day[households] > NEVER_SCREENED_DAY),
                        np.exp(-np.maximum(age, 0) / memory_days), 0.0)
