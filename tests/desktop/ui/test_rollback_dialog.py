"""The rollback dialog says what was undone and why in plain words, with the server's state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from booking_core import Action, Status
from desktop_app.sync import Rollback
from desktop_app.ui.rollback_dialog import RollbackDialog

from .factories import CUSTOMER, booking


def _dialog(qtbot: QtBot) -> RollbackDialog:
    dialog = RollbackDialog(display_name=lambda uid: {CUSTOMER: "Carl Customer"}.get(uid, uid))
    qtbot.addWidget(dialog)
    return dialog


def test_one_rollback_shows_without_blocking_with_plain_words_and_current_state(
    qtbot: QtBot,
) -> None:
    dialog = _dialog(qtbot)
    current = booking(status=Status.CANCELLED, version=3)
    dialog.add(Rollback("b-1", Action.ACCEPT, "version_conflict", current))
    assert dialog.isVisible()
    assert not dialog.isModal()
    assert dialog.windowModality() == Qt.WindowModality.NonModal
    [text] = dialog.texts()
    assert "Your acceptance of “Haircut” with Carl Customer" in text
    assert "Someone else changed this booking first." in text
    assert "Now on the server:\nCancelled" in text
    assert "version" not in text  # the server's counter means nothing to a master
    assert "version_conflict" not in text


def test_a_bare_error_code_is_replaced_by_plain_words(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    dialog.add(Rollback("b-1", Action.ACCEPT, "slot_taken", booking()))
    dialog.add(Rollback("b-2", Action.CREATE, "not_found", None))
    first, second = dialog.texts()
    assert "This time slot was just taken" in first
    assert "slot_taken" not in first
    assert "Your new booking was undone." in second
    assert "no longer exists" in second
    assert "The server has no such booking now." in second


def test_rollbacks_pile_up_in_one_dialog_and_closing_clears_them(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    for n in range(3):
        dialog.add(Rollback(f"b-{n}", Action.CANCEL, "forbidden", booking()))
    assert len(dialog.texts()) == 3
    assert dialog.windowTitle() == "3 changes were undone"
    dialog.accept()
    assert not dialog.isVisible()
    assert dialog.rollbacks() == []
    dialog.add(Rollback("b-9", Action.DECLINE, "forbidden", booking()))
    assert len(dialog.texts()) == 1
    assert dialog.windowTitle() == "A change was undone"
