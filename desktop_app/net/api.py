"""REST client of the booking server on httpx.AsyncClient: sign-in, sign-out and raw requests.

`perform` never raises on an HTTP error status (those are replies the sync engine reads); it raises
only `TransportError` (retryable) or `ProtocolError` / `ConfigurationError`, translated here. It
knows HTTP, not the protocol above it: conditional requests, 304s and listings are the engine's.
"""

from __future__ import annotations

import json
import logging
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote, urlencode

import httpx
import pydantic

from booking_core import LoginRequest, LoginResponse
from booking_core.availability import Availability, Service
from booking_core.contacts import CustomerEntry, CustomerList
from booking_core.directory import MasterEntry, MasterList, ServiceList
from booking_core.history import HistoryList
from desktop_app.net.errors import (
    AuthError,
    ConfigurationError,
    ProtocolError,
    RequestTimeoutError,
    TransportError,
)
from desktop_app.net.tls import client_context

log = logging.getLogger(__name__)
_Model = TypeVar("_Model", bound=pydantic.BaseModel)

LOGIN_PATH = "/api/v1/auth/login"
LOGOUT_PATH = "/api/v1/auth/logout"
HEALTH_PATH = "/healthz"
BOOKINGS_PATH = "/api/v1/bookings"
MASTERS_PATH = "/api/v1/masters"
CUSTOMERS_PATH = "/api/v1/customers"
# httpx's default headers that mean nothing to our server (it compresses nothing, HTTP/1.1 keeps
# connections alive anyway, nobody reads the agent): a delta poll should carry Host and
# Authorization only, it is most of the app's traffic in polling mode.
UNSENT_DEFAULT_HEADERS = ("Accept", "Accept-Encoding", "Connection", "User-Agent")


@dataclass(frozen=True)
class Timeouts:
    """Seconds per phase of a request (httpx.Timeout); `None` waits forever."""

    connect: float | None = 5.0
    read: float | None = 15.0
    write: float | None = 15.0
    pool: float | None = 5.0

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@dataclass(frozen=True)
class HttpReply:
    """One HTTP answer: header names are lower-case; `content` the body's bytes; `body` the parsed
    JSON or None (and None for a `raw` request's 2xx: its bytes are for the caller to read)."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = None
    content: bytes = b""


class ApiClient:
    """One server, one (optional) bearer token, one connection pool."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        timeouts: Timeouts | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        ca_file: Path | None = None,
    ) -> None:
        url = httpx.URL(base_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ConfigurationError(
                f"the server URL must be http(s)://host[:port], not {base_url!r}"
            )
        self.base_url = str(url).rstrip("/")
        self.token = token
        self.timeouts = timeouts or Timeouts()
        # trust_env=False: a system proxy must not sit between the app and a loopback server.
        # verify: certificates are loaded (~35 ms at every start) only for an https server; an
        # http one never uses TLS (requests stay on the base URL, redirects are not followed).
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=self.timeouts.to_httpx(),
            transport=transport,
            trust_env=False,
            verify=_verify(url.scheme == "https", ca_file),
            follow_redirects=False,
        )
        for name in UNSENT_DEFAULT_HEADERS:
            del self._client.headers[name]

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def login(self, username: str, password: str) -> LoginResponse:
        """Sign in and keep the token for later requests; `AuthError` if refused."""
        try:
            request = LoginRequest(username=username, password=password)
        except pydantic.ValidationError as exc:
            raise AuthError("enter a username and a password") from exc
        reply = await self.perform("POST", LOGIN_PATH, request.model_dump(), authorize=False)
        if reply.status == 401:
            raise AuthError(
                f"the server refused the sign-in of {username!r}: wrong username or password"
            )
        if reply.status == 429 or reply.status >= 500:
            raise TransportError(
                f"the server could not sign in now (HTTP {reply.status}); try again"
            )
        if reply.status != 200:
            raise ProtocolError(f"unexpected answer to sign-in: HTTP {reply.status}")
        try:
            login = LoginResponse.model_validate(reply.body)
        except pydantic.ValidationError as exc:
            raise ProtocolError(f"the sign-in answer is not a LoginResponse: {exc}") from exc
        self.token = login.token
        return login

    async def logout(self) -> None:
        """Revoke the token on the server and forget it; a token already dead is fine."""
        if self.token is None:
            return
        reply = await self.perform("POST", LOGOUT_PATH)
        if reply.status not in (200, 204, 401):
            raise ProtocolError(f"unexpected answer to sign-out: HTTP {reply.status}")
        self.token = None

    async def booking_history(self, booking_id: str) -> HistoryList | None:
        """[extension] A booking's history from the server's event log (docs/protocol.md); None
        when the server does not know the booking for this user (404: not theirs, or an older
        server without the route). `TransportError` when it cannot answer now."""
        reply = await self.perform("GET", f"{BOOKINGS_PATH}/{quote(booking_id, safe='')}/history")
        if reply.status == 404:
            return None
        if reply.status == 401:
            raise AuthError("the server wants a new sign-in")
        if reply.status == 429 or reply.status >= 500:
            raise TransportError(f"the server could not answer now (HTTP {reply.status})")
        if reply.status != 200:
            raise ProtocolError(f"unexpected answer to a booking's history: HTTP {reply.status}")
        try:
            return HistoryList.model_validate(reply.body)
        except pydantic.ValidationError as exc:
            raise ProtocolError(f"the history answer is not a HistoryList: {exc}") from exc

    # -- [extension] availability reads (docs/protocol.md "Availability"): plain reads beside the
    # sync engine, like the user list; each raises AuthError (401), TransportError (429, 5xx,
    # no answer) or ProtocolError (anything else unexpected), never on a found-nothing answer.

    async def search_customers(self, query: str, limit: int = 20) -> list[CustomerEntry]:
        """A master's customers whose name (or, when they booked with the master, phone or
        email) contains `query`, those with a booking first (`GET /customers?q=`)."""
        params = urlencode({"q": query, "limit": max(1, min(limit, 50))})
        found = await self._read(f"{CUSTOMERS_PATH}?{params}", CustomerList, "a customer search")
        return [] if found is None else found.customers

    async def masters(self) -> list[MasterEntry]:
        """Every master (`GET /masters`, public)."""
        found = await self._read(MASTERS_PATH, MasterList, "the list of masters")
        return [] if found is None else found.masters

    async def services(self, master_id: str) -> list[Service] | None:
        """A master's active services in the order created; None when no such master."""
        path = f"{MASTERS_PATH}/{quote(master_id, safe='')}/services"
        found = await self._read(path, ServiceList, "a master's services")
        return None if found is None else found.services

    async def availability(
        self, master_id: str, service_id: str, first: date, last: date
    ) -> Availability | None:
        """The free slots of a master's service on the master's days first … last (inclusive,
        at most 31); None when the service is not that master's active one (404)."""
        params = urlencode(
            {"service": service_id, "from": first.isoformat(), "to": last.isoformat()}
        )
        path = f"{MASTERS_PATH}/{quote(master_id, safe='')}/availability?{params}"
        return await self._read(path, Availability, "free slots")

    async def _read(self, path: str, model: type[_Model], what: str) -> _Model | None:
        reply = await self.perform("GET", path)
        if reply.status == 404:
            return None
        if reply.status == 401:
            raise AuthError("the server wants a new sign-in")
        if reply.status == 429 or reply.status >= 500:
            raise TransportError(f"the server could not answer now (HTTP {reply.status})")
        if reply.status != 200:
            raise ProtocolError(f"unexpected answer to {what}: HTTP {reply.status}")
        try:
            return model.model_validate(reply.body)
        except pydantic.ValidationError as exc:
            raise ProtocolError(f"the answer to {what} is not a {model.__name__}: {exc}") from exc

    async def healthy(self, within: float = 2.0) -> bool:
        """Whether `GET /healthz` answers 200 within `within` seconds; never raises."""
        try:
            response = await self._client.get(HEALTH_PATH, timeout=within)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def perform(
        self,
        method: str,
        path: str,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        *,
        authorize: bool = True,
        raw: bool = False,
    ) -> HttpReply:
        """Send one request (path relative to the base URL, query allowed) and return its reply.

        `raw`: a 2xx body is left as bytes (a big listing: the engine reads it straight into
        models, with no dict per booking in between); other answers are parsed as usual."""
        sent = dict(headers or {})
        if authorize and self.token is not None:
            sent.setdefault("Authorization", f"Bearer {self.token}")
        try:
            response = await self._client.request(method, path, json=json, headers=sent)
        except httpx.TimeoutException as exc:
            raise RequestTimeoutError(f"{method} {path}: {_describe(exc)}") from exc
        except httpx.UnsupportedProtocol as exc:
            raise ConfigurationError(f"{method} {path}: {exc}") from exc
        except httpx.TransportError as exc:
            raise TransportError(f"{method} {path}: {_describe(exc)}") from exc
        except httpx.InvalidURL as exc:
            raise ConfigurationError(f"{method} {path}: {exc}") from exc
        except httpx.RequestError as exc:  # e.g. an undecodable (gzip) body
            raise ProtocolError(f"{method} {path}: {_describe(exc)}") from exc
        return _reply_of(response, raw=raw)

    async def aclose(self) -> None:
        await self._client.aclose()


def _verify(https: bool, ca_file: Path | None) -> ssl.SSLContext | bool:
    """What httpx checks the server's certificate with (`ca_file`: a CA trusted besides the
    usual ones, see tls.py)."""
    if not https:
        return False
    return client_context(ca_file) if ca_file is not None else True


def _describe(exc: httpx.HTTPError) -> str:
    """httpx errors often have an empty message; name the class so logs say what happened."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _reply_of(response: httpx.Response, *, raw: bool = False) -> HttpReply:
    headers = {name.lower(): value for name, value in response.headers.items()}
    body = None if raw and response.is_success else _body_of(response)
    return HttpReply(response.status_code, headers, body, response.content)


def _body_of(response: httpx.Response) -> Any:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not response.content or not (
        content_type == "application/json" or content_type.endswith("+json")
    ):
        return None
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise ProtocolError(
            f"HTTP {response.status_code} announced JSON but the body is not JSON: {exc}"
        ) from exc
