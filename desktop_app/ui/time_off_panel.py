"""Time off: the master's list (holidays, afternoons), a form to add one, and deleting with a
confirmation. Dates and times are the master's wall-clock in their schedule's time zone.

Adding emits `add_requested(TimeOffCreate)` once the form is right (else the field is named and
nothing typed is lost); deleting asks first, then emits `delete_requested(time off id)`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from booking_core.availability import (
    MAX_NOTE,
    MAX_TIME_OFF,
    TimeOff,
    TimeOffCreate,
    local_instant,
    minutes_of,
    zone_of,
)
from desktop_app.ui.hours_editor import ClockField, FieldError, mark_invalid, show_problem
from desktop_app.ui.statuses import PENDING_COLOR

ID_ROLE = Qt.ItemDataRole.UserRole


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _zone(name: str) -> ZoneInfo:
    try:
        return zone_of(name)
    except ValueError:
        return zone_of("UTC")


def when_text(item: TimeOff, zone_name: str, locale: QLocale | None = None) -> str:
    """The time off as the list says it, in the master's zone: whole days as dates, part of a
    day with its times."""
    zone = _zone(zone_name)
    words = locale or QLocale()
    start = item.starts_at.astimezone(zone)
    end = item.ends_at.astimezone(zone)

    def day_text(moment: datetime) -> str:
        return words.toString(_qdate(moment.date()), "ddd d MMM yyyy")

    midnight = start.time() == end.time() == datetime.min.time()
    if midnight:
        last = end - timedelta(days=1)
        if last.date() == start.date():
            return day_text(start)
        return f"{day_text(start)} – {day_text(last)}"
    if start.date() == end.date():
        return f"{day_text(start)}, {start:%H:%M}–{end:%H:%M}"
    return f"{day_text(start)} {start:%H:%M} – {day_text(end)} {end:%H:%M}"


class TimeOffPanel(QWidget):
    """`show_time_off(items, pending, zone)`; `add_requested`, `delete_requested`."""

    add_requested = Signal(object)  # TimeOffCreate
    delete_requested = Signal(str)  # time off id

    def __init__(self, today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeOffPanel")
        self._zone = "UTC"
        self._items: dict[str, TimeOff] = {}
        self._pending: frozenset[str] = frozenset()
        self.confirm: QMessageBox | None = None
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Problem with the time off"))
        self.error.hide()
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("timeOffTable")
        self.table.setAccessibleName(self.tr("Time off"))
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("Note"), self.tr("State")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows walk it
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._refresh_delete)
        self.empty = QLabel(self.tr("No time off planned."))
        self.empty.setObjectName("dialogHint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.delete = QPushButton(self.tr("&Delete…"))
        self.delete.setObjectName("deleteTimeOff")
        self.delete.setAccessibleName(self.tr("Delete the selected time off"))
        self.delete.setAutoDefault(False)
        self.delete.setEnabled(False)
        self.delete.clicked.connect(self.ask_delete)
        self.table.installEventFilter(self)  # Delete asks to delete the selected one
        start = _qdate(today or date.today())
        self.from_date = self._date_field(start, self.tr("Time off from date"))
        self.to_date = self._date_field(start, self.tr("Time off until date"))
        self.from_date.dateChanged.connect(self._follow_from)
        self.whole_days = QCheckBox(self.tr("&Whole days"))
        self.whole_days.setChecked(True)
        self.whole_days.toggled.connect(self._refresh_times)
        self.from_time = ClockField()
        self.from_time.setAccessibleName(self.tr("Time off from time"))
        self.from_time.set_clock("12:00")
        self.to_time = ClockField()
        self.to_time.setAccessibleName(self.tr("Time off until time"))
        self.to_time.set_clock("18:00")
        for field in (self.from_time, self.to_time):
            field.setFixedWidth(64)
            field.setPlaceholderText(self.tr("HH:MM"))
            field.textEdited.connect(lambda _text, f=field: self._edited(f))
        self.note = QLineEdit()
        self.note.setAccessibleName(self.tr("Time off note"))
        self.note.setPlaceholderText(self.tr("e.g. Holiday (optional)"))
        self.note.setMaxLength(MAX_NOTE)
        self.note.textEdited.connect(lambda _text: self.error.hide())
        self.add = QPushButton(self.tr("&Add time off"))
        self.add.setObjectName("addTimeOff")
        self.add.setAutoDefault(False)
        self.add.clicked.connect(self.submit)
        self.zone_hint = QLabel()
        self.zone_hint.setObjectName("dialogHint")
        self._lay_out()
        self._refresh_times(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
        ):
            self.ask_delete()
            return True
        return super().eventFilter(watched, event)

    def _date_field(self, value: QDate, name: str) -> QDateEdit:
        field = QDateEdit(value)
        field.setCalendarPopup(True)
        field.setDisplayFormat("ddd d MMM yyyy")
        field.setAccessibleName(name)
        field.dateChanged.connect(lambda _day, f=field: self._edited(f))
        return field

    def _lay_out(self) -> None:
        form = QGroupBox(self.tr("Add time off"))
        form.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        grid = QGridLayout(form)
        grid.setHorizontalSpacing(8)
        for column, (caption, date_field, time_field) in enumerate(
            (
                (self.tr("&From:"), self.from_date, self.from_time),
                (self.tr("U&ntil:"), self.to_date, self.to_time),
            )
        ):
            label = QLabel(caption)
            label.setBuddy(date_field)
            grid.addWidget(label, 0, column * 3)
            grid.addWidget(date_field, 0, column * 3 + 1)
            grid.addWidget(time_field, 0, column * 3 + 2)
        grid.addWidget(self.whole_days, 0, 6)
        note_label = QLabel(self.tr("N&ote:"))
        note_label.setBuddy(self.note)
        grid.addWidget(note_label, 1, 0)
        grid.addWidget(self.note, 1, 1, 1, 5)
        grid.addWidget(self.add, 1, 6)
        grid.setColumnStretch(5, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.zone_hint, 1)
        actions.addWidget(self.delete)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)  # in the table's place while there is none
        layout.addLayout(actions)
        layout.addWidget(form)
        layout.addWidget(self.error)
        chain: list[QWidget] = [
            self.table,
            self.delete,
            self.from_date,
            self.from_time,
            self.to_date,
            self.to_time,
            self.whole_days,
            self.note,
            self.add,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _follow_from(self, day: QDate) -> None:
        """A start moved past the end takes the end along (a one-day time off stays one)."""
        if self.to_date.date() < day:
            self.to_date.setDate(day)

    def _refresh_times(self, whole: bool) -> None:
        for field in (self.from_time, self.to_time):
            field.setVisible(not whole)  # whole days have no times
            mark_invalid(field, False)
        self.error.hide()

    def _edited(self, field: QWidget) -> None:
        mark_invalid(field, False)
        self.error.hide()

    # -- showing ---------------------------------------------------------------------------------

    def show_time_off(self, items: Iterable[TimeOff], pending: frozenset[str], zone: str) -> None:
        selected = self.selected_id()
        self._zone = zone
        self._items = {item.id: item for item in items}
        self._pending = pending
        self.zone_hint.setText(self.tr("Dates and times in %s.") % zone)
        self.table.setRowCount(len(self._items))
        for row, item in enumerate(self._items.values()):
            saving = item.id in pending
            cells = (
                when_text(item, zone),
                item.note,
                self.tr("Saving…") if saving else self.tr("Saved"),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, item.id)
                if saving:
                    font = QFont(self.table.font())
                    font.setItalic(True)
                    cell.setFont(font)
                    if column == 2:
                        cell.setForeground(QColor(PENDING_COLOR))
                self.table.setItem(row, column, cell)
        self.empty.setVisible(not self._items)
        self.table.setVisible(bool(self._items))
        if selected is not None:
            self.select(selected)
        self._refresh_delete()

    def ids(self) -> list[str]:
        return list(self._items)

    def select(self, time_off_id: str) -> bool:
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            if cell is not None and cell.data(ID_ROLE) == time_off_id:
                self.table.selectRow(row)
                return True
        return False

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        cell = self.table.item(rows[0].row(), 0)
        return None if cell is None else str(cell.data(ID_ROLE))

    def _refresh_delete(self) -> None:
        chosen = self.selected_id()
        self.delete.setEnabled(chosen is not None and chosen not in self._pending)

    # -- deleting --------------------------------------------------------------------------------

    def ask_delete(self) -> QMessageBox | None:
        """Ask before deleting the selected time off (non-blocking); only Delete sends it."""
        chosen = self.selected_id()
        if chosen is None or chosen in self._pending or chosen not in self._items:
            return None
        if self.confirm is not None:
            self.confirm.close()
        item = self._items[chosen]
        text = self.tr("Delete the time off %s?") % when_text(item, self._zone)
        if item.note:
            text += f" ({item.note})"
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete time off"), text, parent=self)
        box.setObjectName("confirmDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setInformativeText(self.tr("Customers can then book these times again."))
        go = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        go.setObjectName("destructiveButton")
        keep = box.addButton(self.tr("Keep"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        go.clicked.connect(lambda: self.delete_requested.emit(chosen))
        box.finished.connect(lambda _result: self._forget_confirm(box))
        self.confirm = box
        box.open()
        return box

    def _forget_confirm(self, box: QMessageBox) -> None:
        if self.confirm is box:
            self.confirm = None

    # -- adding ----------------------------------------------------------------------------------

    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    def set_values(
        self,
        first: date,
        last: date,
        *,
        times: tuple[str, str] | None = None,
        note: str = "",
    ) -> None:
        """Fill the form (tests, and putting back a refused one)."""
        self.from_date.setDate(_qdate(first))
        self.to_date.setDate(_qdate(last))
        self.whole_days.setChecked(times is None)
        if times is not None:
            self.from_time.set_clock(times[0])
            self.to_time.set_clock(times[1])
        self.note.setText(note)

    def fill(self, body: TimeOffCreate) -> None:
        """Put time off that was not saved back into the form (in the master's zone)."""
        zone = _zone(self._zone)
        start, end = body.starts_at.astimezone(zone), body.ends_at.astimezone(zone)
        midnight = datetime.min.time()
        if start.time() == midnight and end.time() == midnight:
            self.set_values(start.date(), (end - timedelta(days=1)).date(), note=body.note)
        else:
            times = (f"{start:%H:%M}", f"{end:%H:%M}")
            self.set_values(start.date(), end.date(), times=times, note=body.note)

    def time_off_create(self) -> TimeOffCreate:
        """The time off as typed; FieldError for what is not right."""
        zone = _zone(self._zone)
        first, last = _date(self.from_date.date()), _date(self.to_date.date())
        if self.whole_days.isChecked():
            starts_at = local_instant(first, 0, zone)
            ends_at = local_instant(last, 24 * 60, zone)
            end_field: QWidget = self.to_date
        else:
            clocks = []
            for field, caption in (
                (self.from_time, self.tr("from")),
                (self.to_time, self.tr("until")),
            ):
                clock = field.clock()
                if clock is None:
                    raise FieldError(
                        self.tr("Time off, %s: “%s” is not a time. Type it as 14:00, 1400 or 14.")
                        % (caption, field.text()),
                        field,
                    )
                clocks.append(minutes_of(clock))
            starts_at = local_instant(first, clocks[0], zone)
            ends_at = local_instant(last, clocks[1], zone)
            end_field = self.to_time
        if ends_at <= starts_at:
            raise FieldError(self.tr("Time off: “until” must be after “from”."), end_field)
        if ends_at - starts_at > MAX_TIME_OFF:
            raise FieldError(
                self.tr("Time off lasts at most 366 days at once: add several."), self.to_date
            )
        try:
            return TimeOffCreate(starts_at=starts_at, ends_at=ends_at, note=self.note.text())
        except ValidationError as error:
            message = str(error.errors()[0].get("msg", "")).removeprefix("Value error, ")
            raise FieldError(self.tr("Time off: %s.") % message, self.add) from None

    def submit(self) -> bool:
        """Check and send the time off; False (the problem shown, nothing lost) if not right."""
        try:
            body = self.time_off_create()
        except FieldError as problem:
            show_problem(self.error, problem)
            return False
        show_problem(self.error, None)
        self.note.clear()
        self.add_requested.emit(body)
        return True
