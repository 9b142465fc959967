"""CommunityFund: a community development fund as a Mesa agent, a view of a ``sim.core.records.Fund``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa import Agent

from sim.core.records import Fund

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel


class CommunityFund(Agent):
    """A community development fund (社区发展基金) held at the charity federation."""

    def __init__(self, model: FiveSocietyModel, fund: Fund) -> None:
        super().__init__(model)
        self.fund = fund

    @property
    def community(self) -> int:
        """Index of the community."""
        return self.fund.community

    @property
    def balance_yuan(self) -> float:
        """Money and goods available for grants."""
        return self.fund.balance_yuan

    @property
    def raised_yuan(self) -> float:
        """Charity raised: money and goods donated."""
        return self.fund.raised_yuan

    @property
    def granted_yuan(self) -> float:
        """Grants paid so far."""
        return self.fund.granted_yuan

    @property
    def holdings_yuan(self) -> float:
        """Everything the fund holds."""
        return self.fund.holdings_yuan
