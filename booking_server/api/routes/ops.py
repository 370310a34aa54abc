"""Operational endpoints outside /api/v1: health and Prometheus metrics."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from booking_server.api.deps import ServicesDep, unauthenticated

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz(services: ServicesDep) -> dict[str, object]:
    return {"status": "ok", "cursor": await services.store.cursor()}


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def metrics(
    services: ServicesDep, authorization: Annotated[str | None, Header()] = None
) -> Response:
    """Open, unless BOOKING_METRICS_TOKEN is set: then only with `Authorization: Bearer <it>`."""
    expected = services.settings.metrics_token
    if expected is not None:
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), expected.encode()):
            raise unauthenticated("/metrics needs Authorization: Bearer <BOOKING_METRICS_TOKEN>")
    return Response(services.metrics.render(), media_type=CONTENT_TYPE_LATEST)
