"""What a client reads to choose whom and what to book (availability extension, docs/protocol.md):
the masters (`GET /masters`) and a master's services (`GET /masters/{id}/services`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from booking_core.availability import Service


class MasterEntry(BaseModel):
    """One master of `GET /masters` (public)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    username: str
    display_name: str
    time_zone: str


class MasterList(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    masters: list[MasterEntry]


class ServiceList(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    services: list[Service]
