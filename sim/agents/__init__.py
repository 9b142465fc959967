"""The Mesa agents of the five societies (plus the residents they serve).

Agents are thin views: their state lives in the model's arrays (population, provider pools) so
that daily processes run vectorised; an agent reads and shows one entry.
"""

from sim.agents.committee import CommunityCommittee
from sim.agents.fund import CommunityFund
from sim.agents.organization import SocialOrganization
from sim.agents.resident import Resident
from sim.agents.social_worker import SocialWorker
from sim.agents.volunteer import Volunteer

__all__ = ["CommunityCommittee", "CommunityFund", "Resident", "SocialOrganization", "SocialWorker", "Volunteer"]
