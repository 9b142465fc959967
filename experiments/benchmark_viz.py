"""Simulated days a second the classroom app shows in a real browser during Play.

Starts ``python -m sim viz`` on 127.0.0.1, opens it in Debian's headless chromium (playwright),
presses Play and reads the day counter the page shows, twice, some seconds apart. Each trial
starts from Reset. Prints each trial, the best and the median. The machine may be shared: run
a few trials and quote the best and the median.

    python experiments/benchmark_viz.py [--scenario scenarios/baseline.toml] [--trials 3]
        [--seconds 10] [--speed 30] [--side-by-side] [--width 1280]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WARM_UP_S = 2.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(scenario: str, port: int, log: Path) -> subprocess.Popen:
    """The app in its own process group, answering on ``port`` (waits up to a minute)."""
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "sim", "viz", scenario, "--port", str(port)], cwd=ROOT,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the app exited with {process.returncode}: see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the app did not answer within a minute: see {log}")


def shown_day(page) -> int:  # noqa: ANN001 - a playwright Page
    return int(page.locator(".sim-day").first.inner_text())


def trial(page, seconds: float) -> float:  # noqa: ANN001
    """Reset, Play, and the days a second the counter advances after a warm-up."""
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("() => document.querySelector('.sim-day').innerText === '0'")
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(WARM_UP_S * 1000)
    day0, time0 = shown_day(page), time.monotonic()
    page.wait_for_timeout(seconds * 1000)
    day1, time1 = shown_day(page), time.monotonic()
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    return (day1 - day0) / (time1 - time0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="scenarios/baseline.toml")
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds of each trial (after a 2 s warm-up)")
    parser.add_argument("--speed", type=int, default=None, help="days a second chosen in the app (default: the app's)")
    parser.add_argument("--side-by-side", action="store_true", help="measure the side-by-side mode (two models)")
    parser.add_argument("--width", type=int, default=1280, help="browser window width in pixels")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    port = free_port()
    log = ROOT / "results" / "benchmark_viz.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    app = start_app(args.scenario, port, log)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": args.width, "height": 900}).new_page()
            page.set_default_timeout(60_000)
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_role("button", name="Play").wait_for()
            if args.speed is not None:
                page.locator(".sim-speed").click()
                page.get_by_role("option", name=f"{args.speed} days a second", exact=True).click()
            if args.side_by_side:
                page.get_by_text("Side by side", exact=False).first.click()
            rates = []
            for number in range(1, args.trials + 1):
                rates.append(trial(page, args.seconds))
                print(f"trial {number}: {rates[-1]:.1f} simulated days a second", flush=True)
            browser.close()
    finally:
        os.killpg(app.pid, signal.SIGTERM)
        app.wait(timeout=10)
    mode = "side by side" if args.side_by_side else "one model"
    print(f"{args.scenario}, {mode}, {args.width} px: best {max(rates):.1f}, median {statistics.median(rates):.1f} "
          f"simulated days a second in the browser ({args.trials} trials of {args.seconds:g} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
