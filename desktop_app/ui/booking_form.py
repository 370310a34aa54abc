"""The booking form: request a new booking, or move / re-note an existing one.

It checks what booking_core can check (lengths, times, the master's other active bookings) and
shows the problem inside the form; only a well-formed request is emitted, and nothing typed is lost.

With a master's catalog (`catalog`, see `CatalogLike`) the service is chosen from the catalog (its
duration filled in; the request carries `service_id`) and the free slots of the chosen day are
offered, computed here from the loaded bookings (`between`, the model's bisection) with
`work_hours.suggest_slots`; with a `Directory` the customer is found by a search-as-you-type list
(name, username, phone, email). A clash with another booking is shown as soon as the time is
chosen, before anything is sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from pydantic import ValidationError
from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTime, QTimer, QTimeZone, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from booking_core import (
    MAX_DURATION,
    Booking,
    BookingCreate,
    BookingPatch,
    Clock,
    Role,
    Status,
    UserPublic,
    overlaps,
)
from booking_core.availability import Service
from booking_core.contacts import CustomerEntry
from desktop_app.directory import Directory, Kind
from desktop_app.ui.resources import icon
from desktop_app.ui.statuses import time_range
from desktop_app.ui.work_hours import (
    BookingsBetween,
    CatalogLike,
    suggest_slots,
    working_spans,
)

DURATIONS = (15, 30, 45, 60, 75, 90, 120, 180, 240)  # minutes offered
SEARCH_DELAY_MS = 250  # the customer search waits for a pause in typing
SEARCH_LIMIT = 8


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
        catalog: Callable[[], CatalogLike | None] | None = None,
        between: BookingsBetween | None = None,
        clock: Clock | None = None,
        directory: Directory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._user = user
        self._others = others
        self._booking = booking
        self._people = dict(people or {})
        self._catalog = catalog
        self._between = between
        self._clock = clock or (lambda: datetime.now(UTC))
        self._directory = directory
        self._found: dict[str, CustomerEntry] = {}  # customers the search showed, by id
        self._picked: tuple[str, str] | None = None  # (id, text shown) of the customer picked
        self._catalog_services: list[Service] = []  # as listed in the service choice
        self.setModal(False)
        self.setWindowIcon(icon("calendar"))
        self.setMinimumWidth(420)
        self._error = QLabel()
        self._error.setObjectName("formError")
        self._error.setWordWrap(True)
        self._error.setAccessibleName(self.tr("Problem with the booking"))
        self._error.hide()
        self._party = self._field(QLineEdit(), "")
        self._party.setObjectName("partyField")
        self._service = self._field(QLineEdit(), self.tr("Service"))
        self._service.setMaxLength(120)
        self._service_choice = QComboBox()
        self._service_choice.setObjectName("serviceChoice")
        self._service_choice.setAccessibleName(self.tr("Service from your catalog"))
        self._matches = QListWidget()
        self._matches.setObjectName("customerMatches")
        self._matches.setAccessibleName(self.tr("Matching customers"))
        self._matches.setMaximumHeight(120)
        self._matches.hide()
        self._search_note = QLabel()
        self._search_note.setObjectName("formHint")
        self._search_note.setWordWrap(True)
        self._search_note.hide()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._slots = QListWidget()
        self._slots.setObjectName("freeSlots")
        self._slots.setAccessibleName(self.tr("Free times on this day"))
        self._slots.setFlow(QListView.Flow.LeftToRight)
        self._slots.setWrapping(True)
        self._slots.setResizeMode(QListView.ResizeMode.Adjust)
        self._slots.setUniformItemSizes(True)
        self._slots.setSpacing(3)
        self._slots.setMaximumHeight(150)
        self._slots_note = QLabel()
        self._slots_note.setObjectName("formHint")
        self._slots_note.setWordWrap(True)
        self._warning = QLabel()
        self._warning.setObjectName("formWarning")
        self._warning.setWordWrap(True)
        self._warning.setAccessibleName(self.tr("Problem with the time"))
        self._warning.hide()
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
        self._fill_service_choice()
        self._lay_out()
        # Any change makes the shown problem stale: it goes until the next check.
        self._time.textEdited.connect(self._error.hide)
        self._date.dateChanged.connect(self._error.hide)
        self._duration.currentIndexChanged.connect(self._error.hide)
        self._note.textChanged.connect(self._error.hide)
        # The free slots follow the day, the service and the length; the clash note the time.
        self._service_choice.activated.connect(self._service_chosen)
        self._date.dateChanged.connect(self.refresh_availability)
        self._duration.currentIndexChanged.connect(self.refresh_availability)
        self._time.textChanged.connect(self._check_time)
        self._slots.itemClicked.connect(self._slot_chosen)
        self._slots.itemActivated.connect(self._slot_chosen)
        if self._searches():
            assert self._directory is not None
            self._party.textEdited.connect(self._typed_customer)
            self._party.installEventFilter(self)
            self._search_timer.timeout.connect(self._search)
            self._matches.itemClicked.connect(self._match_chosen)
            self._matches.itemActivated.connect(self._match_chosen)
            self._directory.customers_found.connect(self._customers_found)
            self._directory.failed.connect(self._search_failed)
        self.refresh_availability()

    @classmethod
    def for_create(
        cls,
        user: UserPublic,
        others: Callable[[], Iterable[Booking]],
        *,
        people: Mapping[str, str] | None = None,
        start: datetime | None = None,
        catalog: Callable[[], CatalogLike | None] | None = None,
        between: BookingsBetween | None = None,
        clock: Clock | None = None,
        directory: Directory | None = None,
        parent: QWidget | None = None,
    ) -> BookingForm:
        return cls(
            user,
            others,
            people=people,
            start=start,
            catalog=catalog,
            between=between,
            clock=clock,
            directory=directory,
            parent=parent,
        )

    @classmethod
    def for_reschedule(
        cls,
        user: UserPublic,
        others: Callable[[], Iterable[Booking]],
        booking: Booking,
        *,
        people: Mapping[str, str] | None = None,
        times_editable: bool = True,
        catalog: Callable[[], CatalogLike | None] | None = None,
        between: BookingsBetween | None = None,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> BookingForm:
        """`times_editable=False` when only the note may change (e.g. a booking in progress)."""
        return cls(
            user,
            others,
            booking=booking,
            people=people,
            times_editable=times_editable,
            catalog=catalog,
            between=between,
            clock=clock,
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
        self._set_start(start or _next_half_hour(self._clock()))
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
        party = QVBoxLayout()
        party.setSpacing(4)
        party.addWidget(self._party)
        party.addWidget(self._matches)
        party.addWidget(self._search_note)
        form.addRow(_buddy(self._party_caption(), self._party), party)
        service = QVBoxLayout()
        service.setSpacing(4)
        service.addWidget(self._service_choice)
        service.addWidget(self._service)
        self._service_choice.setVisible(self._service_choice.count() > 0)
        self._showservice_text()
        shown = self._service_choice if self._service_choice.count() else self._service
        form.addRow(_buddy(self.tr("&Service:"), shown), service)
        if self._times_editable:
            form.addRow(self.tr("&Date:"), self._date)
            form.addRow(self.tr("S&tarts at:"), self._time)
            form.addRow(self.tr("D&uration:"), self._duration)
            slots = QVBoxLayout()
            slots.setSpacing(4)
            slots.addWidget(self._slots)
            slots.addWidget(self._slots_note)
            form.addRow(_buddy(self.tr("&Free times:"), self._slots), slots)
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
        layout.addWidget(self._warning)
        layout.addWidget(self._error)
        layout.addWidget(self._buttons)

    # -- the catalog, the free slots and the clash note ---------------------------------------

    def _catalog_view(self) -> CatalogLike | None:
        """The master's catalog when it has been loaded (None: a customer, or not yet)."""
        if self._catalog is None or self._user.role is not Role.MASTER:
            return None
        view = self._catalog()
        return view if view is not None and view.loaded else None

    def _fill_service_choice(self) -> None:
        """The catalog's active services, then "Other service": only for a new booking."""
        view = self._catalog_view()
        if self._booking is not None or view is None:
            return
        chosen = self.chosen_service()
        self._catalog_services = [service for service in view.services if service.active]
        self._service_choice.clear()
        if not self._catalog_services:
            return
        for service in self._catalog_services:
            self._service_choice.addItem(service_text(service), service.id)
        self._service_choice.addItem(self.tr("Other service (type its name)"), "")
        index = self._service_choice.findData(chosen.id if chosen else "")
        if chosen is None and not self._service.text().strip():
            index = 0  # a new booking starts with the first service of the catalog
        self._service_choice.setCurrentIndex(max(0, index))
        if self._service_choice.currentData():
            self._apply_service(self._catalog_services[self._service_choice.currentIndex()])

    def catalog_changed(self) -> None:
        """The master's catalog changed (services, hours or time off): offer it again."""
        if self._booking is None:
            had = self._service_choice.count() > 0
            self._fill_service_choice()
            self._service_choice.setVisible(self._service_choice.count() > 0)
            if had or self._service_choice.count() > 0:
                self._showservice_text()
        self.refresh_availability()

    def chosen_service(self) -> Service | None:
        """The catalog service chosen (None: free text, or no catalog)."""
        service_id = self._service_choice.currentData()
        if not service_id:
            return None
        return next((s for s in self._catalog_services if s.id == service_id), None)

    def choose_service(self, service_id: str) -> None:
        """Choose a catalog service as a click would (tests; "" for "Other service")."""
        index = self._service_choice.findData(service_id)
        if index < 0:
            raise KeyError(service_id)
        self._service_choice.setCurrentIndex(index)
        self._service_chosen(index)

    def service_choices(self) -> list[str]:
        return [self._service_choice.itemText(n) for n in range(self._service_choice.count())]

    def duration_minutes(self) -> int:
        return int(self._duration.currentData())

    def _service_chosen(self, _index: int) -> None:
        service = self.chosen_service()
        if service is not None:
            self._apply_service(service)
        elif self._service.text() in {s.name for s in self._catalog_services}:
            self._service.clear()  # "Other service": type its name
        self._showservice_text()
        if service is None:
            self._service.setFocus()
        self._error.hide()
        self.refresh_availability()

    def _apply_service(self, service: Service) -> None:
        self._service.setText(service.name)
        self._select_duration(service.duration_minutes)

    def _showservice_text(self) -> None:
        """The free-text field only when no catalog service is chosen."""
        self._service.setVisible(self._booking is not None or self.chosen_service() is None)

    def refresh_availability(self) -> None:
        """Offer the free slots of the chosen day again (the day, the service or the bookings
        changed) and check the time."""
        self._slots.clear()
        note = self._slots_text()
        if note is None:
            for start, end in self.free_slots():
                local = start.astimezone()
                item = QListWidgetItem(local.strftime("%H:%M"))
                item.setData(Qt.ItemDataRole.UserRole, start)
                item.setToolTip(f"{local:%H:%M}–{end.astimezone():%H:%M}")
                self._slots.addItem(item)
            count = self._slots.count()
            if count == 0:
                note = self.tr("No free time on this day.")
            elif count == 1:
                note = self.tr("1 free time on this day: pick it to take it.")
            else:
                note = self.tr("%n free times on this day: pick one to take it.", "", count)
        self._slots.setVisible(self._slots.count() > 0)
        self._slots_note.setText(note)
        self._fit()
        self._check_time()

    def _slots_text(self) -> str | None:
        """Why no slots are offered (None: they are)."""
        if self._user.role is not Role.MASTER or self._between is None:
            return self.tr("Free times are worked out from your working hours.")
        view = self._catalog_view()
        if view is None:
            return self.tr("Your working hours are not loaded yet.")
        if not any(view.schedule.weekly.values()):
            return self.tr("No working hours set: set them under Working hours & services.")
        return None

    def free_slots(self) -> list[tuple[datetime, datetime]]:
        """The free slots of the chosen day for the chosen service (or length)."""
        view = self._catalog_view()
        if view is None or self._between is None or self._user.role is not Role.MASTER:
            return []
        minutes = int(self._duration.currentData())
        base = self.chosen_service() or self._booked_service(view)
        service = Service(
            id=base.id if base else "",
            master_id=self._user.id,
            name=base.name if base else "-",
            duration_minutes=max(5, minutes),
            buffer_after_minutes=base.buffer_after_minutes if base else 0,
            version=1,
        )
        return suggest_slots(
            view.schedule,
            service,
            day=self.day(),
            zone=None,
            now=self._clock(),
            between=self._between,
            master_id=self._user.id,
            buffers={s.id: s.buffer_after_minutes for s in view.services},
            time_off=view.time_off,
            ignore=self._booking.id if self._booking is not None else None,
        )

    def _booked_service(self, view: CatalogLike) -> Service | None:
        service_id = self._booking.service_id if self._booking is not None else None
        return next((s for s in view.services if s.id == service_id), None)

    def day(self) -> date:
        picked = self._date.date()
        return date(picked.year(), picked.month(), picked.day())

    def free_slot_times(self) -> list[datetime]:
        """The starts offered in the list, as shown."""
        return [
            self._slots.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self._slots.count())
        ]

    def slots_note(self) -> str:
        return self._slots_note.text()

    def choose_slot(self, row: int) -> None:
        """Take the `row`-th free time offered, as a click would."""
        self._slot_chosen(self._slots.item(row))

    def _slot_chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        start: datetime = item.data(Qt.ItemDataRole.UserRole)
        self._set_start(start)
        self._error.hide()

    def _mark_slot(self, starts_at: datetime) -> None:
        """Highlight the free time the start is (none when it is none of them)."""
        for row in range(self._slots.count()):
            item = self._slots.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == starts_at:
                self._slots.setCurrentItem(item)
                return
        self._slots.clearSelection()

    def chosen_slot(self) -> datetime | None:
        """The free time highlighted (the start typed or picked is one of them)."""
        selected = self._slots.selectedItems()
        return selected[0].data(Qt.ItemDataRole.UserRole) if selected else None

    def _fit(self) -> None:
        """Grow or shrink with what is shown (a list of matches or free times comes and goes)."""
        if self.isVisible():
            self.adjustSize()

    def warning_text(self) -> str:
        return "" if self._warning.isHidden() else self._warning.text()

    def _check_time(self) -> None:
        """Say at once when the time typed or chosen overlaps another booking, or lies outside
        working hours (a master may still book it)."""
        problem = ""
        try:
            starts_at, ends_at = self.times()
        except ValueError:
            self._warning.hide()
            self._slots.clearSelection()
            return
        self._mark_slot(starts_at)
        if self._times_editable:
            master = self._master_of_form()
            if master:
                probe = Booking(
                    id=self._booking.id if self._booking is not None else "",
                    master_id=master,
                    customer_id=self._user.id,
                    service="-",
                    starts_at=starts_at,
                    ends_at=ends_at,
                    status=Status.PENDING,
                    version=1,
                    updated_at=starts_at,
                    updated_by=self._user.id,
                )
                problem = self._clash(probe) or self._outside_hours(starts_at, ends_at)
        if problem != self.warning_text():
            self._warning.setText(problem)
            self._warning.setVisible(bool(problem))
            self._fit()

    def _master_of_form(self) -> str:
        if self._booking is not None:
            return self._booking.master_id
        if self._user.role is Role.MASTER:
            return self._user.id
        return self._party_id()

    def _outside_hours(self, starts_at: datetime, ends_at: datetime) -> str:
        view = self._catalog_view()
        if view is None or not any(view.schedule.weekly.values()):
            return ""
        spans = working_spans(view.schedule, view.time_off, starts_at, ends_at)
        if spans == [(starts_at, ends_at)]:
            return ""
        return self.tr(
            "This time is outside your working hours (or in time off). You can still book it."
        )

    # -- the customer search ----------------------------------------------------------------------

    def _searches(self) -> bool:
        return (
            self._directory is not None and self._booking is None and self._user.role is Role.MASTER
        )

    def _typed_customer(self, text: str) -> None:
        self._picked = None
        if text.strip():
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self._matches.clear()
            self._matches.hide()
            self._search_note.hide()
            self._fit()

    def _search(self) -> None:
        query = self._party.text().strip()
        if query and self._directory is not None:
            self._search_note.setText(self.tr("Searching…"))
            self._search_note.show()
            self._directory.ask_customers(query, SEARCH_LIMIT)

    def _customers_found(self, query: str, found: Sequence[CustomerEntry]) -> None:
        if query != self._party.text().strip() or self._picked is not None:
            return  # an answer to an older query (typing went on), or already picked
        self._matches.clear()
        for entry in found:
            self._found[entry.id] = entry
            item = QListWidgetItem(_customer_text(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self._matches.addItem(item)
        if found:
            self._matches.setCurrentRow(0)
            self._search_note.hide()
        else:
            self._search_note.setText(self.tr("No customer matches “%s”.") % query)
            self._search_note.show()
        if found:
            rows = min(len(found), 5)
            frame = 2 * self._matches.frameWidth() + 8
            self._matches.setFixedHeight(self._matches.sizeHintForRow(0) * rows + frame)
        self._matches.setVisible(bool(found))
        self._fit()

    def _search_failed(self, kind: str, _message: str) -> None:
        if kind == Kind.CUSTOMERS:
            self._search_note.setText(
                self.tr("The customer search needs the server; type the customer's name.")
            )
            self._search_note.show()

    def customer_matches(self) -> list[str]:
        """The customers the search list shows, as shown."""
        return [self._matches.item(n).text() for n in range(self._matches.count())]

    def pick_customer(self, row: int) -> None:
        """Pick the `row`-th customer of the list, as a click would."""
        self._match_chosen(self._matches.item(row))

    def picked_customer(self) -> str | None:
        return self._picked[0] if self._picked is not None else None

    def _match_chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        entry = self._found[item.data(Qt.ItemDataRole.UserRole)]
        self._people[entry.id] = entry.display_name
        self._party.setText(entry.display_name)
        self._picked = (entry.id, entry.display_name)
        self._matches.hide()
        self._search_note.hide()
        self._error.hide()
        (self._service_choice if self._service_choice.count() else self._service).setFocus()
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↓ in the customer field goes into the list of matches; Enter there picks the first."""
        if watched is self._party and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and self._matches.isVisible():
                self._matches.setFocus()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._matches.isVisible():
                self._match_chosen(self._matches.currentItem())
                return True
        return super().eventFilter(watched, event)

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
        if body.service_id and self._service_choice.findData(body.service_id) >= 0:
            self.choose_service(body.service_id)
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
        """The id of the person typed: the customer picked from the search, a known id, a known
        name or username, or the one known person whose name starts with what was typed ("carl"
        for "Carl Lind"); "" when none or several."""
        typed = self._party.text()
        if self._picked is not None and typed == self._picked[1]:
            return self._picked[0]
        usernames = {e.username.casefold(): e.id for e in self._found.values()}
        if (folded := typed.strip().casefold()) in usernames:
            return usernames[folded]
        people = {**self._people, **{e.id: e.display_name for e in self._found.values()}}
        return resolve_person(typed, people)

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
            chosen = self.chosen_service()
            return BookingCreate(
                master_id=self._user.id,
                customer_id=party,
                service=chosen.name if chosen else service,
                starts_at=starts_at,
                ends_at=ends_at,
                note=note,
                service_id=chosen.id if chosen else None,
            )
        return BookingCreate(
            master_id=party, service=service, starts_at=starts_at, ends_at=ends_at, note=note
        )

    def _clash(self, wanted: Booking) -> str:
        nearby = (
            self._others()
            if self._between is None
            else self._between(wanted.starts_at - MAX_DURATION, wanted.ends_at)
        )
        other = clash(wanted, nearby)
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


def _buddy(text: str, widget: QWidget) -> QLabel:
    """A form row's caption whose &-shortcut focuses `widget` (for a row that is a layout)."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def service_text(service: Service) -> str:
    """ "Haircut · 45 min · 35.00 EUR" """
    text = f"{service.name} · {service.duration_minutes} min"
    if service.price_minor is not None and service.currency:
        text += f" · {service.price_minor / 100:.2f} {service.currency}"
    return text


def _customer_text(entry: CustomerEntry) -> str:
    """ "Carl Lind — carl · +49 170 1234567 · carl@example.com" """
    parts = [entry.username, entry.phone, entry.email]
    return f"{entry.display_name} — {' · '.join(p for p in parts if p)}"


def _next_half_hour(moment: datetime) -> datetime:
    base = moment.replace(second=0, microsecond=0)
    return base + timedelta(minutes=30 - base.minute % 30)
