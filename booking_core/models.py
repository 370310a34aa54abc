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
    # Extension (availability): the catalog service booked and its price as it was when booked
    # (`service` keeps its name). Left out of the JSON when there is none.
    service_id: str | None = Field(default=None, exclude_if=_is_none)
    price_minor: int | None = Field(default=None, ge=0, exclude_if=_is_none)
    currency: str | None = Field(default=None, exclude_if=_is_none)

    @model_validator(mode="after")
    def _share_fields_set(self) -> Self:
        # pydantic gives every instance its own set of the fields given (~730 bytes for 11
        # names: half of a booking's memory, 73 MB of 100k). Frozen, a booking never adds to it
        # (and copies copy it first), so all bookings given the same fields share one set: the
        # required fields plus the optional ones given (most bookings: none of them).
        given = self.__pydantic_fields_set__
        if len(given) == _REQUIRED_COUNT and given == _REQUIRED_BOOKING_FIELDS:
            object.__setattr__(self, "__pydantic_fields_set__", _REQUIRED_BOOKING_FIELDS)
            return self
        shared = _SHARED_FIELD_SETS.get(frozenset(given))
        if shared is not None:
            object.__setattr__(self, "__pydantic_fields_set__", shared)
        return self

    @property
    def is_active(self) -> bool:
        return self.status.is_active


_OPTIONAL_BOOKING_FIELDS = ("reason", "service_id", "price_minor", "currency")
_REQUIRED_BOOKING_FIELDS = set(Booking.model_fields) - set(_OPTIONAL_BOOKING_FIELDS)
_REQUIRED_COUNT = len(_REQUIRED_BOOKING_FIELDS)


def _field_sets() -> dict[frozenset[str], set[str]]:
    """One shared set per combination of the optional fields given (16 of them)."""
    sets: dict[frozenset[str], set[str]] = {}
    for mask in range(1 << len(_OPTIONAL_BOOKING_FIELDS)):
        chosen = {f for i, f in enumerate(_OPTIONAL_BOOKING_FIELDS) if mask >> i & 1}
        names = _REQUIRED_BOOKING_FIELDS | chosen
        sets[frozenset(names)] = names
    return sets


_SHARED_FIELD_SETS = _field_sets()


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
    # Extension (availability): the catalog service booked (see `BookingRequest`).
    service_id: str | None = Field(default=None, min_length=1, max_length=120)

    @model_validator(mode="after")
    def _times(self) -> Self:
        _check_times(self.starts_at, self.ends_at)
        return self


class BookingRequest(_Strict):
    """The body of POST /bookings as the server reads it: a `BookingCreate`, except that with
    [extension] `service_id` (a service of the master's catalog) `service` and `ends_at` may be
    left out: the name and duration come from the catalog (an `ends_at` given wins over the
    duration; the catalog's name wins over a `service` given)."""

    master_id: str = Field(min_length=1)
    customer_id: str | None = None
    service: Service | None = None
    starts_at: UtcDatetime
    ends_at: UtcDatetime | None = None
    note: Note = ""
    service_id: str | None = Field(default=None, min_length=1, max_length=120)

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.service_id is None:
            if self.service is None:
                raise ValueError("give service (or service_id)")
            if self.ends_at is None:
                raise ValueError("give ends_at (or service_id)")
        _check_times(self.starts_at, self.ends_at)
        return self

    def resolved(self, name: str, duration: timedelta) -> BookingCreate:
        """The create, with the catalog service's `name` and `duration` filling the gaps."""
        ends_at = self.ends_at if self.ends_at is not None else self.starts_at + duration
        return BookingCreate(
            master_id=self.master_id,
            customer_id=self.customer_id,
            service=name,
            starts_at=self.starts_at,
            ends_at=ends_at,
            note=self.note,
            service_id=self.service_id,
        )

    def plain(self) -> BookingCreate:
        """The create of a request without `service_id` (validated complete)."""
        assert self.service is not None
        assert self.ends_at is not None
        return BookingCreate(
            master_id=self.master_id,
            customer_id=self.customer_id,
            service=self.service,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            note=self.note,
        )


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


class PasswordChange(_Strict):
    """POST /auth/password [extension]: the caller's own password change."""

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=8, max_length=1024)


class LoginResponse(_Open):
    token: str
    user: UserPublic


class BookingList(_Open):
    bookings: list[Booking]
    cursor: int = Field(ge=0)
