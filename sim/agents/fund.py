"""CommunityFund: donations in (money and goods, matched when policy says), grants out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa import Agent

if TYPE_CHECKING:
    from sim.model import FiveSocietyModel


class CommunityFund(Agent):
    """A community development fund (社区发展基金) held at the charity federation."""

    def __init__(self, model: FiveSocietyModel, community: int) -> None:
        super().__init__(model)
        self.community = community
        self.balance_yuan = 0.0          # money and goods available for grants
        self.match_reserve_yuan = 0.0    # government seed kept to match donations
        self.donated_money_yuan = 0.0
        self.donated_goods_yuan = 0.0
        self.matched_yuan = 0.0
        self.seed_in_yuan = 0.0
        self.granted_yuan = 0.0

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
