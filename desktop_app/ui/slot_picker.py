"""Customer mode's "Book a free time": pick a master and a service, see the master's free slots of
a day, book one.

The masters, their services and the free slots are read from the server (`Directory`: `GET
/masters`, `/masters/{id}/services`, `/masters/{id}/availability`). While the dialog is open it
watches the chosen master (`watch(master_id)`: the socket's `watch_availability`); the window
calls `availability_changed(master_id)` on each `availability:updated`, and the slots are read
again, so a slot someone else takes meanwhile disappears. Booking emits `create_requested` with a
`BookingCreate` carrying `service_id` (the window sends it through the engine like any request).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from booking_core import BookingCreate, Clock, UserPublic
from booking_core.availability import Availability, Service
from booking_core.directory import MasterEntry
from desktop_app.directory import Directory, Kind
from desktop_app.ui.booking_form import service_text
from desktop_app.ui.resources import icon

Watch = Callable[[str | None], None]
FIND_DAYS = 14  # how far ahead the first day with free times is looked for


class SlotPicker(QDialog):
    """Non-blocking (show()); emits `create_requested(BookingCreate)` and closes on "Book"."""

    create_requested = Signal(object)  # BookingCreate

    def __init__(
        self,
        user: UserPublic,
        directory: Directory,
        clock: Clock,
        *,
        watch: Watch | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.setWindowIcon(icon("calendar"))
        self.setWindowTitle(self.tr("Book a free time"))
        self.setMinimumWidth(460)
        self._user = user
        self._directory = directory
        self._clock = clock
        self._watch = watch
        self._watched: str | None = None
        self._masters: list[MasterEntry] = []
        self._services: list[Service] = []
        self._wanted: BookingCreate | None = None  # a refused request to choose again for
        # Until the day is chosen by hand: a day with nothing free moves on to the next one that
        # has free times (a customer opening it on the master's day off sees when they can come).
        self._find_first = True
        self.master = QComboBox()
        self.master.setAccessibleName(self.tr("Master"))
        self.service = QComboBox()
        self.service.setAccessibleName(self.tr("Service"))
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd d MMM yyyy")
        self.date.setAccessibleName(self.tr("Day"))
        today = clock().astimezone().date()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.date.setMinimumDate(QDate(today.year, today.month, today.day))
        self.previous_day = QToolButton()
        self.previous_day.setText("‹")
        self.previous_day.setAccessibleName(self.tr("Previous day"))
        self.next_day = QToolButton()
        self.next_day.setText("›")
        self.next_day.setAccessibleName(self.tr("Next day"))
        self.slots = QListWidget()
        self.slots.setObjectName("freeSlots")
        self.slots.setAccessibleName(self.tr("Free times"))
        self.slots.setFlow(QListView.Flow.LeftToRight)
        self.slots.setWrapping(True)
        self.slots.setResizeMode(QListView.ResizeMode.Adjust)
        self.slots.setUniformItemSizes(True)
        self.slots.setSpacing(3)
        self.slots.setMinimumHeight(110)
        self.slots.setMaximumHeight(190)
        self.note_text = QLabel()
        self.note_text.setObjectName("formHint")
        self.note_text.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setPlaceholderText(self.tr("Anything the master should know (optional)"))
        self.note.setFixedHeight(60)
        self._error = QLabel()
        self._error.setObjectName("formError")
        self._error.setWordWrap(True)
        self._error.hide()
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.book_button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.book_button.setText(self.tr("Book"))
        self.book_button.setEnabled(False)
        self._lay_out()
        self.master.activated.connect(self._master_chosen)
        self.service.activated.connect(self._service_chosen)
        self.date.dateChanged.connect(self._day_changed)
        self.previous_day.clicked.connect(lambda: self._step(-1))
        self.next_day.clicked.connect(lambda: self._step(1))
        self.slots.itemSelectionChanged.connect(self._slot_changed)
        self.slots.itemDoubleClicked.connect(lambda _item: self.book())
        self._buttons.accepted.connect(self.book)
        self._buttons.rejected.connect(self.reject)
        directory.masters_loaded.connect(self._masters_loaded)
        directory.services_loaded.connect(self._services_loaded)
        directory.availability_loaded.connect(self._availability_loaded)
        directory.failed.connect(self._failed)
        self._say(self.tr("Loading the masters…"))
        directory.ask_masters()

    def _lay_out(self) -> None:
        heading = QLabel(self.windowTitle())
        heading.setObjectName("dialogHeading")
        day = QHBoxLayout()
        day.setSpacing(4)
        day.addWidget(self.previous_day)
        day.addWidget(self.date, 1)
        day.addWidget(self.next_day)
        form = QFormLayout()
        form.addRow(self.tr("&Master:"), self.master)
        form.addRow(self.tr("&Service:"), self.service)
        form.addRow(_buddy(self.tr("&Day:"), self.date), day)
        slots = QVBoxLayout()
        slots.setSpacing(4)
        slots.addWidget(self.slots)
        slots.addWidget(self.note_text)
        form.addRow(_buddy(self.tr("&Free times:"), self.slots), slots)
        form.addRow(self.tr("&Note:"), self.note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self._error)
        layout.addWidget(self._buttons)

    # -- what is chosen ---------------------------------------------------------------------------

    def chosen_master(self) -> MasterEntry | None:
        index = self.master.currentIndex()
        return self._masters[index] if 0 <= index < len(self._masters) else None

    def services(self) -> list[Service]:
        """The chosen master's services, as listed."""
        return list(self._services)

    def chosen_service(self) -> Service | None:
        index = self.service.currentIndex()
        return self._services[index] if 0 <= index < len(self._services) else None

    def day(self) -> date:
        picked = self.date.date()
        return date(picked.year(), picked.month(), picked.day())

    def choose(self, *, master_id: str | None = None, service_id: str | None = None) -> None:
        """Choose a master and/or a service as clicks would (tests)."""
        if master_id is not None:
            index = next(n for n, m in enumerate(self._masters) if m.id == master_id)
            self.master.setCurrentIndex(index)
            self._master_chosen(index)
        if service_id is not None:
            index = next(n for n, s in enumerate(self._services) if s.id == service_id)
            self.service.setCurrentIndex(index)
            self._service_chosen(index)

    def set_day(self, day: date) -> None:
        """Show that day's free times (a day chosen stays chosen)."""
        self.date.setDate(QDate(day.year, day.month, day.day))

    def slot_starts(self) -> list[datetime]:
        """The free times shown (their starts)."""
        return [
            self.slots.item(n).data(Qt.ItemDataRole.UserRole)[0] for n in range(self.slots.count())
        ]

    def note_shown(self) -> str:
        return self.note_text.text()

    def error_text(self) -> str:
        return "" if self._error.isHidden() else self._error.text()

    def choose_slot(self, start: datetime) -> None:
        for n in range(self.slots.count()):
            if self.slots.item(n).data(Qt.ItemDataRole.UserRole)[0] == start:
                self.slots.setCurrentRow(n)
                return
        raise KeyError(start)

    def fill_from(self, body: BookingCreate, problem: str) -> None:
        """Choose again for a request the server refused: its master, service, day and note,
        with the reason shown (the slot itself is gone from the list if it was taken)."""
        self._wanted = body
        self._find_first = False
        self.note.setPlainText(body.note)
        self.set_day(body.starts_at.astimezone().date())
        self._error.setText(problem)
        self._error.show()

    # -- reading ----------------------------------------------------------------------------------

    def _masters_loaded(self, masters: Sequence[MasterEntry]) -> None:
        self._masters = list(masters)
        self.master.clear()
        for master in self._masters:
            self.master.addItem(master.display_name, master.id)
        if not self._masters:
            self._say(self.tr("No master offers bookings on this server yet."))
            return
        wanted = self._wanted.master_id if self._wanted is not None else None
        index = next((n for n, m in enumerate(self._masters) if m.id == wanted), 0)
        self.master.setCurrentIndex(index)
        self._master_chosen(index)

    def _master_chosen(self, _index: int) -> None:
        master = self.chosen_master()
        if master is None:
            return
        self._set_watched(master.id)
        self._services = []
        self.service.clear()
        self._clear_slots()
        self._say(self.tr("Loading %s's services…") % master.display_name)
        self._directory.ask_services(master.id)

    def _services_loaded(self, master_id: str, services: Sequence[Service] | None) -> None:
        master = self.chosen_master()
        if master is None or master.id != master_id:
            return
        self._services = [s for s in services or () if s.active]
        self.service.clear()
        for service in self._services:
            self.service.addItem(service_text(service), service.id)
        if not self._services:
            self._say(self.tr("%s offers no services yet.") % master.display_name)
            return
        wanted = self._wanted.service_id if self._wanted is not None else None
        index = next((n for n, s in enumerate(self._services) if s.id == wanted), 0)
        self._wanted = None
        self.service.setCurrentIndex(index)
        self._service_chosen(index)

    def _service_chosen(self, _index: int) -> None:
        self._clear_slots()  # another service's times must not stay clickable meanwhile
        self.refresh()

    def _day_changed(self) -> None:
        self._find_first = False
        self._clear_slots()  # another day's times must not stay clickable meanwhile
        self.refresh()

    def _step(self, days: int) -> None:
        self.set_day(self.day() + timedelta(days=days))

    def refresh(self) -> None:
        """Read the free slots of the chosen master, service and day (again)."""
        master, service = self.chosen_master(), self.chosen_service()
        if master is None or service is None:
            return
        day = self.day()
        if self.slots.count() == 0:
            self._say(self.tr("Looking for free times…"))
        # The day shown is the computer's; the master's days around it cover it in any zone.
        ahead = FIND_DAYS if self._find_first else 1
        self._directory.ask_availability(
            master.id, service.id, day - timedelta(days=1), day + timedelta(days=ahead)
        )

    def availability_changed(self, master_id: str) -> None:
        """The server says the master's free slots may have changed: read them again."""
        master = self.chosen_master()
        if master is not None and master.id == master_id:
            self.refresh()

    def _availability_loaded(
        self, master_id: str, service_id: str, _first: date, found: Availability | None
    ) -> None:
        master, service = self.chosen_master(), self.chosen_service()
        if master is None or service is None or (master.id, service.id) != (master_id, service_id):
            return
        if found is None:
            self._clear_slots()
            self._say(self.tr("This service cannot be booked any more."))
            return
        chosen = self._chosen_slot()
        day = self.day()
        if self._find_first:
            self._find_first = False
            later = [s.starts_at for s in found.slots if s.starts_at.astimezone().date() >= day]
            if later and later[0].astimezone().date() != day:
                self.set_day(later[0].astimezone().date())  # reads that day's slots
                return
        slots = [
            (slot.starts_at, slot.ends_at)
            for slot in found.slots
            if slot.starts_at.astimezone().date() == day
        ]
        self.slots.blockSignals(True)
        self.slots.clear()
        for start, end in slots:
            item = QListWidgetItem(f"{start.astimezone():%H:%M}")
            item.setData(Qt.ItemDataRole.UserRole, (start, end))
            item.setToolTip(f"{start.astimezone():%H:%M}–{end.astimezone():%H:%M}")
            self.slots.addItem(item)
            if chosen is not None and chosen[0] == start:
                self.slots.setCurrentItem(item)
        self.slots.blockSignals(False)
        if chosen is not None and self._chosen_slot() is None:
            self._error.setText(
                self.tr("The time you chose (%s) was just taken. Choose another one.")
                % f"{chosen[0].astimezone():%H:%M}"
            )
            self._error.show()
        if slots:
            count = (
                self.tr("1 free time: choose it.")
                if len(slots) == 1
                else self.tr("%n free times: choose one.", "", len(slots))
            )
            self._say(count + "  " + self.tr("Times are your computer's (%s).") % _zone_name())
        else:
            self._say(self.tr("No free time on this day: try another day."))
        self._slot_changed()

    def _failed(self, kind: str, message: str) -> None:
        if kind in (Kind.MASTERS, Kind.SERVICES, Kind.AVAILABILITY):
            self._say(self.tr("The server cannot be reached now: %s") % message)

    # -- booking ----------------------------------------------------------------------------------

    def _chosen_slot(self) -> tuple[datetime, datetime] | None:
        selected = self.slots.selectedItems()
        if not selected:
            return None
        found: tuple[datetime, datetime] = selected[0].data(Qt.ItemDataRole.UserRole)
        return found

    def _slot_changed(self, *_args: object) -> None:
        if self._chosen_slot() is not None:
            self._error.hide()
        self.book_button.setEnabled(self._chosen_slot() is not None)

    def book(self) -> None:
        """Send the booking request for the chosen slot and close (or explain what is missing)."""
        master, service, slot = self.chosen_master(), self.chosen_service(), self._chosen_slot()
        if master is None or service is None or slot is None:
            self._error.setText(self.tr("Choose a master, a service and a free time first."))
            self._error.show()
            return
        note = self.note.toPlainText()
        if len(note) > 2000:
            self._error.setText(self.tr("Note: at most 2000 characters."))
            self._error.show()
            return
        self.create_requested.emit(
            BookingCreate(
                master_id=master.id,
                service=service.name,
                service_id=service.id,
                starts_at=slot[0],
                ends_at=slot[1],
                note=note,
            )
        )
        self.accept()

    # -- helpers ----------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.note_text.setText(text)

    def _clear_slots(self) -> None:
        self.slots.clear()
        self._slot_changed()

    def _set_watched(self, master_id: str | None) -> None:
        if master_id != self._watched and self._watch is not None:
            self._watch(master_id)
        self._watched = master_id

    def done(self, result: int) -> None:
        self._set_watched(None)
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._set_watched(None)
        super().closeEvent(event)


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A form row's caption whose &-shortcut focuses `widget` (for a row that is a layout)."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _zone_name() -> str:
    return datetime.now().astimezone().tzname() or "local"
