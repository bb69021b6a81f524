"""Headless Chromium for the browser tests (the web page's and the HTML report's), in one
place: where the binary is, what happens without it, the flags, and a small DevTools driver.

The rule everywhere: without Chromium a test skips on a workstation and fails in CI (the
``CI`` environment variable set, as ``.ci/run`` does). Tests get the binary from the
``chromium`` fixture of ``tests/conftest.py`` or call :func:`needs_chromium`.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def needs_chromium() -> str:
    """The chromium binary; in CI (``CI`` set) a missing browser fails, elsewhere it skips."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    return CHROMIUM


def headless(binary: str, profile: Path, width: int, height: int) -> list[str]:
    """The command line of a quiet headless Chromium with its own profile (no network
    traffic of its own: no sync, no component updates, no QUIC)."""
    return [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", f"--window-size={width},{height}"]


class Browser:
    """Headless Chromium over ``--remote-debugging-pipe`` (DevTools protocol as NUL-separated
    JSON on file descriptors 3 and 4): no driver, no extra package.

    ``js(expr)`` evaluates in the page (awaiting promises) and returns the value;
    ``wait(expr)`` polls until ``expr`` is truthy (failing with ``what`` after ``timeout``);
    ``errors`` collects the page's uncaught exceptions."""

    def __init__(self, binary: str, profile: Path):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds() -> None:  # in the child: its fd 3 reads our commands, fd 4 writes replies
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [*headless(binary, profile, 1280, 900), "--remote-debugging-pipe", "about:blank"],
            pass_fds=(3, 4), preexec_fn=fds,  # kept open after fds() placed them
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._next = 0
        self.errors: list[str] = []  # uncaught exceptions in the page, as they arrive
        self.session: str | None = None
        pages = self.call("Target.getTargets")["targetInfos"]
        target = next(t["targetId"] for t in pages if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Runtime.enable")
        self.call("Page.enable")

    def call(self, method: str, timeout: float = 30.0, **params: Any) -> dict:
        self._next += 1
        msg: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            msg["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" not in self._buf:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._from_chrome], [], [], left)[0]:
                    raise TimeoutError(f"chromium did not answer {method}")
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buf += chunk
            raw, _, self._buf = self._buf.partition(b"\0")
            reply = json.loads(raw)
            if reply.get("method") == "Runtime.exceptionThrown":
                details = reply["params"]["exceptionDetails"]
                self.errors.append(details.get("exception", {}).get("description")
                                   or details.get("text", "?"))
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def goto(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        self.wait("document.readyState === 'complete'", what=f"{url} to load")

    def js(self, expr: str) -> Any:
        out = self.call("Runtime.evaluate", expression=expr, awaitPromise=True,
                        returnByValue=True)
        if "exceptionDetails" in out:
            details = out["exceptionDetails"]
            raise AssertionError(f"{expr[:200]}: "
                                 f"{details.get('exception', {}).get('description', details)}")
        return out["result"].get("value")

    def wait(self, expr: str, what: str = "", timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(expr)
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail(f"waited {timeout:.0f}s for {what or expr}")
            time.sleep(0.05)

    def type_yaml(self, text: str) -> None:
        """Replace the editor's text as a user would (an input event follows)."""
        self.js(f"(() => {{ const a = document.getElementById('yaml'); a.value = {json.dumps(text)};"
                " a.dispatchEvent(new Event('input')); })()")

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except (TimeoutError, RuntimeError):
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
