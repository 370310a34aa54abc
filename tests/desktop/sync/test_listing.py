"""Listing replies: read straight from the bytes (in chunks when big), and the first full load.

`read_listing` must give exactly what one `BookingList.model_validate_json` of the whole body
gives, whatever the bookings hold; the engine takes a listing as a `BookingList` (from the shell)
or as parsed JSON, the same way.
"""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from booking_core import BookingList
from desktop_app.sync import ReplyReceived, SendRequest, wire
from desktop_app.sync.visible import replay
from desktop_app.sync.wire import read_listing
from tests.desktop.sync.harness import World, booking

AWKWARD_NOTES = [
    'ends with a brace {"',
    '},{"id":"fake","master_id":"m1"}',
    '],"cursor":999999}',
    'tricky \\"},{\\"id\\": and unicode é ✂',
]


def listing_bytes(count: int, extra: dict[str, object] | None = None) -> bytes:
    bookings = [
        booking(f"b{n}", hour=n % 24, note=AWKWARD_NOTES[n % len(AWKWARD_NOTES)]).model_dump(
            mode="json"
        )
        | (extra or {})
        for n in range(count)
    ]
    return json.dumps({"bookings": bookings, "cursor": 7}, separators=(",", ":")).encode()


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wire, "LISTING_CHUNK", 700)  # a few bookings per chunk


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("count", [0, 1, 2, 3, 40])
def test_a_chunked_read_equals_one_validation_of_the_whole(count: int) -> None:
    raw = listing_bytes(count)
    listing = read_listing(raw)
    assert listing == BookingList.model_validate_json(raw)
    assert [b.id for b in listing.bookings] == [f"b{n}" for n in range(count)]
    assert listing.cursor == 7


@pytest.mark.usefixtures("small_chunks")
def test_nested_objects_of_a_future_field_do_not_fool_the_cuts() -> None:
    nested: dict[str, object] = {
        "tags": [{"id": "t1"}, {"id": "t2", "x": [1, {"id": 3}]}],
        "extra": {"cursor": 1},
    }
    raw = listing_bytes(40, nested)
    assert read_listing(raw) == BookingList.model_validate_json(raw)


@pytest.mark.usefixtures("small_chunks")
def test_other_layouts_are_read_whole() -> None:
    raw = listing_bytes(40)
    spaced = json.dumps(json.loads(raw), indent=1).encode()
    reordered = json.dumps({"cursor": 7, "bookings": json.loads(raw)["bookings"]}).encode()
    more = raw[:-1] + b',"later":{"a":[],"cursor":1}}'
    for body in (spaced, reordered, more):
        assert read_listing(body) == BookingList.model_validate_json(raw)


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize(
    "body",
    [
        b"{}",
        b'{"bookings":[],"cursor":-1}',
        listing_bytes(40)[:-30],  # truncated
        listing_bytes(40).replace(b'"version":1', b'"version":0', 1),  # one bad booking
    ],
)
def test_what_is_not_a_listing_is_refused(body: bytes) -> None:
    with pytest.raises(ValidationError):
        read_listing(body)


def fetch(world: World) -> SendRequest:
    [pending] = world.requests
    assert pending.request.listing  # the shell may read the answer straight into a BookingList
    return pending.request


@pytest.mark.parametrize("as_json", [True, False])
def test_a_first_load_takes_a_listing_either_way_and_shows_every_row(as_json: bool) -> None:
    world = World()
    for n in range(5):
        world.server.seed(booking(f"b{n}", hour=n), world.now)
    world.start()
    request = fetch(world)
    answer = world.server.request(world.user, "GET", request.path, None, {}, world.now)
    body = answer.body
    if not as_json:
        body = read_listing(json.dumps(body).encode())
    world.feed(ReplyReceived(request.request_id, 200, {}, body, world.now))
    engine = world.engine
    assert sorted(engine.visible) == [f"b{n}" for n in range(5)]
    assert engine.cursor == world.server.seq
    assert dict(engine.visible) == replay(engine.server, engine.outbox, engine.user, engine.now)
    assert [sorted(r.inserted) for r in world.rows] == [[f"b{n}" for n in range(5)]]


def test_a_first_load_listing_an_id_twice_keeps_the_newer_version() -> None:
    world = World()
    world.start()
    request = fetch(world)
    twice = BookingList(
        bookings=[booking("b1", version=2, note="new"), booking("b1", note="old")], cursor=3
    )
    world.feed(ReplyReceived(request.request_id, 200, {}, twice, world.now))
    assert world.engine.server["b1"].note == "new"
    assert world.engine.visible["b1"].booking.note == "new"
