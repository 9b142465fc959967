"""Reading scenario files: TOML, ``extends`` chains, dotted overrides and readable errors."""

from __future__ import annotations

import copy
import os
import stat
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from sim.city import CityPlan

from sim.errors import ScenarioError, quote
from sim.library import find_scenario
from sim.scenario import City, CityType, Community, District, Scenario

MAX_FILE_BYTES = 1_000_000  # a scenario or sweep file is a few KB; more is a mistake (or /dev/zero)
MAX_EXTENDS = 32  # files in one ``extends`` chain
BOM = b"\xef\xbb\xbf"


def load_scenario(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Read, merge (``extends``), override and validate a scenario file (or a shipped scenario by name)."""
    path = find_scenario(path)
    data = read_merged(path)
    if overrides:
        data = apply_overrides(data, overrides, source=f"{path} (override)")
    return validate(data, source=str(path))


def read_merged(path: Path, _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's table with its ``extends`` parents merged under it, key by key (parents first)."""
    chain: list[tuple[Path, dict[str, Any]]] = []
    seen: list[Path] = list(_chain)
    while True:
        resolved = _resolved(path)
        if resolved in seen:
            cycle = " -> ".join(str(p) for p in (*seen, resolved))
            raise ScenarioError([f"{path}: extends: cycle ({quote(cycle)}) (allowed: a chain without repeats)"])
        if len(seen) >= MAX_EXTENDS:
            raise ScenarioError([f"{path}: extends: chain of more than {MAX_EXTENDS} files (allowed: at most {MAX_EXTENDS})"])
        seen.append(resolved)
        data = read_toml(path)
        parent = data.pop("extends", None)
        chain.append((path, data))
        if parent is None:
            break
        if not isinstance(parent, str):
            raise ScenarioError([f"{path}: extends: must be a string (allowed: a path relative to this file)"])
        parent_path = path.parent / parent
        problem = not_a_file(parent_path)
        if problem:
            raise ScenarioError([f"{path}: extends: parent file {parent_path} {problem}"])
        path = parent_path
    merged: dict[str, Any] = {}
    for _, data in reversed(chain):
        merged = deep_merge(merged, data)
    return merged


def _resolved(path: Path) -> Path:
    """The absolute, symlink-free path; a symlink loop is a one-line error."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:
        raise ScenarioError([f"{path}: cannot be resolved ({exc}) (allowed: a path without symbolic-link loops)"]) from None


def not_a_file(path: Path) -> str | None:
    """Why ``path`` is not a readable regular file (``does not exist`` only when it does not)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "does not exist"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(info.st_mode):
        return "is a directory (allowed: a .toml file)"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a pipe, device or socket; allowed: a .toml file)"
    if info.st_size > MAX_FILE_BYTES:
        return f"is {info.st_size:,} bytes (allowed: at most {MAX_FILE_BYTES:,})"
    return None


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's table; any problem reading it is a one-line ``ScenarioError`` naming the file.

    Only regular files up to ``MAX_FILE_BYTES`` are read, so ``/dev/zero`` or a FIFO is refused
    at once instead of read forever.
    """
    problem = not_a_file(path)
    if problem == "does not exist":
        raise ScenarioError([f"{path}: file not found"])
    if problem:
        raise ScenarioError([f"{path}: {problem}"])
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError([f"{path}: cannot be read: {exc.strerror or exc}"]) from None
    return parse_toml(raw, str(path))


def parse_toml(raw: bytes, source: str) -> dict[str, Any]:
    """TOML bytes to a table; a BOM, bad UTF-8, bad TOML or absurd nesting is one line."""
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError([f"{source}: more than {MAX_FILE_BYTES:,} bytes (allowed: at most {MAX_FILE_BYTES:,})"])
    if raw.startswith(BOM):
        raise ScenarioError([f"{source}: starts with a UTF-8 byte-order mark (BOM) (allowed: UTF-8 without BOM; "
                             "save the file again as plain UTF-8)"])
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ScenarioError([f"{source}: not UTF-8 text (byte {exc.start}) (allowed: a UTF-8 TOML file)"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{source}: not valid TOML: {exc}"]) from None
    except RecursionError:
        raise ScenarioError([f"{source}: not valid TOML: arrays or tables nested too deeply"]) from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise ScenarioError([f"{source}: not valid TOML: {quote(str(exc))}"]) from None


def deep_merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """``top`` over ``base``: nested tables merge key by key, everything else is replaced."""
    merged = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def apply_overrides(data: dict[str, Any], overrides: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Set dotted keys (``"budget.total_yuan"``) in a scenario table; unknown keys are reported.

    numpy scalars (``np.int64``, ``np.bool_``, as EMA Workbench and SALib pass them) count as
    the Python values they hold.
    """
    if not isinstance(overrides, Mapping):
        raise ScenarioError([f"overrides: expected a mapping of dotted keys to values, e.g. "
                             f"{{'budget.total_yuan': 8e5}} (got {type(overrides).__name__})"])
    merged = dict(data)  # copy-on-write: only the tables an override goes through are copied
    copied = {id(merged)}
    problems = []
    for dotted, value in overrides.items():
        if not isinstance(dotted, str):
            problems.append(f"{source}: overrides: key {quote(dotted)} is not a dotted key string "
                            "(allowed: e.g. 'budget.total_yuan')")
            continue
        value = plain(value)
        problem = _check_key(dotted) or _check_community(dotted, merged)
        if problem:
            problems.append(f"{source}: {dotted}: {problem}")
            continue
        *parents, leaf = dotted.split(".")
        table = merged
        for part in parents:
            child = table.get(part, {})
            if not isinstance(child, dict):
                problems.append(f"{source}: {dotted}: {part} is not a table")
                break
            if id(child) not in copied:
                child = dict(child)
                copied.add(id(child))
                table[part] = child
            table = child
        else:
            table[leaf] = copy.deepcopy(value)
    if problems:
        raise ScenarioError(problems)
    return merged


def plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (lists and tables element by element)."""
    if type(value).__module__ == "numpy" and hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def _check_community(dotted: str, data: Mapping[str, Any]) -> str | None:
    """Overrides may change communities but not create them (a misspelt name would add one)."""
    parts = dotted.split(".")
    if parts[0] == "communities" and "city" in data:
        return None  # a patch of a generated community: its name is checked once the city is generated
    known = data.get("communities") or {"community": {}}
    if parts[0] == "communities" and len(parts) > 2 and parts[1] not in known:
        return f"unknown community {quote(parts[1])} (allowed: {', '.join(sorted(known))}; add communities in the scenario file)"
    return None


def _check_key(dotted: str) -> str | None:
    """Why a dotted key names no scenario field, or None when it does."""
    model: type[BaseModel] | None = Scenario
    parts = dotted.split(".")
    if parts[0] == "city":
        model, parts = City, parts[1:]
        if not parts:
            return "city is a table (allowed: e.g. city.scale, city.communities, city.types.<type>.<key>)"
    index = 0
    while index < len(parts):
        part = parts[index]
        if model is None:
            return f"{'.'.join(parts[:index])} is a value, not a table"
        fields = model.model_fields
        if part not in fields:
            return f"unknown key {quote(part)} (allowed: {', '.join(sorted(fields))})"
        annotation = fields[part].annotation
        keyed = _KEYED.get((model, part))
        if keyed is not None:
            index += 1  # the next part is a community's (type's, district's) name, any string
            model = keyed
        else:
            model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
        index += 1
    return None


_KEYED: dict[tuple[type[BaseModel], str], type[BaseModel]] = {
    (Scenario, "communities"): Community, (City, "types"): CityType, (City, "districts"): District}


def validate(data: Mapping[str, Any], source: str) -> Scenario:
    """A validated ``Scenario`` whose grid fits the cell budget, or ``ScenarioError`` with one line per problem.

    A table with ``[city]`` is first expanded into its communities and budget (``sim.city``);
    problems of the description are reported as ``city.*`` keys.
    """
    return validate_with_plan(data, source)[0]


def validate_with_plan(data: Mapping[str, Any], source: str) -> tuple[Scenario, CityPlan | None]:
    """``validate``, and what ``[city]`` generated (None for a scenario without one)."""
    from sim.limits import check_grid

    city_plan = None
    if "city" in data:
        data, city_plan = expand_city(data, source)
    type_of = city_plan.type_of if city_plan else {}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        errors = _one_per_type(exc.errors(), type_of) if type_of else exc.errors()
        raise ScenarioError([line for error in errors
                             for line in format_error(source, _city_location(error, type_of)).splitlines()]) from None
    except RecursionError:
        raise ScenarioError([f"{source}: values nested too deeply (allowed: numbers, strings, flat lists)"]) from None
    check_grid(scenario, source)
    return scenario, city_plan


def expand_city(data: Mapping[str, Any], source: str) -> tuple[dict[str, Any], CityPlan]:
    """The scenario table ``[city]`` generates, and what it generated (streets, each community's type)."""
    from sim.city import expand

    problems = []
    if not isinstance(data.get("communities", {}), Mapping):
        problems.append(f"{source}: communities: must be a table of generated communities' names (allowed: "
                        "[communities.<generated name>] tables that patch them)")
    if not isinstance(data["city"], Mapping):
        problems.append(f"{source}: city: must be a table (allowed: [city] with residents, budget_yuan, streets, types)")
    if problems:
        raise ScenarioError(problems)
    try:
        city = City.model_validate(data["city"])
    except ValidationError as exc:
        raise ScenarioError([line for error in exc.errors()
                             for line in format_error(source, {**error, "loc": ("city", *error["loc"])}).splitlines()]) from None
    except RecursionError:
        raise ScenarioError([f"{source}: city: values nested too deeply (allowed: numbers, strings, flat lists)"]) from None
    expanded, city_plan = expand({**data, "city": city})
    unknown = [name for name in data.get("communities") or {} if name not in city_plan.communities]
    if unknown:
        example = next(iter(city_plan.communities))
        raise ScenarioError([f"{source}: communities.{name}: not a community this city generates (allowed: a generated "
                             f"name such as {example}; `python -m sim describe` lists the streets)" for name in unknown])
    return expanded, city_plan


def _one_per_type(errors: list[Any], type_of: Mapping[str, str]) -> list[Any]:
    """A generated city's errors, one per (type, key, kind) with the count of communities it hits."""
    seen: dict[tuple[str, ...], dict[str, Any]] = {}
    kept: list[Any] = []
    for error in errors:
        loc = error["loc"]
        if len(loc) >= 2 and loc[0] == "communities" and loc[1] in type_of:
            key = (type_of[str(loc[1])], *map(str, loc[2:]), error["type"])
            if key in seen:
                seen[key]["hits"] += 1
                continue
            seen[key] = {**error, "hits": 1}
            kept.append(seen[key])
        else:
            kept.append(error)
    return kept


def _city_location(error: Mapping[str, Any], type_of: Mapping[str, str]) -> Mapping[str, Any]:
    """A generated community's error named by the ``city.types.<type>`` key that made it."""
    loc = error["loc"]
    if len(loc) >= 2 and loc[0] == "communities" and loc[1] in type_of:
        more = error.get("hits", 1) - 1
        where = f"generated community {loc[1]}" + (f" and {more:,} more" if more else "")
        where += f" ({'.'.join(map(str, loc[2:]))})" if len(loc) > 2 else ""
        hint = " (allowed: change this type or city.communities, city.residents_per_community, city.scale)"
        return {**error, "loc": ("city", "types", type_of[str(loc[1])]), "msg": f"{where}: {error['msg']}{hint}"}
    return error


def format_error(source: str, error: Mapping[str, Any]) -> str:
    """``FILE: dotted.key: what is wrong (what is allowed)`` for one pydantic error."""
    loc = [str(part) for part in error["loc"]]
    key = ".".join(loc) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(error["loc"][:-1])
        return f"{source}: {key}: unknown key (allowed: {allowed})"
    message = str(error["msg"]).removeprefix("Value error, ").replace(": Value error, ", ": ")
    if not loc or loc == ["city"]:  # a whole-table check names its keys itself, one ``key: problem`` line each
        prefix = "city." if loc else ""
        return "\n".join(f"{source}: {prefix}{line}" for line in message.splitlines())
    received = error.get("input")
    if kind not in ("missing",) and not isinstance(received, (dict, list)):
        message = f"{message} (got {quote(received)})"
    return f"{source}: {key}: {message}"


def _allowed_keys(loc: tuple[Any, ...]) -> str:
    """The field names of the table at ``loc``."""
    model: type[BaseModel] = Scenario
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        if model is Scenario and part == "city":
            model = City
            continue
        keyed = _KEYED.get((model, str(part)))
        if keyed is not None:
            if parts:
                parts.pop(0)
            model = keyed
            continue
        annotation = model.model_fields[str(part)].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            break
        model = annotation
    return ", ".join(sorted(model.model_fields))
