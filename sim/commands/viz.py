"""``python -m sim viz [SCENARIO] [--host H] [--port N] [--lang en|zh]``: the classroom app in a browser.

Only this command imports the visualization stack (Solara); ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import warnings
from pathlib import Path

from sim.commands.options import language
from sim.errors import ScenarioError
from sim.kpis import Lang

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_SCENARIO = "baseline"  # the shipped baseline (sim/_scenarios/baseline.toml), or a local file of that name


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
                        help=f"scenario TOML file or shipped scenario name to start with (default: {DEFAULT_SCENARIO})")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST}, this machine only)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})")
    parser.add_argument("--lang", type=language, metavar="{en,zh}", default=Lang.EN, help="language the app starts in (default: en)")
    parser.add_argument("--scenarios-dir", default=None, metavar="DIR",
                        help="folder whose .toml files the app offers (default: the scenario's nearest 'scenarios' folder)")


def scenarios_dir_for(scenario: Path, explicit: str | None) -> Path:
    """The folder of scenario files to offer: explicit, else the nearest ancestor named ``scenarios``."""
    if explicit is not None:
        return Path(explicit).resolve()
    from sim.library import library_dir

    library = library_dir().resolve()
    if scenario.resolve().is_relative_to(library):
        return library
    for parent in scenario.resolve().parents:
        if parent.name == "scenarios":
            return parent
    return scenario.resolve().parent


def app_environment(args: argparse.Namespace) -> dict[str, str]:
    """``SIM_VIZ_*`` variables telling the app (imported by ``solara run``) where to start."""
    from sim.library import find_scenario
    from sim.loading import load_scenario

    scenario = find_scenario(args.scenario)
    load_scenario(scenario)  # a bad file is exit 2 here, not an error in the browser
    folder = scenarios_dir_for(scenario, args.scenarios_dir)
    if not folder.is_dir():
        raise ScenarioError([f"--scenarios-dir: {folder} is not a folder"])
    resolved = scenario.resolve()
    start = resolved.relative_to(folder).as_posix() if resolved.is_relative_to(folder) else str(resolved)
    return {"SIM_VIZ_SCENARIO": start, "SIM_VIZ_SCENARIOS_DIR": str(folder), "SIM_VIZ_LANG": args.lang}


def check_port_free(host: str, port: int) -> None:
    """A port already in use (or an address this machine does not have) is exit 2, before serving."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ScenarioError([f"--port {port}: already in use on {host} (allowed: a free port, e.g. --port {port + 1}; "
                                 "or stop what is using it)"]) from None
        raise ScenarioError([f"--host {host}: cannot listen there: {exc.strerror or exc} (allowed: an address of this "
                             f"machine, e.g. {DEFAULT_HOST})"]) from None


def import_solara_runner():  # noqa: ANN201 - solara's click command
    """solara's ``run`` command; without the ``viz`` extra, one line saying which extra to install."""
    try:
        from solara.__main__ import run
    except ImportError as exc:
        raise ScenarioError([f"viz: needs the classroom app's packages ({exc.name or exc} is missing): "
                             "pip install 'five-society-sim[viz]'"]) from None
    return run


def quiet_solara_cookie_warning() -> None:
    """Hide Solara's warning that a plain-http page gets a ``samesite=lax`` session cookie.

    The app is served over http on this machine or a classroom network and is never embedded in
    an iframe, so the fallback Solara warns about is what we want; only that one message is hidden.
    """
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning,
                            module="solara.server.starlette")


def execute(args: argparse.Namespace) -> int:
    """Serve the app until interrupted (Ctrl-C: exit 130, like the other commands)."""
    os.environ.update(app_environment(args))
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ.setdefault("SOLARA_THEME_SHOW_BANNER", "False")  # no English footer in a Chinese page
    check_port_free(args.host, args.port)
    run = import_solara_runner()
    quiet_solara_cookie_warning()
    print(f"Classroom app on http://{args.host}:{args.port} (Ctrl-C stops it)", flush=True)
    import click

    try:
        run.main(["sim.viz.app", "--host", args.host, "--port", str(args.port), "--production", "--no-open",
                  "--no-check-version"], standalone_mode=False)
    except click.exceptions.Abort:
        raise KeyboardInterrupt from None  # click's word for Ctrl-C
    # uvicorn catches Ctrl-C (SIGINT) itself and returns after shutting down: that is an interruption
    raise KeyboardInterrupt
