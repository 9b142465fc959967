"""Uncertain inputs: ranges read from a TOML file, sampled settings, and the overrides they make.

An uncertainty is a scenario input nobody controls and no source pins down (the hidden-need
share, a detection probability, a unit cost). Each is declared once, with a range, a
distribution and the source or reason for the range::

    [uncertainties.hidden_share]
    key = "needs.*.hidden_share"   # dotted scenario key; * = every need type or every community
    scale = true                   # the value multiplies the scenario's own (default) value
    low = 0.5
    high = 2.0
    distribution = "uniform"       # uniform | loguniform | triangular (then: peak = ...)
    label_en = "share of needs hidden"
    label_zh = "隐性需求比例"
    shown_per_unit = 0.30          # the report shows value x 0.30 ...
    percent = true                 # ... as a percentage
    source = "docs/ODD.md section 7: non-take-up 16-55% (Eurofound 2015)"

A *setting* is one value per uncertainty; ``sample_settings`` draws K of them by Latin hypercube
(``scipy.stats.qmc``), seeded from the experiment seed. ``Settings.overrides`` turns setting k
into dotted overrides of one scenario, so every option runs under the same K settings.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import ScenarioError

DISTRIBUTIONS = ("uniform", "loguniform", "triangular")
FIELDS = {"key", "scale", "low", "high", "distribution", "peak", "integer", "label_en", "label_zh",
          "shown_per_unit", "shown_at", "percent", "source"}
REQUIRED = ("key", "low", "high", "label_en", "label_zh", "source")
DEFAULT_SAMPLES = 8
SETTINGS_TAG = 0x5E771  # mixed into the experiment seed: settings never share a stream with replications
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Uncertainty:
    """One uncertain input: where it goes, its range and distribution, and what to call it."""

    name: str
    key: str
    low: float
    high: float
    label_en: str
    label_zh: str
    source: str
    distribution: str = "uniform"
    peak: float | None = None
    scale: bool = False
    integer: bool = False
    shown_per_unit: float = 1.0
    percent: bool = False
    shown_at: tuple[tuple[float, float], ...] = ()  # measured (value, shown) pairs, interpolated


    def from_unit(self, u: float) -> float:
        """Map ``u`` in [0, 1) into the range through the distribution's quantile function."""
        if self.distribution == "loguniform":
            value = math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        elif self.distribution == "triangular":
            value = _triangular(u, self.low, self.peak if self.peak is not None else (self.low + self.high) / 2, self.high)
        else:
            value = self.low + u * (self.high - self.low)
        return float(min(max(round(value) if self.integer else value, self.low), self.high))

    def label(self, lang: str) -> str:
        """The name a planner reads."""
        return self.label_zh if lang == "zh" else self.label_en

    def shown_number(self, value: float) -> float:
        """The number the report writes for ``value`` (``shown_at`` interpolated, or times ``shown_per_unit``)."""
        if self.shown_at:
            return float(np.interp(value, [a for a, _ in self.shown_at], [b for _, b in self.shown_at]))
        return value * self.shown_per_unit

    def shown(self, value: float) -> str:
        """The value as the report writes it (``42%``, ``0.55``, ``119,000``), to three significant digits."""
        shown = self.shown_number(value)
        if self.percent:
            return f"{100 * shown:.0f}%"
        rounded = float(f"{shown:.3g}")
        times = "×" if self.scale and not self.shown_at and self.shown_per_unit == 1.0 else ""
        return times + (f"{rounded:,.0f}" if abs(rounded) >= 100 else f"{rounded:g}")

    def range_text(self) -> str:
        """``16% – 52%`` or ``0.27 – 0.45 (loguniform)``."""
        text = f"{self.shown(self.low)} – {self.shown(self.high)}"
        return text + ("" if self.distribution == "uniform" else f" ({self.distribution})")


def _triangular(u: float, low: float, peak: float, high: float) -> float:
    """The quantile function of the triangular distribution."""
    if high == low:
        return low
    cut = (peak - low) / (high - low)
    if u < cut:
        return low + math.sqrt(u * (high - low) * (peak - low))
    return high - math.sqrt((1 - u) * (high - low) * (high - peak))


# ---------------------------------------------------------------- reading and checking the file


def load_uncertainties(path: str | Path) -> tuple[Uncertainty, ...]:
    """The uncertainties of a TOML file; every problem is one ``FILE: key: ...`` line (``ScenarioError``)."""
    from sim.loading import read_toml

    path = Path(path)
    data = read_toml(path)
    problems = [f"{path}: {key}: unknown key (allowed: uncertainties)" for key in data if key != "uncertainties"]
    table = data.get("uncertainties")
    if not isinstance(table, dict) or not table:
        problems.append(f"{path}: uncertainties: missing or empty (allowed: [uncertainties.NAME] tables with "
                        f"{', '.join(REQUIRED)})")
        raise ScenarioError(problems)
    found = []
    for name, spec in table.items():
        where = f"{path}: uncertainties.{name}"
        if not isinstance(spec, dict):
            problems.append(f"{where}: must be a table (allowed: [uncertainties.{name}] with {', '.join(REQUIRED)})")
            continue
        item, more = _parse(name, spec, where)
        problems += more
        if item is not None:
            found.append(item)
    if problems:
        raise ScenarioError(problems)
    return tuple(found)


def _parse(name: str, spec: dict[str, Any], where: str) -> tuple[Uncertainty | None, list[str]]:
    """One uncertainty, or the problems with it."""
    problems = [f"{where}.{k}: unknown key (allowed: {', '.join(sorted(FIELDS))})" for k in spec if k not in FIELDS]
    problems += [f"{where}.{k}: missing (every uncertainty needs {', '.join(REQUIRED)})" for k in REQUIRED if k not in spec]
    if not NAME.match(name):
        problems.append(f"{where}: name must be letters, digits and _ (it names a variable in EMA Workbench)")
    for k in ("low", "high", "peak", "shown_per_unit"):
        if k in spec and not _is_number(spec[k]):
            problems.append(f"{where}.{k}: must be a number (got {spec[k]!r})")
    pairs = spec.get("shown_at", [])
    if not (isinstance(pairs, list) and all(isinstance(p, list) and len(p) == 2 and all(_is_number(v) for v in p)
                                           for p in pairs) and all(a[0] < b[0] for a, b in itertools.pairwise(pairs))):
        problems.append(f"{where}.shown_at: must be [value, shown] pairs of numbers with rising values (got {pairs!r})")
    for k in ("scale", "integer", "percent"):
        if k in spec and not isinstance(spec[k], bool):
            problems.append(f"{where}.{k}: must be true or false (got {spec[k]!r})")
    for k in ("key", "label_en", "label_zh", "source"):
        if k in spec and (not isinstance(spec[k], str) or not spec[k].strip()):
            problems.append(f"{where}.{k}: must be a non-empty string (got {spec[k]!r})")
    distribution = spec.get("distribution", "uniform")
    if distribution not in DISTRIBUTIONS:
        problems.append(f"{where}.distribution: unknown {distribution!r} (allowed: {', '.join(DISTRIBUTIONS)})")
    if problems:
        return None, problems
    item = Uncertainty(name=name, key=spec["key"], low=float(spec["low"]), high=float(spec["high"]),
                       label_en=spec["label_en"], label_zh=spec["label_zh"], source=spec["source"],
                       distribution=distribution, peak=_float_or_none(spec.get("peak")),
                       scale=spec.get("scale", False), integer=spec.get("integer", False),
                       shown_per_unit=float(spec.get("shown_per_unit", 1.0)), percent=spec.get("percent", False),
                       shown_at=tuple((float(a), float(b)) for a, b in spec.get("shown_at", [])))
    return item, _check_range(item, where) + _check_key_path(item, where)


def _check_range(item: Uncertainty, where: str) -> list[str]:
    problems = []
    if not item.low < item.high:
        problems.append(f"{where}: low ({item.low:g}) must be below high ({item.high:g})")
    if item.distribution == "loguniform" and item.low <= 0:
        problems.append(f"{where}.low: loguniform needs low > 0 (got {item.low:g})")
    if item.distribution == "triangular" and (item.peak is None or not item.low <= item.peak <= item.high):
        problems.append(f"{where}.peak: triangular needs a peak from low to high (got {item.peak!r})")
    if item.distribution != "triangular" and item.peak is not None:
        problems.append(f"{where}.peak: only a triangular distribution has a peak")
    return problems


def _check_key_path(item: Uncertainty, where: str) -> list[str]:
    """The dotted key must name a scenario field (a ``*`` stands for a need type or a community)."""
    from sim.loading import _check_key

    parts = item.key.split(".")
    if "*" in parts and not (len(parts) == 3 and parts[1] == "*" and parts[0] in ("needs", "communities")):
        return [f"{where}.key: {item.key}: * is allowed only as needs.*.FIELD or communities.*.FIELD"]
    probe = item.key.replace("needs.*.", "needs.meals.")
    problem = _check_key(probe)  # a community name is any string: communities.* checks the field
    if problem is None and probe.split(".")[0] in ("communities", "needs") and len(probe.split(".")) < 3:
        problem = "names a table, not a value"
    return [f"{where}.key: {item.key}: {problem}"] if problem else []


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _float_or_none(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


# ---------------------------------------------------------------- settings and their overrides


@dataclass(frozen=True)
class Settings:
    """K sampled settings: ``values[k][j]`` is uncertainty j's value in setting k.

    Passed to ``sim.experiment.Experiment(settings=...)``: point k of every scenario runs under
    setting k, with the experiment's replication seeds (common random numbers).
    """

    uncertainties: tuple[Uncertainty, ...]
    values: tuple[tuple[float, ...], ...]
    method: str = "lhs"
    seed: int = 0
    source: str = ""
    unit: tuple[tuple[float, ...], ...] = ()  # the samples in [0, 1] (sensitivity analysis needs them)

    def __len__(self) -> int:
        return len(self.values)

    def overrides(self, data: Mapping[str, Any], setting: int) -> dict[str, Any]:
        """Dotted overrides that put ``data`` (a scenario table) under setting ``setting``."""
        return setting_overrides(data, self.uncertainties, self.values[setting])

    def describe(self) -> dict[str, Any]:
        """JSON-ready: the uncertainties and every setting's values (stored with the results)."""
        return {"method": self.method, "seed": self.seed, "source": self.source,
                "uncertainties": [asdict(u) for u in self.uncertainties],
                "values": [list(row) for row in self.values], "unit": [list(row) for row in self.unit]}


def settings_from_description(described: Mapping[str, Any]) -> Settings:
    """The inverse of ``Settings.describe`` (reports read settings back from the store)."""
    items = tuple(Uncertainty(**{**spec, "shown_at": tuple(tuple(p) for p in spec.get("shown_at", ()))})
                  for spec in described["uncertainties"])
    return Settings(items, tuple(tuple(row) for row in described["values"]), described.get("method", "lhs"),
                    int(described.get("seed", 0)), described.get("source", ""),
                    tuple(tuple(row) for row in described.get("unit", ())))


def settings_seed(experiment_seed: int) -> int:
    """The sampler's seed: derived from the experiment seed, apart from the replication seeds."""
    state = np.random.SeedSequence([experiment_seed, SETTINGS_TAG]).generate_state(1, dtype=np.uint64)[0]
    return int(state) & (2**63 - 1)


def sample_settings(uncertainties: Sequence[Uncertainty], samples: int, experiment_seed: int,
                    source: str = "") -> Settings:
    """``samples`` settings by Latin hypercube, seeded from the experiment seed."""
    from sim.experiment.samplers import SamplerMethod, unit_samples

    if not isinstance(samples, int) or isinstance(samples, bool) or samples < 1:
        raise ScenarioError([f"--samples: must be a whole number >= 1 (got {samples!r})"])
    unit = unit_samples(SamplerMethod.LHS, len(uncertainties), samples, settings_seed(experiment_seed))
    return settings_from_unit(uncertainties, unit, "lhs", experiment_seed, source)


def settings_from_unit(uncertainties: Sequence[Uncertainty], unit: np.ndarray, method: str, seed: int,
                       source: str = "") -> Settings:
    """Settings from points in the unit cube (one row per setting, one column per uncertainty)."""
    values = tuple(tuple(u.from_unit(float(x)) for u, x in zip(uncertainties, row, strict=True)) for row in unit)
    unit_rows = tuple(tuple(float(x) for x in row) for row in unit)
    return Settings(tuple(uncertainties), values, method, seed, source, unit_rows)


def setting_overrides(data: Mapping[str, Any], uncertainties: Sequence[Uncertainty],
                      values: Sequence[float]) -> dict[str, Any]:
    """Dotted overrides of one setting: each uncertainty's value, or (``scale``) the scenario's value times it."""
    resolved = None
    found: dict[str, Any] = {}
    for item, value in zip(uncertainties, values, strict=True):
        for key in expand_key(item.key, data):
            if not item.scale:
                found[key] = int(value) if item.integer else float(value)
                continue
            if resolved is None:
                resolved = _resolved(data)
            current = current_value(resolved, key)
            found[key] = round(current * value) if isinstance(current, int) else float(current * value)
    return found


def expand_key(key: str, data: Mapping[str, Any]) -> list[str]:
    """``needs.*.hidden_share`` -> one key per need type; ``communities.*.x`` -> one per community."""
    from sim.needs import NEED_TYPES

    head, star, tail = key.partition(".*.")
    if not star:
        return [key]
    names = [t.value for t in NEED_TYPES] if head == "needs" else list(data.get("communities") or {})
    return [f"{head}.{name}.{tail}" for name in names]


def _resolved(data: Mapping[str, Any]) -> dict[str, Any]:
    from sim.loading import validate

    return validate(data, source="uncertainties").model_dump(mode="json")


def current_value(resolved: Mapping[str, Any], key: str) -> float:
    """The scenario's value at a dotted key; an unset need-type value is the type's default."""
    from sim.needs import DEFAULTS, NeedType

    node: Any = resolved
    for part in key.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    if node is None and key.startswith("needs."):
        _, need_type, field = key.split(".")
        node = getattr(DEFAULTS[NeedType(need_type)], field)
    if not _is_number(node):
        raise ScenarioError([f"uncertainties: {key}: scale needs a number here (got {node!r})"])
    return node  # type: ignore[return-value]
