"""`Overlay.pairs`, the fast `items()` that `replay` walks: same pairs, same order."""

from __future__ import annotations

from booking_core import Status
from desktop_app.sync.visible import Overlay
from tests.desktop.sync.harness import booking


def test_pairs_without_predictions_are_the_base_items() -> None:
    overlay = Overlay({b.id: b for b in (booking("b1"), booking("b2", hour=11))})
    assert list(overlay.pairs()) == list(overlay.items())


def test_pairs_read_through_predictions_in_items_order() -> None:
    base = {b.id: b for b in (booking("b1"), booking("b2", hour=11), booking("b3", hour=12))}
    overlay = Overlay(base)
    overlay.top["b2"] = booking("b2", hour=11, status=Status.CONFIRMED, version=2)
    overlay.top["new"] = booking("new", hour=13)
    pairs = list(overlay.pairs())
    assert pairs == list(overlay.items())
    assert [k for k, _ in pairs] == ["b1", "b2", "b3", "new"]
    assert dict(pairs)["b2"].status is Status.CONFIRMED
