"""A thin WebSocket test client for the booking server (websockets' asyncio client)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

RECEIVE_TIMEOUT = 30.0


class Socket:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    @classmethod
    async def open(cls, url: str, token: str | None = None) -> Socket:
        """Connect to `url`; with `token`, sent as `Authorization: Bearer` [extension]."""
        headers = {"Authorization": f"Bearer {token}"} if token is not None else None
        return cls(await connect(url, max_size=None, additional_headers=headers))

    async def receive(self) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.connection.recv(), RECEIVE_TIMEOUT)
        message: dict[str, Any] = json.loads(raw)
        return message

    async def receive_type(self, kind: str) -> dict[str, Any]:
        """The next message of this type (others before it are skipped)."""
        while True:
            message = await self.receive()
            if message["type"] == kind:
                return message

    async def send(self, message: dict[str, Any] | str) -> None:
        await self.connection.send(message if isinstance(message, str) else json.dumps(message))

    async def close_code(self) -> int | None:
        """Wait for the server to close the socket (messages before are dropped); its code."""
        try:
            while True:
                await asyncio.wait_for(self.connection.recv(), RECEIVE_TIMEOUT)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None

    async def close(self) -> None:
        await self.connection.close()

    async def __aenter__(self) -> Socket:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
