"""``python -m sim viz [SCENARIO] [--host H] [--port N] [--lang en|zh]``: the classroom app in a browser.

Only this command imports the visualization stack (Solara, Mesa's SolaraViz); ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sim.commands.options import language
from sim.errors import ScenarioError
from sim.kpis import Lang

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_SCENARIO = Path("scenarios") / "baseline.toml"


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (allowed: 1 to 65535)") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (allowed: 1 to 65535)")
    return port


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``viz``."""
    parser.add_argument("scenario", metavar="SCENARIO", nargs="?", default=str(DEFAULT_SCENARIO),
                        help=f"scenario TOML file to start with (default: {DEFAULT_SCENARIO})")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST}, this machine only)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    parser.add_argument("--lang", type=language, metavar="{en,zh}", default=Lang.EN, help="language the app starts in (default: en)")
    parser.add_argument("--scenarios-dir", default=None, metavar="DIR",
                        help="folder whose .toml files the app offers (default: the scenario's nearest 'scenarios' folder)")


def scenarios_dir_for(scenario: Path, explicit: str | None) -> Path:
    """The folder of scenario files to offer: explicit, else the nearest ancestor named ``scenarios``."""
    if explicit is not None:
        return Path(explicit).resolve()
    for parent in scenario.resolve().parents:
        if parent.name == "scenarios":
            return parent
    return scenario.resolve().parent


def app_environment(args: argparse.Namespace) -> dict[str, str]:
    """``SIM_VIZ_*`` variables telling the app (imported by ``solara run``) where to start."""
    from sim.loading import load_scenario

    scenario = Path(args.scenario)
    load_scenario(scenario)  # a bad file is exit 2 here, not an error in the browser
    folder = scenarios_dir_for(scenario, args.scenarios_dir)
    if not folder.is_dir():
        raise ScenarioError([f"--scenarios-dir: {folder} is not a folder"])
    resolved = scenario.resolve()
    start = resolved.relative_to(folder).as_posix() if resolved.is_relative_to(folder) else str(resolved)
    return {"SIM_VIZ_SCENARIO": start, "SIM_VIZ_SCENARIOS_DIR": str(folder), "SIM_VIZ_LANG": args.lang}


def execute(args: argparse.Namespace) -> int:
    """Serve the app until interrupted."""
    os.environ.update(app_environment(args))
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    from solara.__main__ import run

    print(f"Classroom app on http://{args.host}:{args.port} (Ctrl-C stops it)", flush=True)
    run.main(["sim.viz.app", "--host", args.host, "--port", str(args.port), "--production", "--no-open",
              "--no-check-version"], standalone_mode=False)
    return 0
