"""The provider pools now live in the core (``sim.core.pools``); this name stays for code that imports it here."""

from sim.core.pools import POOL_FIELDS, ContractPool, HoursPool, VolunteerPool

__all__ = ["POOL_FIELDS", "ContractPool", "HoursPool", "VolunteerPool"]
