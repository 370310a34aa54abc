"""A master's day in every status, for window tests and screenshots."""

from __future__ import annotations

from datetime import timedelta

from booking_core import Booking, Status

from .factories import NOW, booking

NAMES = {
    "u-carl": "Carl Jensen",
    "u-dora": "Dora Okafor",
    "u-emil": "Emil Novák",
    "u-fay": "Fay Lindqvist",
    "u-gus": "Gus Moreno",
}

_DAY = [
    # (id, hours from NOW, minutes, status, service, customer, note)
    ("d-01", -3.0, 45, Status.COMPLETED, "Haircut & wash", "u-carl", ""),
    ("d-02", -2.0, 30, Status.NO_SHOW, "Beard trim", "u-gus", ""),
    ("d-03", -1.5, 30, Status.EXPIRED, "Consultation", "u-fay", "Asked by phone"),
    ("d-04", -0.25, 60, Status.IN_PROGRESS, "Colour", "u-dora", "Copper, as last time"),
    ("d-05", 1.0, 45, Status.CONFIRMED, "Haircut", "u-emil", ""),
    ("d-06", 2.0, 30, Status.PENDING, "Beard trim", "u-carl", "First visit"),
    ("d-07", 2.5, 30, Status.DECLINED, "Haircut", "u-fay", ""),
    ("d-08", 3.0, 60, Status.PENDING, "Colour", "u-fay", "Allergic to ammonia"),
    ("d-09", 4.5, 45, Status.CANCELLED, "Haircut & wash", "u-gus", ""),
    ("d-10", 5.0, 30, Status.CONFIRMED, "Kids' haircut", "u-dora", "Two children"),
    ("d-11", 6.0, 45, Status.PENDING, "Haircut", "u-emil", ""),
]


def day() -> list[Booking]:
    return [
        booking(
            bid,
            start=NOW + timedelta(hours=hours),
            minutes=minutes,
            status=status,
            version=1 if status is Status.PENDING else 2,
            service=service,
            customer=customer,
            note=note,
        )
        for bid, hours, minutes, status, service, customer, note in _DAY
    ]
