"""The model's core: the district's state and the phases of a day, without Mesa.

- ``sim.core.state``: ``DistrictState``, the one object the phases read and change;
- ``sim.core.build``: ``build_state(scenario, seed)``, the state on day 0;
- ``sim.core.day``: ``PHASES`` in order and ``step_day(state, scenario, day)``;
- ``sim.core.records``: committees, organisations, funds, programmes, the visit register;
- ``sim.core.effort``: the day's last phase (hours given outside matched services).

``sim.model.FiveSocietyModel`` is the Mesa view on top. (Submodules are imported where used, so
that phase modules may import ``sim.core.state`` without a cycle.)
"""
