"""The scenario schema: every key a scenario file may hold, with units, defaults and bounds.

Field descriptions start with a source tag: ``[seed: <place>]`` for figures from the source
documents (../shared/seed/FACTS.md), ``[lit: <ref>]`` for literature values and ``[assumed]``
for modelling assumptions. ``docs/scenario-format.md`` is generated from this module.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.needs import DEFAULTS, NEED_TYPES, PROGRAMME_TYPES, NeedType, Programme, Provider


class Strict(BaseModel):
    """Base for every table: unknown keys rejected, types strict, numbers finite."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0, le=1e9)]
RatePerYear = Annotated[float, Field(ge=0.0, le=365.0)]
Hours = Annotated[float, Field(ge=0.0, le=1000.0)]
Yuan = Annotated[float, Field(ge=0.0, le=1e8)]


class SpreadRule(str, Enum):
    """How a budget line is spread across communities."""

    EQUAL = "equal"
    PER_CAPITA = "per_capita"
    NEED_WEIGHTED = "need_weighted"
    PERFORMANCE = "performance"


class MatchingScope(str, Enum):
    """Where a need may find a provider."""

    COMMUNITY = "community"
    PLATFORM = "platform"


class ServiceMode(str, Enum):
    """List-based scheduled routine service, order-based on demand, or both."""

    ORDER = "order"
    LIST = "list"
    MIXED = "mixed"


class ProviderKind(str, Enum):
    """A kind of provider a need type may be served by."""

    VOLUNTEER = "volunteer"
    SOCIAL_WORKER = "social_worker"
    PROGRAMME = "programme"
    PROFESSIONAL = "professional"
    FUND = "fund"

    @property
    def flag(self) -> Provider:
        """The provider flag the model uses."""
        return Provider[self.name]


ProviderKinds = list[Annotated[ProviderKind, Field(strict=False)]]


class Community(Strict):
    """One community (社区) or village: a rectangular block of the district grid."""

    residents: int = Field(5000, ge=1, le=500_000, description="[seed: places] number of residents")
    area_km2: float = Field(1.0, gt=0.0, le=100.0, description="[seed: Xiangmin 2.2 km2] area of the block")
    compounds: int = Field(6, ge=1, le=200, description="[seed: Xiangmin 8] residential compounds (小区)")
    work_units: int = Field(3, ge=0, le=500, description="[seed: Xiangmin 9] large work units that give to the fund")
    share_elderly: Share = Field(0.18, description="[seed: Xiangmin >1/3 elderly or children] share aged 60+")
    share_children: Share = Field(0.16, description="[seed: Xiangmin >1/3 elderly or children] share under 15")
    share_disabled: Share = Field(0.05, description="[assumed; China 2nd disability survey 6.3%] share with a disability")
    share_hardship: Share = Field(0.02, description="[seed: Qiaotou 90 households] share in hardship households")
    digital_share_elderly: Share = Field(0.45, description="[lit: CNNIC 2023, ~half of 60+ online] elderly who can report online")
    digital_share_other: Share = Field(0.9, description="[lit: CNNIC 2023] others (children via parents) who can report online")
    vulnerable_clustering: Share = Field(0.0, description="[seed: Qiaotou] 0 = elderly/disabled spread evenly, 1 = all in the first compounds")
    volunteers: int = Field(150, ge=0, le=200_000, description="[seed: platform 14,000 / 498 communities ~ 28] initial volunteers")
    has_station: bool = Field(False, description="[seed: Changsha] the street's social-work station sits in this community")
    street: str = Field("", max_length=200, description="[seed: Changsha street stations] street (街道) or township; its station's workers serve all its communities; empty = its own")
    programmes: list[Annotated[Programme, Field(strict=False)]] = Field(
        [Programme.CANTEEN, Programme.DAY_CARE, Programme.CLASSES, Programme.MARKET],
        description="[seed: Xiangmin, Qiaotou, Donglanwan] group programmes run at the service point",
    )
    performance_prior: Share = Field(0.5, description="[assumed] coverage assumed for performance-based funding before any is observed")
    extra_budget_yuan: Yuan = Field(0.0, description="[lever] extra yuan a year earmarked for this community on top of its spread share of the budget, split across lines like the budget")
    name_zh: str = Field("", max_length=200, description="Chinese name shown in Chinese reports (default: the community's key)")

    @model_validator(mode="after")
    def _groups_fit(self) -> Community:
        if self.share_elderly + self.share_children > 1.0:
            raise ValueError("share_elderly + share_children exceed 1 (allowed: a sum of at most 1)")
        return self


class NeedParams(Strict):
    """Arrival and service parameters of one need type; omitted keys keep the type's defaults."""

    rate_child_per_year: RatePerYear | None = Field(None, description="[assumed] needs per child-year")
    rate_working_per_year: RatePerYear | None = Field(None, description="[assumed] needs per working-age resident-year")
    rate_elderly_per_year: RatePerYear | None = Field(None, description="[lit: 5-6% new care need a year over 65] needs per elderly resident-year")
    hours_mean: Hours | None = Field(None, description="[assumed] mean hours of work to serve one need")
    yuan_mean: Yuan | None = Field(None, description="[assumed] mean yuan to relieve one need (material hardship)")
    patience_days: Annotated[int, Field(ge=1, le=3650)] | None = Field(None, description="[assumed] days a need waits before it is closed unmet")
    hidden_share: Share | None = Field(None, description="[assumed; an uncertainty: plausible range x0.5 to x2 of the type defaults, 0.15-0.51 of all needs (defaults 0.30), from non-take-up of social assistance 16-55% (Eurofound 2015) and ~50% of eligible urban dibao families (Gao, Garfinkel & Zhai 2009); docs/ODD.md section 7] share of needs the resident does not report")
    severe_share: Share | None = Field(None, description="[assumed] share of needs that are complex and need a social worker")
    providers: ProviderKinds | None = Field(None, description="[assumed] kinds of provider that may serve the type's routine needs (volunteer, social_worker, programme, professional, fund)")
    severe_providers: ProviderKinds | None = Field(None, description="[seed: social workers do case work] kinds of provider that may serve the type's severe needs")


MAX_COMMUNITIES = 100_000  # a sanity bound so a typo cannot hang validation; the real bound is the memory estimate


class StreetKind(str, Enum):
    """The unit of a city's streets level: an urban street (街道) or a town/township (镇/乡)."""

    STREET = "street"
    TOWN = "town"


class Unit(str, Enum):
    """What a generated community is called: an urban community (社区) or a village (村)."""

    COMMUNITY = "community"
    VILLAGE = "village"


class CityType(Strict):
    """One type of community in a city description: how many, how large, who lives there."""

    name: str = Field(..., min_length=1, max_length=200, description="English name of the type, shown by `sim describe`")
    name_zh: str = Field(..., min_length=1, max_length=200, description="Chinese name of the type, shown by `sim describe --lang zh`")
    communities: int = Field(..., ge=0, le=MAX_COMMUNITIES, description="communities of this type in the full city (scale 1)")
    residents_share: Share = Field(..., description="share of the city's residents living in communities of this type (the types' shares sum to 1)")
    residents_cv: float = Field(0.3, ge=0.0, le=2.0, description="[assumed] spread of community sizes within the type (coefficient of variation of a lognormal)")
    area_km2: float = Field(..., gt=0.0, le=100.0, description="mean area of one community of the type in the full city; a generated community's area keeps the type's density")
    street_kind: Annotated[StreetKind, Field(strict=False)] = Field(..., description="which street units hold the type: street (街道) or town (镇/乡)")
    unit: Annotated[Unit, Field(strict=False)] = Field(Unit.COMMUNITY, description="what one is called: community (社区) or village (村)")
    compounds: int = Field(6, ge=1, le=200, description="residential compounds (小区) or village groups of one community")
    work_units: int = Field(3, ge=0, le=500, description="large work units of one community")
    share_elderly: Share = Field(0.18, description="share aged 60+")
    share_children: Share = Field(0.16, description="share under 15")
    share_disabled: Share = Field(0.05, description="share with a disability")
    share_hardship: Share = Field(0.02, description="share in hardship households")
    digital_share_elderly: Share = Field(0.45, description="elderly who can report online")
    digital_share_other: Share = Field(0.9, description="others who can report online")
    vulnerable_clustering: Share = Field(0.0, description="0 = elderly/disabled spread evenly, 1 = all in the first compounds")
    volunteers: int = Field(28, ge=0, le=200_000, description="[seed: platform 14,000 / 498 communities ~ 28] initial volunteers per community")
    programmes: list[Annotated[Programme, Field(strict=False)]] = Field(
        [Programme.CANTEEN, Programme.DAY_CARE, Programme.CLASSES, Programme.MARKET], description="group programmes at the service point")

    @model_validator(mode="after")
    def _groups_fit(self) -> CityType:
        if self.share_elderly + self.share_children > 1.0:
            raise ValueError("share_elderly + share_children exceed 1 (allowed: a sum of at most 1)")
        return self


class District(Strict):
    """A county-level district of a city: how many of the city's streets and towns it holds."""

    name: str = Field(..., min_length=1, max_length=200, description="English name, the start of its communities' keys and names")
    name_zh: str = Field(..., min_length=1, max_length=200, description="Chinese name, the start of its communities' Chinese names")
    streets: int = Field(0, ge=0, le=MAX_COMMUNITIES, description="urban streets (街道) of the district in the full city")
    towns: int = Field(0, ge=0, le=MAX_COMMUNITIES, description="towns and townships (镇/乡) of the district in the full city")


class City(Strict):
    """A compact city description (``[city]``) that the loader expands into streets and communities.

    The full city (``scale = 1``) has the types' community counts, ``residents`` and ``streets`` +
    ``towns`` street units. ``scale`` shrinks every count; ``communities`` and
    ``residents_per_community`` ask for a city of N communities of about R residents on average.
    The budget is always ``budget_yuan`` x generated residents / ``residents`` (the city's yuan per
    resident).
    """

    seed: int = Field(0, ge=0, le=2**63 - 1, description="seed of the generation alone (not the run seed): the city's geography stays the same across runs and policies")
    residents: int = Field(..., ge=1, le=1_000_000_000, description="residents of the full city")
    budget_yuan: float = Field(..., ge=0.0, le=1e11, description="yearly budget of the full city; a generated city gets budget_yuan x its residents / residents")
    streets: int = Field(..., ge=0, le=MAX_COMMUNITIES, description="urban streets (街道) of the full city, one social-work station each")
    towns: int = Field(0, ge=0, le=MAX_COMMUNITIES, description="towns and townships (镇/乡) of the full city, one social-work station each")
    scale: float = Field(1.0, gt=0.0, le=10.0, description="fraction of the full city to generate (0.01: a hundredth of its communities, residents, streets and budget)")
    communities: int | None = Field(None, ge=1, le=MAX_COMMUNITIES, description="number of communities to generate (overrides scale's count); streets follow the city's communities per street")
    residents_per_community: int | None = Field(None, ge=1, le=500_000, description="mean residents per generated community (residents = communities x this); types keep their relative sizes")
    types: dict[str, CityType] = Field(..., min_length=1, max_length=100, description="community types keyed by a short name")
    districts: dict[str, District] = Field(default_factory=dict, max_length=100, description="county-level districts the street units are grouped into (optional)")

    @model_validator(mode="after")
    def _consistent(self) -> City:
        problems = []
        share = sum(t.residents_share for t in self.types.values())
        if abs(share - 1.0) > 1e-6:
            problems.append(f"types: residents_share of the types sum to {share:.9g} (allowed: a sum of 1 within 1e-6)")
        for key, spec in self.types.items():
            if spec.communities and spec.residents_share <= 0:
                problems.append(f"types.{key}.residents_share: 0 for a type of {spec.communities} communities "
                                "(allowed: > 0, or communities = 0)")
        if sum(t.communities for t in self.types.values()) < 1:
            problems.append("types: no communities in the full city (allowed: at least one type with communities >= 1)")
        for kind, count in ((StreetKind.STREET, self.streets), (StreetKind.TOWN, self.towns)):
            held = sum(t.communities for t in self.types.values() if t.street_kind is kind)
            if held and count < 1:
                problems.append(f"{kind.value}s: {count} but types hold {held} communities in {kind.value}s (allowed: at least 1)")
            if self.districts and sum(getattr(d, f"{kind.value}s") for d in self.districts.values()) != count:
                got = sum(getattr(d, f"{kind.value}s") for d in self.districts.values())
                problems.append(f"districts: their {kind.value}s sum to {got} (allowed: the city's {kind.value}s, {count})")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class Needs(Strict):
    """Per-type overrides and group multipliers of need arrival."""

    disabled_multiplier: float = Field(2.0, ge=0.0, le=20.0, description="[assumed] arrival multiplier for disabled residents")
    hardship_multiplier: float = Field(1.5, ge=0.0, le=20.0, description="[assumed] arrival multiplier for hardship households")
    elderly_care: NeedParams = NeedParams()
    meals: NeedParams = NeedParams()
    health: NeedParams = NeedParams()
    child_care: NeedParams = NeedParams()
    companionship: NeedParams = NeedParams()
    mediation: NeedParams = NeedParams()
    material_hardship: NeedParams = NeedParams()
    daily_life: NeedParams = NeedParams()

    def for_type(self, need_type: NeedType) -> NeedParams:
        """The override table of one need type."""
        return getattr(self, need_type.value)


class Volunteers(Strict):
    """Volunteer time, recruitment and quitting."""

    hours_per_week: float = Field(1.6, ge=0.0, le=40.0, description="[lit: ~7 h a month per active volunteer] pledged hours")
    recruit_rate_per_year: float = Field(0.01, ge=0.0, le=1.0, description="[assumed] yearly chance a non-volunteer adult joins")
    quit_rate_per_year: float = Field(0.30, ge=0.0, le=0.99, description="[lit: 25-33% quit within a year] base yearly quitting")
    overload_quit_multiplier: float = Field(2.0, ge=1.0, le=10.0, description="[assumed] hazard multiplier at 100% overload")
    supervision_quit_reduction: Share = Field(0.3, description="[lit: supervision improves retention] hazard cut when fully supervised")
    skill_share: Share = Field(0.6, description="[assumed] chance a volunteer has each service skill")
    local_radius_m: float = Field(600.0, gt=0.0, le=50_000.0, description="[assumed] how far a volunteer walks to serve without a platform")
    hours_per_recruit_coordination: float = Field(20.0, gt=0.0, le=1000.0, description="[assumed] hub-organisation hours per volunteer recruited")
    unorganised_activation: Share = Field(0.4, description="[assumed; seed: social workers organise volunteers] share of pledged hours an unorganised volunteer actually gives")
    volunteers_per_coordination_hour: float = Field(5.0, ge=0.0, le=100.0, description="[assumed] volunteers one weekly hub-organisation hour organises")


class SocialWorkers(Strict):
    """Professional social workers based at stations."""

    hours_per_week: float = Field(40.0, ge=1.0, le=60.0, description="[assumed] paid hours a week")
    casework_share: Share = Field(0.6, description="[assumed] share of hours for case work")
    outreach_share: Share = Field(0.2, description="[assumed] share of hours for outreach (discovery); the rest supervises volunteers")
    volunteers_per_supervision_hour: float = Field(5.0, gt=0.0, le=100.0, description="[assumed] volunteers one weekly hour supervises")
    base_workers: float = Field(0.0, ge=0.0, le=1000.0, description="[assumed] workers per community paid outside the modelled budget")


class Organizations(Strict):
    """Community social organisations and their programmes."""

    service_orgs: int = Field(2, ge=0, le=100, description="[seed: Heshan 8 organisations] service-type organisations per community")
    hub_orgs: int = Field(1, ge=0, le=20, description="[seed: hub-type 枢纽型] hub organisations per community")
    sessions_per_week: float = Field(2.0, ge=0.0, le=14.0, description="[seed: Donglanwan weekly market] sessions of each programme")
    base_places: int = Field(10, ge=0, le=10_000, description="[assumed] places per session without modelled funding")
    regular_occupancy: Share = Field(0.7, description="[assumed] share of places taken by regular attendees without a recorded need")
    session_staff_hours: float = Field(2.0, ge=0.0, le=24.0, description="[assumed] organisation staff hours per programme session")
    session_volunteer_hours: float = Field(4.0, ge=0.0, le=200.0, description="[seed: Donglanwan volunteer market] volunteer helper hours per session, from the community's volunteers")


class Opening(Strict):
    """A funded programme's real schedule: opening days a week and places a day."""

    days_per_week: int = Field(5, ge=0, le=7, description="[assumed] opening days a week when money pays for the week")
    places_per_day: float = Field(20.0, ge=0.0, le=10_000.0, description="[assumed] places (meals, day-care places, seats, visitors) an opening day holds")


class Schedules(Strict):
    """What demonstration money opens: each programme's week (yuan per place-day in ``conversion``)."""

    canteen: Opening = Field(Opening(days_per_week=6, places_per_day=40.0), description="[assumed; seed: Qiaotou seniors' canteen] lunch six days a week, ~40 meals")
    day_care: Opening = Field(Opening(days_per_week=5, places_per_day=20.0), description="[assumed; seed: Qiaotou home-based elderly-care centre] weekdays, ~20 places")
    classes: Opening = Field(Opening(days_per_week=2, places_per_day=25.0), description="[assumed] two class days a week, ~25 seats")
    market: Opening = Field(Opening(days_per_week=1, places_per_day=60.0), description="[seed: Donglanwan weekly 360 volunteer market] one day a week; ~60 visitors [assumed]")

    def of(self, programme: Programme) -> Opening:
        """The schedule of one programme."""
        opening: Opening = getattr(self, Programme(programme).value)
        return opening


class Giving(Strict):
    """Charity: residents' and work units' donations into the community fund."""

    donors_per_1000_per_year: float = Field(20.0, ge=0.0, le=1000.0, description="[assumed] gifts a year per 1,000 residents")
    gift_mean_yuan: float = Field(100.0, ge=0.0, le=1e6, description="[assumed] mean gift of a resident")
    unit_gifts_per_year: float = Field(2.0, ge=0.0, le=365.0, description="[assumed] gifts a year per work unit")
    unit_gift_mean_yuan: float = Field(3000.0, ge=0.0, le=1e8, description="[assumed] mean gift of a work unit")
    goods_share: Share = Field(0.6, description="[seed: Qiaotou 113k goods vs 67k money] share of gifts made in goods")
    matching_response: float = Field(0.22, ge=0.0, le=5.0, description="[lit: Karlan & List 2007, +22% givers] extra gifts when matched")


class Budget(Strict):
    """The yearly government budget and how it is split and spread."""

    total_yuan: float = Field(24_000.0, ge=0.0, le=1e11, description="[seed: Changsha 50 M yuan / 10.42 M residents = 4.80 a resident] x a default community of 5,000: yearly budget")
    split_stations: Share = Field(0.44, description="[seed: Changsha 22 M / 50 M] social-work stations")
    split_demonstration: Share = Field(0.46, description="[seed: Changsha 23 M / 50 M] demonstration communities (programmes)")
    split_hub_awards: Share = Field(0.04, description="[seed: Changsha 2 M / 50 M] awards to hub organisations")
    split_purchased_services: Share = Field(0.04, description="[seed: Changsha 2 M / 50 M] purchased professional services")
    split_fund_seed: Share = Field(0.02, description="[assumed] seed money for community funds")
    spread_rule: Annotated[SpreadRule, Field(strict=False)] = Field(SpreadRule.PER_CAPITA, description="[assumed] rule spreading every line across communities")

    @model_validator(mode="after")
    def _split_sums_to_one(self) -> Budget:
        total = sum(getattr(self, f"split_{line}") for line in BUDGET_LINES)
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"split_* shares sum to {total:.12g} (allowed: a sum of 1 within 1e-9)")
        return self


BUDGET_LINES = ("stations", "demonstration", "hub_awards", "purchased_services", "fund_seed")


class Conversion(Strict):
    """How yuan turn into capacity."""

    yuan_per_social_worker_year: float = Field(
        110_000.0, gt=0.0, le=1e7,
        description="[lit: Hunan community worker 4-7k yuan a month, employer insurance ~1.5k] (5,500x12 + 15,000 + 1,500x12) x 1.1 overhead [assumed]: one worker with on-costs",
    )
    yuan_per_place_day: float = Field(12.0, gt=0.0, le=1e5, description="[assumed] running cost of one programme place for one opening day (staff, venue, meal or care subsidy)")
    yuan_per_hub_hour: float = Field(60.0, gt=0.0, le=1e5, description="[assumed] cost of one hub-organisation hour")
    yuan_per_professional_hour: float = Field(80.0, gt=0.0, le=1e5, description="[assumed] cost of one purchased professional hour")


class Discovery(Strict):
    """Active discovery of hidden needs."""

    patrol_share: Share = Field(0.0, description="[seed: Jiliqiao yellow hats] share of volunteers in patrol teams")
    patrol_hours_per_week: float = Field(1.0, ge=0.0, le=40.0, description="[assumed] patrol hours of a patrolling volunteer")
    residents_per_patrol_hour: float = Field(8.0, ge=0.0, le=200.0, description="[assumed] residents a patrol hour reaches")
    patrol_detect_prob: Share = Field(0.5, description="[assumed] chance a patrol contact finds a hidden need")
    contact_interval_days: int = Field(0, ge=0, le=365, description="[seed: Jiliqiao weekly contact] days between representative contacts, 0 = off")
    visit_interval_days: int = Field(0, ge=0, le=365, description="[seed: Jiliqiao monthly visit] days between home visits, 0 = off")
    meeting_interval_days: int = Field(0, ge=0, le=365, description="[seed: Jiliqiao quarterly meeting] days between meetings, 0 = off")
    contact_detect_prob: Share = Field(0.1, description="[assumed] chance a contact finds a hidden need")
    visit_detect_prob: Share = Field(0.4, description="[assumed] chance a home visit finds a hidden need")
    meeting_detect_prob: Share = Field(0.15, description="[assumed] chance a meeting surfaces a hidden need")
    outreach_hours_per_household: float = Field(0.75, gt=0.0, le=20.0, description="[assumed: a 30-minute home visit with a needs checklist plus the walk to the next door] social-worker outreach hours to screen one household")
    outreach_detect_prob: Share = Field(0.7, description="[assumed] chance outreach finds a hidden need")
    walk_in_rate_per_day: float = Field(0.3, ge=0.0, le=10.0, description="[assumed] daily reporting hazard at the service point's door")
    walk_in_decay_m: float = Field(800.0, gt=0.0, le=1e5, description="[assumed] distance over which walk-in reporting falls by 1/e")
    online_rate_per_day: float = Field(1.0, ge=0.0, le=10.0, description="[assumed] daily reporting hazard online")
    residents_per_household: float = Field(2.62, ge=1.0, le=20.0, description="[lit: China 7th census 2020, 2.62 persons per family household (NBS, 11 May 2021)] residents per household visited")
    representatives_per_100_households: float = Field(9.0, ge=0.0, le=100.0, description="[lit: Organic Law of Urban Residents' Committees 1989 art. 9, 2-3 representatives per residents' group; 1954 Regulations art. 3, groups of 15-40 households: 2.5 / 27.5 = 9 per 100] resident representatives")
    representative_hours_per_week: float = Field(1.0, ge=0.0, le=40.0, description="[assumed: unpaid residents, a little under a volunteer's 1.6 pledged hours] hours a representative gives to contacts, visits and meetings")
    contact_hours_per_household: float = Field(0.1, ge=0.0, le=8.0, description="[assumed: a 5-minute call or doorstep greeting plus the note] hours of one contact")
    visit_hours_per_household: float = Field(0.5, ge=0.0, le=8.0, description="[assumed: a 20-30 minute home visit plus the walk] hours of one home visit")
    meeting_hours_per_representative: float = Field(2.0, ge=0.0, le=24.0, description="[assumed: a two-hour meeting] hours each representative spends on one meeting")
    committee_staff_per_10000: float = Field(18.0, ge=0.0, le=1000.0, description="[lit: State Council 14th five-year plan for urban and rural community services (国办发〔2021〕56号), 18 community workers per 10,000 urban residents] committee staff (社区工作者)")
    committee_staff_hours_per_week: float = Field(40.0, ge=0.0, le=60.0, description="[assumed: a standard working week] paid hours of one committee staff member")
    committee_staff_discovery_share: Share = Field(0.1, description="[assumed: most staff time goes to administrative duties] share of staff hours the committee may give to contacts, visits and meetings")
    committee_staff_yuan_per_hour: float = Field(30.0, ge=0.0, le=1e4, description="[assumed: about 5,000 yuan a month over 170 hours] cost of one committee staff hour")
    register_report_rate_per_day: float = Field(0.02, ge=0.0, le=10.0, description="[assumed; lit: lack of information is a main cause of non-take-up, Eurofound 2015] daily hazard that a hidden need of a household screened just now is found (it knows whom to call)")
    register_memory_days: float = Field(180.0, gt=0.0, le=3650.0, description="[assumed: a visit log goes stale in about half a year] days over which the register's effect falls by 1/e")


class Linkage(Strict):
    """The linkage policies (each can be off)."""

    discovery: Discovery = Discovery()
    online_reporting: bool = Field(False, description="[seed: Donglanwan app] residents who are digital report online")
    matching_scope: Annotated[MatchingScope, Field(strict=False)] = Field(MatchingScope.COMMUNITY, description="[seed: 爱星社 platform] community-only or district platform matching")
    platform_radius_m: float = Field(2000.0, gt=0.0, le=50_000.0, description="[assumed: a 25-minute walk or a short bus or bicycle ride] how far volunteers, social workers and professionals travel to a need the platform matches across communities")
    service_mode: Annotated[ServiceMode, Field(strict=False)] = Field(ServiceMode.ORDER, description="[seed: Heshan] order-based, list-based or mixed service")
    list_share: Share = Field(0.3, description="[assumed] share of volunteer hours kept for list visits when the mode is list or mixed")
    list_interval_days: int = Field(14, ge=1, le=365, description="[assumed] days between scheduled visits to a listed household")
    list_visit_hours: float = Field(0.5, gt=0.0, le=8.0, description="[assumed] volunteer hours one routine visit takes")
    list_elderly_share: Share = Field(0.3, description="[assumed] share of elderly residents on the visit list (living alone); hardship and disabled always are")
    points_enabled: bool = Field(False, description="[seed: Heshan merit bank, Shuyang 积分制] volunteers earn points")
    points_quit_reduction: Share = Field(0.25, description="[assumed] cut in quitting hazard for volunteers earning points")
    points_recruit_boost: float = Field(0.2, ge=0.0, le=5.0, description="[assumed] extra recruitment with points")
    fund_matching_ratio: float = Field(0.0, ge=0.0, le=10.0, description="[assumed] government yuan added to each donated yuan, 0 = off")
    deliberation: bool = Field(False, description="[seed: Shuyang 议言为定] meetings re-target programme places at unmet needs")
    deliberation_share: Share = Field(0.3, description="[assumed] share of places deliberation may move")
    deliberation_giving_boost: float = Field(0.1, ge=0.0, le=5.0, description="[assumed] extra giving where residents deliberate")


class Scenario(Strict):
    """A whole scenario file."""

    name: str = Field("unnamed", min_length=1, max_length=200, description="short name shown in reports")
    name_zh: str = Field("", max_length=200, description="Chinese name shown in Chinese reports (default: `name`)")
    description: str = Field("", max_length=10_000, description="what the scenario encodes")
    seed: int = Field(0, ge=0, le=2**63 - 1, description="root of every random stream")
    days: int = Field(365, ge=1, le=36_500, description="days to simulate (one step is one day)")
    cell_size_m: float = Field(50.0, ge=5.0, le=1000.0, description="[assumed] side of one grid cell in metres (at least 5 m: a finer grid only costs memory; the layout is also capped at 4,000,000 cells)")
    communities: dict[str, Community] = Field(
        default_factory=lambda: {"community": Community()},
        min_length=1, max_length=MAX_COMMUNITIES,
        description="communities of the district, keyed by a short name (or generated from `[city]`; the total size is bounded by the run's memory estimate, sim.limits)",
    )
    needs: Needs = Needs()
    volunteers: Volunteers = Volunteers()
    social_workers: SocialWorkers = SocialWorkers()
    organizations: Organizations = Organizations()
    schedules: Schedules = Schedules()
    giving: Giving = Giving()
    budget: Budget = Budget()
    conversion: Conversion = Conversion()
    linkage: Linkage = Linkage()

    @model_validator(mode="after")
    def _every_need_has_a_provider(self) -> Scenario:
        problems = [line for need_type in NEED_TYPES for line in dead_ends(self, need_type)]
        if problems:
            raise ValueError("\n".join(problems))
        return self


def providers_of(scenario: Scenario, need_type: NeedType, severe: bool) -> Provider:
    """The kinds of provider that may serve a need type's routine (or severe) needs."""
    key = "severe_providers" if severe else "providers"
    kinds = getattr(scenario.needs.for_type(need_type), key)
    if kinds is None:
        return getattr(DEFAULTS[need_type], key)
    return Provider(sum(int(kind.flag) for kind in set(kinds)))


def present_kinds(scenario: Scenario, community: Community, need_type: NeedType) -> Provider:
    """The kinds of provider that exist for a need type in a community: programmes and professionals need a site."""
    present = Provider.VOLUNTEER | Provider.SOCIAL_WORKER | Provider.FUND
    if scenario.organizations.service_orgs > 0:
        present |= Provider.PROFESSIONAL
    if any(need_type in PROGRAMME_TYPES[p] for p in community.programmes):
        present |= Provider.PROGRAMME
    return present


def dead_ends(scenario: Scenario, need_type: NeedType) -> list[str]:
    """One ``key: problem`` line for each route (routine, severe) of a need type no provider can take."""
    lines = []
    for severe, key in ((False, "providers"), (True, "severe_providers")):
        allowed = providers_of(scenario, need_type, severe)
        stranded = [name for name, c in scenario.communities.items() if not allowed & present_kinds(scenario, c, need_type)]
        if stranded:
            listed = ", ".join(p.name.lower() for p in Provider if p in allowed) or "none"
            lines.append(f"needs.{need_type.value}.{key}: no provider can serve {'severe ' if severe else ''}{need_type.value} "
                         f"needs in {_some(stranded)} (listed: {listed}; programmes and professionals serve only where a "
                         "programme of the type or a service organisation exists): add a provider kind")
    return lines


def _some(names: list[str], shown: int = 5) -> str:
    """The first few names and how many more (a generated city can strand hundreds of communities)."""
    more = f" and {len(names) - shown:,} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more
