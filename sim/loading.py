"""Reading scenario files: TOML, ``extends`` chains, dotted overrides and readable errors."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.errors import ScenarioError
from sim.scenario import Community, Scenario


def load_scenario(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Read, merge (``extends``), override and validate a scenario file."""
    path = Path(path)
    data = read_merged(path)
    if overrides:
        data = apply_overrides(data, overrides, source=f"{path} (override)")
    return validate(data, source=str(path))


def read_merged(path: Path, _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's table with its ``extends`` parents merged under it, key by key."""
    resolved = path.resolve()
    if resolved in _chain:
        cycle = " -> ".join(str(p) for p in (*_chain, resolved))
        raise ScenarioError([f"{path}: extends: cycle ({cycle}) (allowed: a chain without repeats)"])
    data = read_toml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError([f"{path}: extends: must be a string (allowed: a path relative to this file)"])
    parent_path = path.parent / parent
    if not parent_path.is_file():
        raise ScenarioError([f"{path}: extends: parent file {parent_path} does not exist"])
    return deep_merge(read_merged(parent_path, (*_chain, resolved)), data)


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's table; any problem reading it is a one-line ``ScenarioError`` naming the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ScenarioError([f"{path}: file not found"]) from None
    except IsADirectoryError:
        raise ScenarioError([f"{path}: is a directory (allowed: a .toml file)"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{path}: not valid TOML: {exc}"]) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ScenarioError([f"{path}: cannot be read: {exc}"]) from None


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
    """Set dotted keys (``"budget.total_yuan"``) in a scenario table; unknown keys are reported."""
    merged = copy.deepcopy(data)
    problems = []
    for dotted, value in overrides.items():
        problem = _check_key(dotted) or _check_community(dotted, merged)
        if problem:
            problems.append(f"{source}: {dotted}: {problem}")
            continue
        *parents, leaf = dotted.split(".")
        table = merged
        for part in parents:
            table = table.setdefault(part, {})
            if not isinstance(table, dict):
                problems.append(f"{source}: {dotted}: {part} is not a table")
                break
        else:
            table[leaf] = value
    if problems:
        raise ScenarioError(problems)
    return merged


def _check_community(dotted: str, data: Mapping[str, Any]) -> str | None:
    """Overrides may change communities but not create them (a misspelt name would add one)."""
    parts = dotted.split(".")
    known = data.get("communities") or {"community": {}}
    if parts[0] == "communities" and len(parts) > 2 and parts[1] not in known:
        return f"unknown community {parts[1]!r} (allowed: {', '.join(sorted(known))}; add communities in the scenario file)"
    return None


def _check_key(dotted: str) -> str | None:
    """Why a dotted key names no scenario field, or None when it does."""
    model: type[BaseModel] | None = Scenario
    parts = dotted.split(".")
    index = 0
    while index < len(parts):
        part = parts[index]
        if model is None:
            return f"{'.'.join(parts[:index])} is a value, not a table"
        fields = model.model_fields
        if part not in fields:
            return f"unknown key {part!r} (allowed: {', '.join(sorted(fields))})"
        annotation = fields[part].annotation
        if part == "communities" and model is Scenario:
            index += 1  # the next part is a community's name, any string
            model = Community
        else:
            model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
        index += 1
    return None


def validate(data: Mapping[str, Any], source: str) -> Scenario:
    """A validated ``Scenario``, or ``ScenarioError`` with one line per problem."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([line for error in exc.errors() for line in format_error(source, error).splitlines()]) from None


def format_error(source: str, error: Mapping[str, Any]) -> str:
    """``FILE: dotted.key: what is wrong (what is allowed)`` for one pydantic error."""
    loc = [str(part) for part in error["loc"]]
    key = ".".join(loc) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(error["loc"][:-1])
        return f"{source}: {key}: unknown key (allowed: {allowed})"
    message = str(error["msg"]).removeprefix("Value error, ")
    if not loc:  # a whole-scenario check names its keys itself, one ``key: problem`` line each
        return "\n".join(f"{source}: {line}" for line in message.splitlines())
    received = error.get("input")
    if kind not in ("missing",) and not isinstance(received, (dict, list)):
        message = f"{message} (got {received!r})"
    return f"{source}: {key}: {message}"


def _allowed_keys(loc: tuple[Any, ...]) -> str:
    """The field names of the table at ``loc``."""
    model: type[BaseModel] = Scenario
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        if model is Scenario and part == "communities":
            if parts:
                parts.pop(0)
            model = Community
            continue
        annotation = model.model_fields[str(part)].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            break
        model = annotation
    return ", ".join(sorted(model.model_fields))
