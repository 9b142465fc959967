"""Providers that give hours (volunteers, social workers, professional organisations) as arrays.

Each provider has a slot: its home community, the area it serves (its community, or its street
for station social workers), where it is, its weekly hours, the hours banked for use (refilled daily,
capped at one week's worth) and the hours it has given. ``credited`` counts every hour ever put
in the bank, so ``given <= credited`` audits that no provider serves more hours than it has;
``served`` counts the hours given to needs (the rest went to sessions and visits), which the
needs' own ledgers must add up to. The cap only limits how much time is held in hand: a need
larger than a bank is given its hours in parts (``sim.lifecycle.deliver``).
"""

from __future__ import annotations

import numpy as np

from sim.core.table import F64, I16, I32, I64, ArrayTable, Bool

class HoursPool(ArrayTable):
    """A growable struct of arrays of hour-giving providers."""

    BANK_WEEKS = 1.0  # paid hours are perishable: at most one week's hours in hand [assumed]

    community: I16
    area: I16
    x_m: F64
    y_m: F64
    hours_per_week: F64
    refill_per_week: F64
    bank: F64
    given: F64
    credited: F64
    given_today: F64
    served: F64
    skills: I32
    active: Bool

    def __init__(self, capacity: int = 16) -> None:
        super().__init__(capacity)

    def add(self, count: int, **columns: np.ndarray | float) -> np.ndarray:
        """Add ``count`` providers; returns their slots."""
        self._reserve(self.size + count)
        slots = np.arange(self.size, self.size + count)
        self._put(slots, columns)
        self.active[slots] = True
        self.size += count
        return slots

    def refill(self, activation: np.ndarray | float = 1.0) -> None:
        """Add one day's hours (times ``activation``, per slot or for all) to every active bank, capped at ``BANK_WEEKS`` weeks' refill."""
        n = self.size
        add = np.where(self.active[:n], self.refill_per_week[:n] / 7.0 * activation, 0.0)
        room = np.maximum(0.0, self.BANK_WEEKS * self.refill_per_week[:n] - self.bank[:n])
        add = np.minimum(add, room)
        self.bank[:n] += add
        self.credited[:n] += add
        self.given_today[:n] = 0.0

    def spend(self, slot: int, hours: float) -> None:
        """Use ``hours`` of one provider's bank to serve a need."""
        self.bank[slot] -= hours
        self.given[slot] += hours
        self.given_today[slot] += hours
        self.served[slot] += hours

    def spend_many(self, spent: list[tuple[int, float]], bank: dict[int, float]) -> None:
        """``spend`` of each (slot, hours) in order, given each touched slot's bank after them.

        Per-slot sums are added in the listed order, so the result equals that of the ``spend`` calls.
        """
        if not spent:
            return
        slots, hours = np.array([s for s, _ in spent], dtype=np.int64), np.array([h for _, h in spent])
        touched = np.fromiter(bank, dtype=np.int64, count=len(bank))
        self.bank[touched] = np.fromiter(bank.values(), dtype=float, count=len(bank))
        for column in (self.given, self.given_today, self.served):
            np.add.at(column, slots, hours)

    def give_unbanked(self, slots: np.ndarray, hours: np.ndarray, served: bool) -> None:
        """Hours given straight from time kept outside the bank (list visits): credited and given at once."""
        np.add.at(self.credited, slots, hours)
        np.add.at(self.given, slots, hours)
        np.add.at(self.given_today, slots, hours)
        if served:
            np.add.at(self.served, slots, hours)

    def spend_spread(self, slots: np.ndarray, hours: float) -> np.ndarray:
        """Use ``hours`` spread over ``slots`` in proportion to their banks; returns hours per slot."""
        banks = self.bank[slots]
        total = float(banks.sum())
        if total <= 0.0 or hours <= 0.0:
            return np.zeros(len(slots))
        share = banks * min(1.0, hours / total)
        self.bank[slots] -= share
        self.given[slots] += share
        self.given_today[slots] += share
        return share

    def audit(self) -> bool:
        """True when no provider has given more hours than were ever credited to it."""
        return bool(np.all(self.view("given") <= self.view("credited") + 1e-6))


class ContractPool(HoursPool):
    """Purchased professional services: one caseload contract per community, drawn on over a quarter."""

    BANK_WEEKS = 13.0  # a contract's hours are invoiced by the funding quarter, not lost weekly [assumed]


class VolunteerPool(HoursPool):
    """Volunteers: hour-givers with a resident, motivation, points and a quitting clock."""

    BANK_WEEKS = 4.0  # volunteers plan their month: up to four weeks' pledge in hand [assumed]

    resident: I64
    motivation: F64
    points: F64
    patrol: Bool
    joined_day: I32
    left_day: I32
    quit_threshold: F64
    quit_hazard: F64
    load: F64
    initial: Bool


POOL_FIELDS = HoursPool.COLUMNS  # the columns every pool has (the old name)
