"""Input validation of the shared models: offsets, duration, lengths, unknown fields."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from booking_core import (
    Booking,
    BookingCreate,
    BookingPatch,
    Problem,
    Viewing,
    WatchAvailability,
    parse_client_message,
)
from booking_core.errors import ErrorCode
from booking_core.events import BookingUpdated, Hello, parse_server_message

T0 = "2026-11-25T10:00:00+02:00"


def _create(**kw: object) -> BookingCreate:
    body: dict[str, object] = {
        "master_id": "m",
        "service": "Cut",
        "starts_at": T0,
        "ends_at": "2026-11-25T11:00:00+02:00",
    }
    body.update(kw)
    return BookingCreate.model_validate(body)


def test_times_are_normalised_to_utc() -> None:
    created = _create()
    assert created.starts_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert created.starts_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("starts_at", "2026-11-25T10:00:00"),  # no offset
        ("ends_at", T0),  # not after starts_at
        ("ends_at", "2026-11-25T22:00:01+02:00"),  # longer than 12 h
        ("service", ""),
        ("service", "x" * 121),
        ("note", "x" * 2001),
        ("colour", "red"),  # unknown field
    ],
)
def test_create_refuses_bad_input(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        _create(**{field: value})


def test_twelve_hours_exactly_is_allowed() -> None:
    assert _create(ends_at="2026-11-25T22:00:00+02:00").ends_at.hour == 20


def test_patch_needs_both_times_or_a_note() -> None:
    with pytest.raises(ValidationError):
        BookingPatch.model_validate({})
    with pytest.raises(ValidationError):
        BookingPatch.model_validate({"starts_at": T0})
    assert BookingPatch.model_validate({"note": ""}).note == ""


def test_problem_carries_status_and_code() -> None:
    problem = Problem.of(ErrorCode.SLOT_TAKEN, "anna is busy then")
    body = problem.model_dump(mode="json", exclude_none=True)
    assert body["status"] == 409
    assert body["code"] == "slot_taken"
    assert body["detail"] == "anna is busy then"


def test_server_messages_parse_by_type() -> None:
    hello = parse_server_message('{"type":"hello","cursor":4,"server_time":"2026-01-01T00:00:00Z"}')
    assert hello == Hello(cursor=4, server_time=datetime(2026, 1, 1, tzinfo=UTC))
    booking = _create().model_dump(mode="json") | {
        "id": "b",
        "customer_id": "c",
        "status": "pending",
        "version": 1,
        "updated_at": T0,
        "updated_by": "c",
        "future_field": 1,
    }
    event = parse_server_message(
        BookingUpdated.model_validate(
            {"seq": 5, "action": "create", "booking": booking, "changes": {}, "actor": "c"}
        ).model_dump_json()
    )
    assert isinstance(event, BookingUpdated)
    assert event.booking.starts_at.tzinfo is not None
    with pytest.raises(ValidationError):
        parse_server_message('{"type":"nope"}')


def test_client_messages_are_strict() -> None:
    viewing = parse_client_message('{"type":"viewing","booking_id":null}')
    assert isinstance(viewing, Viewing)
    assert viewing.booking_id is None
    watch = parse_client_message('{"type":"watch_availability","master_id":"m1"}')
    assert isinstance(watch, WatchAvailability)
    assert watch.master_id == "m1"
    for raw in ['{"type":"viewing"}', '{"type":"other","booking_id":null}', "not json"]:
        with pytest.raises(ValidationError):
            parse_client_message(raw)


def test_aware_times_in_other_zones_compare_equal() -> None:
    east = _create(starts_at="2026-11-25T13:00:00+05:00", ends_at="2026-11-25T14:00:00+05:00")
    assert east.starts_at == datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)  # noqa: UP017


def _booking_json(**times: str) -> dict[str, object]:
    return {
        "id": "b",
        "master_id": "m",
        "customer_id": "c",
        "service": "Cut",
        "starts_at": times.get("starts_at", "2026-11-25T10:00:00Z"),
        "ends_at": times.get("ends_at", "2026-11-25T11:00:00+00:00"),
        "status": "pending",
        "note": "",
        "version": 1,
        "updated_at": times.get("updated_at", "2026-11-25T09:00:00+02:00"),
        "updated_by": "c",
    }


@pytest.mark.parametrize("parse", ["json", "python"])
def test_booking_times_are_utc_whatever_the_offset_written(parse: str) -> None:
    body = _booking_json()
    booking = (
        Booking.model_validate_json(json.dumps(body))
        if parse == "json"
        else Booking.model_validate(body)
    )
    assert booking.starts_at == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert booking.ends_at == datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
    assert booking.updated_at == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    for moment in (booking.starts_at, booking.ends_at, booking.updated_at):
        # UTC as read (pydantic's own UTC tzinfo for "Z") or converted: equal to `UTC` always.
        assert moment.utcoffset() == timedelta(0)
        assert moment.tzinfo == UTC
        assert moment.isoformat().endswith("+00:00")
    assert Booking.model_validate(booking.model_dump()) == booking
    assert (
        booking.model_dump_json() == Booking.model_validate(booking.model_dump()).model_dump_json()
    )
    assert '"updated_at":"2026-11-25T07:00:00Z"' in booking.model_dump_json()


def test_booking_times_keep_the_plain_date_time_schema() -> None:
    properties = Booking.model_json_schema()["properties"]
    for field in ("starts_at", "ends_at", "updated_at"):
        assert {k: v for k, v in properties[field].items() if k != "title"} == {
            "format": "date-time",
            "type": "string",
        }


def test_complete_bookings_share_one_fields_set_and_copies_do_not_touch_it() -> None:
    first = Booking.model_validate_json(json.dumps(_booking_json()))
    second = Booking.model_validate(_booking_json() | {"id": "b2"})
    assert first.model_fields_set is second.model_fields_set  # one set, not ~730 bytes each
    optional = {"reason", "service_id", "price_minor", "currency"}
    every_field_but_reason = set(Booking.model_fields) - optional
    assert first.model_fields_set == every_field_but_reason
    moved = first.model_copy(update={"note": "moved", "version": 2})
    assert moved.model_fields_set is not first.model_fields_set
    assert second.model_fields_set == every_field_but_reason
    without_note = {k: v for k, v in _booking_json().items() if k != "note"}
    partial = Booking.model_validate(without_note)
    assert "note" not in partial.model_fields_set
    assert "note" not in partial.model_dump(exclude_unset=True)
    assert first.model_fields_set == every_field_but_reason


def test_bookings_with_a_reason_share_the_set_of_every_field() -> None:
    given = _booking_json() | {"status": "declined", "reason": "ill"}
    first = Booking.model_validate_json(json.dumps(given))
    second = Booking.model_validate(given | {"id": "b2"})
    assert first.model_fields_set is second.model_fields_set
    every_field_but_service = set(Booking.model_fields) - {"service_id", "price_minor", "currency"}
    assert first.model_fields_set == every_field_but_service
    without = Booking.model_validate(_booking_json())
    assert without.model_fields_set is not first.model_fields_set
    cleared = first.model_copy(update={"reason": None, "version": 2})
    assert first.model_fields_set == every_field_but_service  # the copy did not touch it
    assert (cleared.reason, first.reason) == (None, "ill")


def test_a_reason_is_in_the_json_only_when_there_is_one() -> None:
    without = Booking.model_validate(_booking_json())
    assert "reason" not in json.loads(without.model_dump_json())
    assert "reason" not in without.model_dump(mode="json")
    given = Booking.model_validate(_booking_json() | {"reason": "ill"})
    assert json.loads(given.model_dump_json())["reason"] == "ill"
    assert Booking.model_validate_json(given.model_dump_json()) == given
    explicit_null = Booking.model_validate(_booking_json() | {"reason": None})
    assert explicit_null == without
    assert "reason" not in json.loads(explicit_null.model_dump_json())
    with pytest.raises(ValidationError):
        Booking.model_validate(_booking_json() | {"reason": "x" * 2001})
    schema = Booking.model_json_schema(mode="serialization")
    assert "reason" not in schema["required"]
    assert schema["properties"]["reason"]["anyOf"] == [
        {"maxLength": 2000, "type": "string"},
        {"type": "null"},
    ]
