"""Operational endpoints outside /api/v1: health and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.responses import Response

from booking_server.api.deps import ServicesDep

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz(services: ServicesDep) -> dict[str, object]:
    return {"status": "ok", "cursor": await services.store.cursor()}


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def metrics(services: ServicesDep) -> Response:
    return Response(services.metrics.render(), media_type=CONTENT_TYPE_LATEST)
