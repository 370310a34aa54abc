"""Pydantic models of the domain and of REST bodies, as docs/protocol.md defines them.

Input models (`*Create`, `*Patch`, `*Request`) forbid unknown fields and demand times with an
offset; every time is normalised to UTC so both sides compare like with like.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import SchemaValidator, core_schema

MAX_DURATION = timedelta(hours=12)
MAX_NOTE = 2000
MAX_SERVICE = 120

# pydantic-core reads "Z" and "+00:00" with one shared UTC tzinfo of its own; a time in UTC then
# only needs `UTC` as its tzinfo (a replace, ~3x cheaper than a conversion: 100k bookings from
# JSON are 300k of these). Should pydantic-core ever make a fresh tzinfo each time, the identity
# test fails and `astimezone` converts as before.
_PARSED_UTC = (
    SchemaValidator(core_schema.datetime_schema()).validate_json('"2000-01-01T00:00:00Z"').tzinfo
)


def _to_utc(value: datetime) -> datetime:
    zone = value.tzinfo
    if zone is UTC:
        return value
    if zone is _PARSED_UTC:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]


class _WireUtc:
    """A time of a booking from the wire: one already in UTC is taken as pydantic-core reads it
    (its tzinfo is pydantic's UTC, equal to `UTC` in every comparison, offset and format),
    without a Python call; any other offset is converted. 100k bookings read from JSON: ~40 ms
    less than `UtcDatetime` (300k validator calls). Same JSON schema as `AwareDatetime`; only
    for output models (two branches would make an input's error report longer)."""

    def __get_pydantic_core_schema__(
        self, source: object, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        converted = core_schema.no_info_after_validator_function(_to_utc, handler(source))
        return core_schema.union_schema(
            [core_schema.datetime_schema(tz_constraint=0), converted], mode="left_to_right"
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return handler(core_schema.datetime_schema())


WireUtcDatetime = Annotated[AwareDatetime, _WireUtc()]
Service = Annotated[str, Field(min_length=1, max_length=MAX_SERVICE)]
Note = Annotated[str, Field(max_length=MAX_NOTE)]


def _is_none(value: object) -> bool:
    return value is None


class Role(StrEnum):
    MASTER = "master"
    CUSTOMER = "customer"


class Status(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    EXPIRED = "expired"

    @property
    def is_active(self) -> bool:
        return self in ACTIVE_STATUSES


ACTIVE_STATUSES = frozenset({Status.PENDING, Status.CONFIRMED, Status.IN_PROGRESS})


class Action(StrEnum):
    CREATE = "create"
    ACCEPT = "accept"
    DECLINE = "decline"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"
    UPDATE = "update"
    START = "start"
    NO_SHOW = "no_show"
    COMPLETE = "complete"
    EXPIRE = "expire"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Open(BaseModel):
    """Models read from the wire ignore unknown fields: the protocol may be extended."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class UserPublic(_Open):
    id: str
    username: str
    role: Role
    display_name: str


class Booking(_Open):
    id: str
    master_id: str
    customer_id: str
    service: Service
    starts_at: WireUtcDatetime
    ends_at: WireUtcDatetime
    status: Status
    note: Note = ""
    version: int = Field(ge=1)
    updated_at: WireUtcDatetime
    updated_by: str
    # Extension: the reason given with the last status change (decline, cancel, no-show, ...).
    # Left out of the JSON when there is none, so a booking without one is as it always was.
    reason: Note | None = Field(default=None, exclude_if=_is_none)

    @model_validator(mode="after")
    def _share_fields_set(self) -> Self:
        # pydantic gives every instance its own set of the fields given (~730 bytes for 11
        # names: half of a booking's memory, 73 MB of 100k). Frozen, a booking never adds to it
        # (and copies copy it first), so all bookings given every field share one set: the set
        # of every field, or of every field but the optional `reason` (most bookings).
        given = self.__pydantic_fields_set__
        if len(given) == _BOOKING_FIELD_COUNT:
            object.__setattr__(self, "__pydantic_fields_set__", _ALL_BOOKING_FIELDS)
        elif len(given) == _BOOKING_FIELD_COUNT - 1 and "reason" not in given:
            object.__setattr__(self, "__pydantic_fields_set__", _BOOKING_FIELDS_BUT_REASON)
        return self

    @property
    def is_active(self) -> bool:
        return self.status.is_active


_ALL_BOOKING_FIELDS = set(Booking.model_fields)
_BOOKING_FIELDS_BUT_REASON = _ALL_BOOKING_FIELDS - {"reason"}
_BOOKING_FIELD_COUNT = len(_ALL_BOOKING_FIELDS)


def _check_times(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is None or ends_at is None:
        return
    if ends_at <= starts_at:
        raise ValueError("ends_at must be after starts_at")
    if ends_at - starts_at > MAX_DURATION:
        raise ValueError("a booking lasts at most 12 hours")


class BookingCreate(_Strict):
    master_id: str = Field(min_length=1)
    customer_id: str | None = None
    service: Service
    starts_at: UtcDatetime
    ends_at: UtcDatetime
    note: Note = ""

    @model_validator(mode="after")
    def _times(self) -> Self:
        _check_times(self.starts_at, self.ends_at)
        return self


class BookingPatch(_Strict):
    starts_at: UtcDatetime | None = None
    ends_at: UtcDatetime | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _times(self) -> Self:
        if (self.starts_at is None) != (self.ends_at is None):
            raise ValueError("starts_at and ends_at are changed together")
        if self.starts_at is None and self.note is None:
            raise ValueError("nothing to change: give starts_at and ends_at, or note")
        _check_times(self.starts_at, self.ends_at)
        return self


class TransitionRequest(_Strict):
    action: Action
    reason: Note | None = None


class LoginRequest(_Strict):
    username: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=1, max_length=1024)


class LoginResponse(_Open):
    token: str
    user: UserPublic


class BookingList(_Open):
    bookings: list[Booking]
    cursor: int = Field(ge=0)
