"""Extensions for the customers' web page: sign-up (a new customer signs themself in) and the
action table (which actions each party may take in each status), so the page asks the server
instead of keeping its own copy of the state machine."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Self

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from booking_core.errors import ErrorCode
from booking_core.models import Action, LoginResponse, Role, Status
from booking_core.state_machine import TRANSITIONS, Party
from booking_server.api.body import parse, read_body
from booking_server.api.deps import ServicesDep
from booking_server.api.openapi import PROBLEMS, body_of
from booking_server.auth import hash_password, new_token, token_hash
from booking_server.bookings import valid
from booking_server.errors import ProblemError
from booking_server.store import UserExistsError, UserRecord
from booking_server.store.catalog import Contact

router = APIRouter(tags=["web"])

# Deliberately loose: one "@", something on each side, a dot in the domain, no spaces. Whether the
# address works is not checked (no mail is sent).
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# "+49 30 1234-567", "(030) 123 456": digits with the usual separators, 6 to 15 digits.
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]+$")
MIN_PASSWORD = 8


class SignUpRequest(BaseModel):
    """A new customer: an email address, a phone number or both (the contact details the
    master sees once they have a booking together); the email, else the phone, signs in."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120)
    email: str | None = Field(default=None, max_length=120)
    phone: str | None = Field(default=None, max_length=40)
    password: str = Field(min_length=MIN_PASSWORD, max_length=1024)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not _EMAIL.match(value):
            raise ValueError("not an email address")
        return value.lower()

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        digits = re.sub(r"[^0-9]", "", value)
        if not _PHONE_CHARS.match(value) or not 6 <= len(digits) <= 15:
            raise ValueError("not a phone number (6 to 15 digits, optionally starting with +)")
        return ("+" if value.startswith("+") else "") + digits

    @model_validator(mode="after")
    def _a_contact(self) -> Self:
        if self.email is None and self.phone is None:
            raise ValueError("give an email address, a phone number or both")
        return self

    @property
    def username(self) -> str:
        """The sign-in name: the email address when given, else the phone number."""
        contact = self.email or self.phone
        assert contact is not None
        return contact


def _taken(field: str) -> ProblemError:
    return ProblemError.of(
        ErrorCode.INVALID_REQUEST,
        "an account with this sign-in name exists: sign in instead",
        errors=[
            {
                "loc": ["body", field],
                "field": field,
                "msg": "already registered",
                "type": "taken",
            }
        ],
    )


@router.post(
    "/auth/signup",
    status_code=201,
    response_model=LoginResponse,
    responses=PROBLEMS(400, 413, 422, 429),
    openapi_extra=body_of(SignUpRequest),
)
async def sign_up(request: Request, services: ServicesDep) -> Response:
    """Extension: a customer account, signed in at once (the answer is the login answer)."""
    client = request.client.host if request.client else "unknown"
    wait = services.signups.take(f"signup:{client}")
    if wait is not None:
        raise ProblemError.of(
            ErrorCode.RATE_LIMITED,
            f"too many sign-ups from this address: retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    limit = services.settings.max_body_bytes
    wanted = valid(parse(SignUpRequest, await read_body(request, limit), limit))
    field = "email" if wanted.email is not None else "phone"
    if await services.store.user_by_name(wanted.username) is not None:
        raise _taken(field)
    user = UserRecord(
        str(uuid.uuid4()),
        wanted.username,
        Role.CUSTOMER,
        wanted.name,
        await hash_password(wanted.password),
    )
    try:
        # The account and its contact details together, or neither.
        async with services.store.writer() as tx:
            if await tx.user_by_name(user.username) is not None:
                raise UserExistsError(user.username)
            await tx.add_user(user)
            await tx.catalog.save_contact(user.id, Contact(wanted.phone, wanted.email))
    except UserExistsError:
        raise _taken(field) from None
    token = new_token()
    expires = services.clock.now() + timedelta(seconds=services.settings.token_ttl_seconds)
    await services.store.add_token(token_hash(token), user.id, expires)
    body = LoginResponse(token=token, user=user.public())
    return Response(body.model_dump_json(), 201, media_type="application/json")


class ActionTable(BaseModel):
    """For each party, the actions it may take on a booking in each status ("update" is a PATCH
    of the note, "reschedule" a PATCH of the times, the rest POST .../transitions).
    `only_after_start`: actions possible only once the booking has started."""

    master: dict[Status, list[Action]]
    customer: dict[Status, list[Action]]
    only_after_start: list[Action]


def action_table() -> ActionTable:
    def for_party(party: Party) -> dict[Status, list[Action]]:
        return {
            status: [
                action
                for action, rule in TRANSITIONS.items()
                if party in rule.parties and status in rule.sources
            ]
            for status in Status
        }

    return ActionTable(
        master=for_party(Party.MASTER),
        customer=for_party(Party.CUSTOMER),
        only_after_start=[a for a, rule in TRANSITIONS.items() if rule.only_after_start],
    )


@router.get("/actions", response_model=ActionTable)
async def actions() -> ActionTable:
    """Extension, public: the state machine's table as data (the same for every booking)."""
    return action_table()
