"""The classroom app in headless Debian chromium, driven by playwright against a server this test starts.

Locally a missing chromium or playwright skips; in CI (``CI=true``) it fails.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
STEP_TEXT = re.compile(r"^Step: \d+$")
START_TIMEOUT_S = 40.0
WAIT_MS = 20_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the app did not answer on {url} within {START_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m sim viz`` on 127.0.0.1 and a free port; stopped (its process group) afterwards."""
    port = free_port()
    log = tmp_path_factory.mktemp("viz") / "server.log"
    command = [sys.executable, "-m", "sim", "viz", str(ROOT / "scenarios" / "baseline.toml"), "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_up(url, process, log)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def open_app(browser, url: str):  # noqa: ANN001, ANN201 - a playwright Page in a fresh context (a new session)
    page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for()
    return page


def step_count(page) -> int:  # noqa: ANN001
    return int(page.get_by_text(STEP_TEXT).inner_text().split(":")[1])


def settled_step_count(page) -> int:  # noqa: ANN001
    """The step counter once it stops moving (a step under way when Pause is pressed still lands)."""
    previous = step_count(page)
    for _ in range(10):
        page.wait_for_timeout(1000)
        current = step_count(page)
        if current == previous:
            return current
        previous = current
    pytest.fail(f"the step counter kept moving after Pause (last {previous})")


def wait_for_step(page, count: int) -> None:  # noqa: ANN001
    page.get_by_text(f"Step: {count}", exact=True).wait_for()


def test_step_play_pause_reset_and_separate_sessions(browser, app_url: str) -> None:  # noqa: ANN001
    page = open_app(browser, app_url)
    assert step_count(page) == 0
    page.get_by_role("button", name="Step").click()
    wait_for_step(page, 1)
    page.get_by_text("day 1 · as in the file").wait_for()

    page.get_by_role("button", name="▶").click()
    page.wait_for_function("() => /Step: ([4-9]|\\d\\d+)/.test(document.body.innerText)")
    page.get_by_role("button", name="❚❚").click()
    page.get_by_role("button", name="▶").wait_for()
    paused_at = settled_step_count(page)
    assert paused_at >= 4

    other = open_app(browser, app_url)  # a second browser session
    assert step_count(other) == 0
    other.get_by_role("button", name="Step").click()
    wait_for_step(other, 1)
    assert step_count(page) == paused_at

    page.get_by_text("Online reporting (report online, solve offline)").click()
    page.get_by_text("Not yet applied: press Reset.").wait_for()
    page.get_by_role("button", name="Reset").click()
    wait_for_step(page, 0)
    page.get_by_text("changed: linkage.online_reporting = True", exact=False).wait_for()
    assert other.get_by_text("day 1 · as in the file").is_visible()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.get_by_role("button", name="Step").click()
    wait_for_step(page, 1)
    page.screenshot(path=str(ARTIFACTS / "viz-app.png"))
    assert (ARTIFACTS / "viz-app.png").stat().st_size > 10_000
