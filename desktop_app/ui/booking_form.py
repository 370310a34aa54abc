"""The booking form: request a new booking, or move / re-note an existing one.

It checks what booking_core can check (lengths, times, the master's other active bookings) and
shows the problem inside the form; only a well-formed request is emitted, and nothing typed is lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError
from PySide6.QtCore import QDateTime, Qt, QTime, QTimeZone, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from booking_core import Booking, BookingCreate, BookingPatch, Role, Status, UserPublic, overlaps
from desktop_app.ui.resources import icon
from desktop_app.ui.statuses import time_range

DURATIONS = (15, 30, 45, 60, 75, 90, 120, 180, 240)  # minutes offered


class BookingForm(QDialog):
    """`BookingForm.for_create(...)` or `BookingForm.for_reschedule(...)`; non-blocking (show()).

    Emits `create_requested(BookingCreate)` or `reschedule_requested(str, BookingPatch)` and closes.
    `others` returns the bookings to check overlaps against (the visible ones).
    """

    create_requested = Signal(object)  # BookingCreate
    reschedule_requested = Signal(str, object)  # booking id, BookingPatch

    def __init__(
        self,
        user: UserPublic,
        others: Callable[[], Iterable[Booking]],
        *,
        booking: Booking | None = None,
        people: Mapping[str, str] | None = None,
        start: datetime | None = None,
        times_editable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._user = user
        self._others = others
        self._booking = booking
        self._people = dict(people or {})
        self.setModal(False)
        self.setWindowIcon(icon("calendar"))
        self.setMinimumWidth(420)
        self._error = QLabel()
        self._error.setObjectName("formError")
        self._error.setWordWrap(True)
        self._error.setAccessibleName(self.tr("Problem with the booking"))
        self._error.hide()
        self._party = self._field(QLineEdit(), "")
        self._service = self._field(QLineEdit(), self.tr("Service"))
        self._service.setMaxLength(120)
        self._date = QDateEdit()
        self._date.setCalendarPopup(True)
        self._date.setDisplayFormat("ddd d MMM yyyy")
        self._date.setAccessibleName(self.tr("Date"))
        self._time = TimeField()
        self._time.setAccessibleName(self.tr("Start time"))
        self._time.setPlaceholderText(self.tr("HH:MM"))
        self._duration = QComboBox()
        self._duration.setAccessibleName(self.tr("Duration"))
        for minutes in DURATIONS:
            self._duration.addItem(self.tr("%n min", "", minutes), minutes)
        self._note = QPlainTextEdit()
        self._note.setAccessibleName(self.tr("Note"))
        self._note.setPlaceholderText(self.tr("Anything the other side should know (optional)"))
        self._note.setFixedHeight(72)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.accepted.connect(self.submit)
        self._buttons.rejected.connect(self.reject)
        self._times_editable = times_editable
        # What cannot be changed is shown as text, not as a field that looks editable.
        self._fixed_times = QLabel()
        self._fixed_times.setObjectName("readOnlyTimes")
        self._fixed_times.setWordWrap(True)
        self._prefill(start)
        self._lay_out()
        # Any change makes the shown problem stale: it goes until the next check.
        self._time.textEdited.connect(self._error.hide)
        self._date.dateChanged.connect(self._error.hide)
        self._duration.currentIndexChanged.connect(self._error.hide)
        self._note.textChanged.connect(self._error.hide)

    @classmethod
    def for_create(
        cls,
        user: UserPublic,
        others: Callable[[], Iterable[Booking]],
        *,
        people: Mapping[str, str] | None = None,
        start: datetime | None = None,
        parent: QWidget | None = None,
    ) -> BookingForm:
        return cls(user, others, people=people, start=start, parent=parent)

    @classmethod
    def for_reschedule(
        cls,
        user: UserPublic,
        others: Callable[[], Iterable[Booking]],
        booking: Booking,
        *,
        people: Mapping[str, str] | None = None,
        times_editable: bool = True,
        parent: QWidget | None = None,
    ) -> BookingForm:
        """`times_editable=False` when only the note may change (e.g. a booking in progress)."""
        return cls(
            user,
            others,
            booking=booking,
            people=people,
            times_editable=times_editable,
            parent=parent,
        )

    # -- building ---------------------------------------------------------------------------------

    def _field(self, widget: QLineEdit, name: str) -> QLineEdit:
        widget.setAccessibleName(name)
        widget.textEdited.connect(self._error.hide)
        return widget

    def _party_caption(self) -> str:
        # A master books for a customer; a customer books with a master.
        return self.tr("&Customer:") if self._user.role is Role.MASTER else self.tr("&Master:")

    def _prefill(self, start: datetime | None) -> None:
        booking = self._booking
        if booking is not None:
            self.setWindowTitle(self.tr("Move or edit “%s”") % booking.service)
            self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save"))
            other = booking.customer_id if self._user.role is Role.MASTER else booking.master_id
            self._party.setText(self._people.get(other, other))
            self._service.setText(booking.service)
            for fixed in (self._party, self._service):
                _show_as_text(fixed)
            self._set_start(booking.starts_at)
            minutes = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
            self._select_duration(minutes)
            self._note.setPlainText(booking.note)
            self._fixed_times.setText(
                self.tr("%s (a booking in progress keeps its time)") % time_range(booking)
            )
            return
        self.setWindowTitle(self.tr("New booking"))
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Request"))
        self._party.setAccessibleName(self._party_caption().replace("&", "").rstrip(":"))
        self._party.setPlaceholderText(
            self.tr("Name, e.g. Carl Lind")
            if self._user.role is Role.MASTER
            else self.tr("Name, e.g. Anna Berg")
        )
        self._set_start(start or _next_half_hour(datetime.now(UTC)))
        self._select_duration(30)

    def _set_start(self, moment: datetime) -> None:
        local = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone.systemTimeZone())
        self._date.setDate(local.date())
        self._time.setTime(local.time())

    def _select_duration(self, minutes: int) -> None:
        index = self._duration.findData(minutes)
        if index < 0:
            self._duration.addItem(self.tr("%n min", "", minutes), minutes)
            index = self._duration.count() - 1
        self._duration.setCurrentIndex(index)

    def _lay_out(self) -> None:
        heading = QLabel(self.windowTitle())
        heading.setObjectName("dialogHeading")
        form = QFormLayout()
        form.addRow(self._party_caption(), self._party)
        form.addRow(self.tr("&Service:"), self._service)
        if self._times_editable:
            form.addRow(self.tr("&Date:"), self._date)
            form.addRow(self.tr("S&tarts at:"), self._time)
            form.addRow(self.tr("D&uration:"), self._duration)
        else:
            for hidden in (self._date, self._time, self._duration):
                hidden.hide()
            form.addRow(self.tr("When:"), self._fixed_times)
        form.addRow(self.tr("&Note:"), self._note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self._error)
        layout.addWidget(self._buttons)

    # -- reading and checking ---------------------------------------------------------------------

    def error_text(self) -> str:
        return "" if self._error.isHidden() else self._error.text()

    def set_values(
        self,
        *,
        party: str | None = None,
        service: str | None = None,
        start: datetime | None = None,
        minutes: int | None = None,
        note: str | None = None,
    ) -> None:
        """Fill fields programmatically (tests, and "book again" later)."""
        if party is not None:
            self._party.setText(party)
        if service is not None:
            self._service.setText(service)
        if start is not None:
            self._set_start(start)
        if minutes is not None:
            self._select_duration(minutes)
        if note is not None:
            self._note.setPlainText(note)

    def fill_from(self, body: BookingCreate, problem: str = "") -> None:
        """Put a sent request back into the form (the server refused it), with the problem."""
        other = body.customer_id if self._user.role is Role.MASTER else body.master_id
        self.set_values(
            party=self._people.get(other or "", other or ""),
            service=body.service,
            start=body.starts_at,
            minutes=int((body.ends_at - body.starts_at).total_seconds() // 60),
            note=body.note,
        )
        if problem:
            self._error.setText(problem)
            self._error.show()

    def times(self) -> tuple[datetime, datetime]:
        """The start and end as typed; ValueError when the start time cannot be read."""
        typed = self._time.time()
        if typed is None:
            raise ValueError(self.tr("Start time: type it as 14:30, 1430 or 9."))
        local = QDateTime(self._date.date(), typed, QTimeZone.systemTimeZone())
        starts_at = datetime.fromtimestamp(local.toSecsSinceEpoch(), UTC)
        return starts_at, starts_at + timedelta(minutes=int(self._duration.currentData()))

    def submit(self) -> None:
        """Check the form; emit the request and close, or show the problem and keep everything."""
        try:
            problem = self._emit_if_valid()
        except ValidationError as error:
            problem = _plain(error)
        except ValueError as error:
            problem = str(error)
        if problem:
            self._error.setText(problem)
            self._error.show()
        else:
            self.accept()

    def _emit_if_valid(self) -> str:
        starts_at, ends_at = self.times()
        note = self._note.toPlainText()
        if self._booking is not None:
            same_times = (starts_at, ends_at) == (self._booking.starts_at, self._booking.ends_at)
            if same_times and note == self._booking.note:
                return ""  # nothing changed: nothing to send (Save just closes)
            patch = BookingPatch(starts_at=starts_at, ends_at=ends_at, note=note)
            if same_times:
                patch = BookingPatch(note=note)
            moved = patch_booking(self._booking, patch)
            if patch.starts_at is not None and (clash := self._clash(moved)):
                return clash
            self.reschedule_requested.emit(self._booking.id, patch)
            return ""
        party = self._party_id()
        if not party:
            self._party.setFocus()
            return self._party_problem()
        create = self._create(party, starts_at, ends_at, note)
        probe = Booking(
            id="",
            master_id=create.master_id,
            customer_id=create.customer_id or self._user.id,
            service=create.service,
            starts_at=starts_at,
            ends_at=ends_at,
            status=Status.PENDING,
            version=1,
            updated_at=starts_at,
            updated_by=self._user.id,
        )
        if clash := self._clash(probe):
            return clash
        self.create_requested.emit(create)
        return ""

    def _party_id(self) -> str:
        """The id of the person typed: a known id, a known name, or the one known person whose
        name starts with what was typed ("carl" for "Carl Lind"); "" when none or several."""
        return resolve_person(self._party.text(), self._people)

    def _party_problem(self) -> str:
        typed = self._party.text().strip()
        field = self._party_caption().replace("&", "").rstrip(":")
        if not typed:
            return self.tr("%s: enter who the booking is with.") % field
        return self.tr(
            "%s: no one called “%s” is known here. Type the name as your bookings show it."
        ) % (field, typed)

    def _create(
        self, party: str, starts_at: datetime, ends_at: datetime, note: str
    ) -> BookingCreate:
        service = self._service.text().strip()
        if self._user.role is Role.MASTER:
            return BookingCreate(
                master_id=self._user.id,
                customer_id=party,
                service=service,
                starts_at=starts_at,
                ends_at=ends_at,
                note=note,
            )
        return BookingCreate(
            master_id=party, service=service, starts_at=starts_at, ends_at=ends_at, note=note
        )

    def _clash(self, wanted: Booking) -> str:
        other = clash(wanted, self._others())
        if other is None:
            return ""
        return self.tr("That time overlaps “%s” (%s). Choose another time.") % (
            other.service,
            time_range(other),
        )


def clash(wanted: Booking, others: Iterable[Booking]) -> Booking | None:
    """The first active booking of the same master that `wanted`'s time overlaps, if any."""
    for other in others:
        if (
            other.id != wanted.id
            and other.master_id == wanted.master_id
            and other.is_active
            and overlaps(wanted.starts_at, wanted.ends_at, other.starts_at, other.ends_at)
        ):
            return other
    return None


class TimeField(QLineEdit):
    """A start time typed the way people type it: 14:30, 1430, 14.30, 9:05, 905 or 9.

    A click into it selects what is there, so typing replaces it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeField")
        self.setMaxLength(5)
        self._select_on_release = False
        self.editingFinished.connect(self._tidy)

    def setTime(self, value: QTime) -> None:
        self.setText(value.toString("HH:mm"))

    def time(self) -> QTime | None:
        return parse_time(self.text())

    def _tidy(self) -> None:
        typed = self.time()
        if typed is not None:
            self.setTime(typed)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() == Qt.FocusReason.MouseFocusReason:
            self._select_on_release = True  # the press that focused it would undo a selection
        else:
            self.selectAll()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self._select_on_release:
            self._select_on_release = False
            if not self.hasSelectedText():  # a drag selects what it selects
                self.selectAll()


def parse_time(text: str) -> QTime | None:
    """ "14:30", "1430", "14.30", "9:05", "905", "9" -> the time; anything else -> None."""
    typed = text.strip().replace(".", ":").replace(" ", "")
    if ":" in typed:
        hours, _, minutes = typed.partition(":")
    elif len(typed) <= 2:
        hours, minutes = typed, "0"
    else:
        hours, minutes = typed[:-2], typed[-2:]
    if not (hours.isdigit() and minutes.isdigit()) or len(minutes) > 2 or len(hours) > 2:
        return None
    value = QTime(int(hours), int(minutes))
    return value if value.isValid() else None


def _show_as_text(field: QLineEdit) -> None:
    """A field that cannot change, shown as plain text rather than a greyed box."""
    field.setReadOnly(True)
    field.setFrame(False)
    field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    field.setObjectName("readOnlyField")


def resolve_person(typed: str, people: Mapping[str, str]) -> str:
    """The user id `typed` names among `people` (id -> display name): an id, a whole name (any
    case), or the start of exactly one name's words ("carl", "lind", "Carl L"). An id-shaped
    string (a UUID) of someone not yet known is taken as it is; anything else gives ""."""
    text = " ".join(typed.split())
    if not text:
        return ""
    if text in people:
        return text
    folded = text.casefold()
    by_name = {name.casefold(): uid for uid, name in people.items()}
    if folded in by_name:
        return by_name[folded]
    starts = {
        uid
        for uid, name in people.items()
        if name.casefold().startswith(folded)
        or any(word.startswith(folded) for word in name.casefold().split())
    }
    if len(starts) == 1:
        return next(iter(starts))
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return ""


def patch_booking(booking: Booking, patch: BookingPatch) -> Booking:
    """The booking as the patch would leave it (times and note only), for the overlap check."""
    return booking.model_copy(update=patch.model_dump(exclude_none=True))


def _plain(error: ValidationError) -> str:
    """The first validation problem as a sentence, without pydantic's jargon."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first.get("loc", ()) if part != "__root__")
    message = str(first.get("msg", "")).removeprefix("Value error, ")
    words = {"service": "Service", "note": "Note", "customer_id": "Customer"}
    prefix = f"{words.get(field, field.capitalize())}: " if field else ""
    return f"{prefix}{message[:1].upper()}{message[1:]}."


def _next_half_hour(moment: datetime) -> datetime:
    base = moment.replace(second=0, microsecond=0)
    return base + timedelta(minutes=30 - base.minute % 30)
