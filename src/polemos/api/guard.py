"""Who may talk to the server: a Host allow-list and an optional bearer token.

A page on another site can make a browser send requests to ``localhost`` by pointing a
name it controls at 127.0.0.1 (DNS rebinding); the browser then sends that name in the
``Host`` header. Answering only the names in an allow-list (local names by default)
defeats it. Beyond the loopback interface a token is required: every ``/api`` request
carries ``Authorization: Bearer TOKEN`` (or the ``polemos_token`` cookie that opening
``/?token=TOKEN`` sets, so the web page works too).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
"""The names a local server answers by default."""
TOKEN_COOKIE = "polemos_token"


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(extra: Iterable[str] = ()) -> frozenset[str]:
    """Local names, ``extra`` and ``$POLEMOS_ALLOWED_HOSTS`` (comma-separated; ``*`` = any)."""
    env = [h.strip() for h in os.environ.get("POLEMOS_ALLOWED_HOSTS", "").split(",") if h.strip()]
    return frozenset(h.lower().strip("[]") for h in (*LOCAL_HOSTS, *extra, *env))


def host_name(header: str) -> str:
    """The name in a Host header, without the port (``[::1]:8000`` -> ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    if header.count(":") == 1:
        return header.split(":", 1)[0]
    return header


def _cookie(headers: dict[bytes, bytes], name: str) -> str:
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


class Guard:
    """ASGI middleware: 400 for a Host outside ``hosts``, 401 for ``/api`` without ``token``."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str], token: str | None = None):
        self.app, self.hosts, self.token = app, hosts, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        host = host_name(headers.get(b"host", b"").decode("latin-1"))
        if "*" not in self.hosts and host not in self.hosts:
            await _refuse(send, 400, f"host {host!r} is not served here",
                          "open the page by a local name (http://localhost:PORT/), or start "
                          "the server with --allow-host NAME")
            return
        if self.token and scope["path"].startswith("/api") and not self._authorised(headers):
            await _refuse(send, 401, "a token is required",
                          "send 'Authorization: Bearer TOKEN', or open /?token=TOKEN once")
            return
        await self.app(scope, receive, send)

    def _authorised(self, headers: dict[bytes, bytes]) -> bool:
        given = headers.get(b"authorization", b"").decode("latin-1")
        given = given[7:] if given.lower().startswith("bearer ") else _cookie(headers, TOKEN_COOKIE)
        return hmac.compare_digest(given.encode(), (self.token or "").encode())


async def _refuse(send: Send, status: int, message: str, hint: str) -> None:
    body = json.dumps({"error": message, "hint": hint}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
