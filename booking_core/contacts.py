"""A customer's contact details: phone and email, both optional, validated and normalised.

Visible only to the customer and to masters who have a booking with them (the server decides).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from booking_core.models import Role

_PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]+$")
# A practical check, not RFC 5322: one @, a local part, a dotted domain, no spaces.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(?:\.[^@\s.]+)+$")


def _phone(text: str) -> str:
    text = text.strip()
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE_CHARS.match(text) or not 5 <= digits <= 15:
        raise ValueError("a phone number: 5 to 15 digits, optionally +, spaces, ( ) . / -")
    return text


def _email(text: str) -> str:
    text = text.strip()
    if len(text) > 254 or not _EMAIL.match(text):
        raise ValueError("an email address like name@example.com")
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


Phone = Annotated[str, Field(max_length=40), AfterValidator(_phone)]
Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]


class ContactUpdate(BaseModel):
    """The body of PUT /users/me/contact: both fields (null or left out: none)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phone: Phone | None = None
    email: Email | None = None


class ContactDetails(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    phone: str | None = None
    email: str | None = None


class CustomerEntry(BaseModel):
    """One customer in a master's search; phone and email only when they have a booking
    together (left out of the JSON otherwise)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    username: str
    role: Role = Role.CUSTOMER
    display_name: str
    phone: str | None = Field(default=None, exclude_if=lambda v: v is None)
    email: str | None = Field(default=None, exclude_if=lambda v: v is None)
    has_booked: bool = False


class CustomerList(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    customers: list[CustomerEntry]
