"""Prometheus metrics of one app instance (its own registry: no process-global state)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "booking_http_requests",
            "HTTP requests answered",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "booking_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["method", "route"],
            registry=self.registry,
        )
        self.open_sockets = Gauge(
            "booking_websockets_open", "Open WebSocket connections", registry=self.registry
        )
        self.events_sent = Counter(
            "booking_ws_events_sent", "booking:updated messages sent", registry=self.registry
        )
        self.conflicts = Counter(
            "booking_conflicts",
            "Refused changes by problem code (409/412)",
            ["code"],
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
