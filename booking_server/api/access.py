"""ASGI middleware: one structured access-log line and the request metrics per HTTP request.

Only the path is logged, never the query string or headers: they may carry tokens.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from booking_server.metrics import Metrics

log = logging.getLogger("booking_server.access")


def route_template(scope: Scope) -> str:
    """The matched route's template with its mount prefix (`/api/v1/bookings/{booking_id}`):
    a bounded label set for metrics, unlike raw paths."""
    route = getattr(scope.get("route"), "path", None)
    if not isinstance(route, str):
        return "unmatched"
    try:
        actual = route.format(**scope.get("path_params", {}))
    except (KeyError, IndexError, ValueError):
        return route
    path: str = scope["path"]
    return path.removesuffix(actual) + route if path.endswith(actual) else route


class AccessLog:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self._app = app
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._app(scope, receive, send_status)
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            method = scope["method"]
            self._metrics.requests.labels(method=method, route=route, status=str(status)).inc()
            self._metrics.latency.labels(method=method, route=route).observe(elapsed)
            log.info(
                "request",
                extra={
                    "method": method,
                    "path": scope["path"],
                    "status": status,
                    "ms": round(elapsed * 1000, 2),
                },
            )
