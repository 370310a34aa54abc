"""The WebSocket endpoint: auth (close 4401), hello, `since` replay joined to the live stream,
`viewing` messages for presence, and `invalid_message` for anything else."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from datetime import datetime

from fastapi import APIRouter, WebSocket
from pydantic import ValidationError
from starlette.websockets import WebSocketDisconnect

from booking_core.events import (
    BookingUpdated,
    ErrorMessage,
    Hello,
    ResyncRequired,
    WatchAvailability,
    parse_client_message,
)
from booking_core.models import Role
from booking_core.state_machine import Party, party_of
from booking_server.api.deps import Services
from booking_server.api.hub import (
    CLOSE_POLICY_VIOLATION,
    CLOSE_UNAUTHENTICATED,
    Close,
    Connection,
)
from booking_server.auth import token_hash
from booking_server.store import CursorExpiredError

log = logging.getLogger(__name__)
router = APIRouter()
# Close reasons (1008), documented in docs/protocol.md.
TOO_MANY_SOCKETS = "too many sockets for this user"
TOO_MANY_MESSAGES = "too many messages: slow down"


@router.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket) -> None:
    services: Services = websocket.app.state.services
    # Accept first: a close before the upgrade answers HTTP 403, not the 4401 the protocol wants.
    offered = _offered(websocket)
    await websocket.accept(subprotocol=SUBPROTOCOL if SUBPROTOCOL in offered else None)
    token = _token_of(websocket, offered)
    hashed = token_hash(token)
    user = await services.store.token_user(hashed, services.clock.now()) if token else None
    if user is None:
        await websocket.close(CLOSE_UNAUTHENTICATED)
        return
    if services.hub.sockets_of(user.id) >= services.settings.ws_max_sockets_per_user:
        log.warning("too many websockets", extra={"user_id": user.id})
        await websocket.close(CLOSE_POLICY_VIOLATION, TOO_MANY_SOCKETS)
        return
    conn = services.hub.connect(user, hashed)
    conn.start(functools.partial(_send_queued, websocket))
    expiry: asyncio.Task[None] | None = None
    try:
        # A logout between the check above and joining the hub would have gone unseen.
        if await services.store.token_user(hashed, services.clock.now()) is None:
            conn.close(CLOSE_UNAUTHENTICATED)
        else:
            expires_at = await services.store.token_expires_at(hashed)
            if expires_at is not None:
                expiry = asyncio.create_task(_close_at_expiry(services, conn, expires_at))
            await _start(services, conn, websocket.query_params.get("since"))
        await _receive_all(services, websocket, conn)
    finally:
        if expiry is not None:
            expiry.cancel()
        services.hub.disconnect(conn)
        if not conn.finished.is_set():
            conn.put(Close(1000))
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(conn.finished.wait(), 1.0)
        conn.stop()


# The token may come in a header instead of the URL (URLs end up in logs and proxies' logs):
# `Authorization: Bearer T`, or (browsers cannot set that) the subprotocol `bearer.T` next to
# `booking.v1`, which is the one the server selects. The query `?token=T` stays for compatibility.
SUBPROTOCOL = "booking.v1"
_BEARER_PROTOCOL = "bearer."


def _offered(websocket: WebSocket) -> list[str]:
    header = websocket.headers.get("sec-websocket-protocol", "")
    return [part.strip() for part in header.split(",") if part.strip()]


def _token_of(websocket: WebSocket, offered: list[str]) -> str:
    """The bearer token of the upgrade request [extension], else a `bearer.T` subprotocol, else
    the `token` query parameter (kept for compatibility)."""
    scheme, _, credentials = websocket.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    for protocol in offered:
        if protocol.startswith(_BEARER_PROTOCOL):
            return protocol.removeprefix(_BEARER_PROTOCOL)
    return websocket.query_params.get("token", "")


async def _close_at_expiry(services: Services, conn: Connection, expires_at: datetime) -> None:
    """A socket lives no longer than its token: at expiry (the server's clock) it closes 4401,
    as a socket opened with that token then would be."""
    while services.clock.now() < expires_at:
        await services.clock.sleep_until(expires_at)
    log.info("websocket token expired", extra={"conn": conn.id})
    conn.close(CLOSE_UNAUTHENTICATED)


async def _start(services: Services, conn: Connection, since_text: str | None) -> None:
    """Queue hello, then the replay (or resync_required), then let live events through."""
    since = _parse_since(since_text)
    replay: list[BookingUpdated] = []
    resync = False
    if since is None:
        cursor = await services.store.cursor()
        resync = since_text is not None
    else:
        try:
            replay, cursor = await services.store.events_for(conn.user.id, since)
        except CursorExpiredError:
            cursor, resync = await services.store.cursor(), True
    conn.send(Hello(cursor=cursor, server_time=services.clock.now()).model_dump_json())
    if resync:
        conn.send(ResyncRequired().model_dump_json())
    # The prev_seq chain starts at `since` when replaying from it, else at the hello cursor.
    conn.go_live(replay, cursor, start=cursor if since is None or resync else since)


_MAX_SINCE_DIGITS = 19


def _parse_since(text: str | None) -> int | None:
    """Plain ASCII digits, and few: anything else is not a cursor (resync_required)."""
    if text is None or not (text.isascii() and text.isdigit()):
        return None
    if len(text) > _MAX_SINCE_DIGITS or int(text) > 2**63 - 1:
        return None
    return int(text)


async def _send_queued(websocket: WebSocket, conn: Connection) -> None:
    """Write the queued frames in order (started eagerly by the connection: a send that does not
    have to wait for the socket happens before the caller goes on). A Close is the last frame."""
    try:
        while conn.queue:
            item = conn.pop()
            if isinstance(item, Close):
                conn.queue.clear()
                await websocket.close(item.code, item.reason or None)
                conn.sent_all()
                return
            await websocket.send_text(item)
    except (WebSocketDisconnect, RuntimeError, OSError):
        # The client went away; the receive loop notices and cleans up.
        log.debug("websocket send failed", extra={"conn": conn.id})
        conn.sent_all()


async def _receive_all(services: Services, websocket: WebSocket, conn: Connection) -> None:
    while True:
        try:
            message = await websocket.receive()
        except (WebSocketDisconnect, RuntimeError):
            return
        if message["type"] == "websocket.disconnect":
            return
        if services.ws_limiter.take(f"ws:{conn.user.id}") is not None:
            log.warning("websocket sends too much", extra={"conn": conn.id})
            conn.close(CLOSE_POLICY_VIOLATION, TOO_MANY_MESSAGES)
            return
        text = message.get("text")
        await _handle(services, conn, text)


async def _handle(services: Services, conn: Connection, text: str | None) -> None:
    try:
        if text is None:
            raise ValueError("binary frames are not part of the protocol")
        viewing = parse_client_message(text)
    except (ValidationError, ValueError):
        conn.send(
            ErrorMessage(
                code="invalid_message", detail="expected a viewing or watch_availability message"
            ).model_dump_json()
        )
        return
    if isinstance(viewing, WatchAvailability):
        await _watch(services, conn, viewing.master_id)
        return
    if viewing.booking_id is None:
        services.hub.view(conn, None)
        return
    booking = await services.store.booking(viewing.booking_id)
    if booking is None or party_of(booking, conn.user.id) is Party.STRANGER:
        conn.send(ErrorMessage(code="not_found", detail="no such booking").model_dump_json())
        return
    services.hub.view(conn, booking)


async def _watch(services: Services, conn: Connection, master_id: str | None) -> None:
    """[extension] watch_availability: any signed-in socket may watch any master's free slots
    (they are public); an id that names no master is `not_found`."""
    if master_id is not None:
        master = await services.store.user_by_id(master_id)
        if master is None or master.role is not Role.MASTER:
            conn.send(ErrorMessage(code="not_found", detail="no such master").model_dump_json())
            return
    services.hub.watch(conn, master_id)
