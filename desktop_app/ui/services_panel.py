"""The master's services: a list (active and archived) and a form to add one or edit the selected
one (name, duration, price in major units with its currency, buffer after), archive or restore.

The form checks what booking_core checks and names the field; only a well-formed change is
emitted: `create_requested(ServiceCreate)` or `patch_requested(service id, ServicePatch)` with
only the fields that changed (the price as integer minor units with its currency).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from booking_core.availability import Service, ServiceCreate, ServicePatch
from booking_core.models import MAX_SERVICE
from desktop_app.ui.hours_editor import FieldError, mark_invalid, show_problem
from desktop_app.ui.money import COMMON_CURRENCIES, PriceError, major_text, parse_price, price_label
from desktop_app.ui.statuses import PENDING_COLOR

ID_ROLE = Qt.ItemDataRole.UserRole
ARCHIVED_COLOR = QColor("#6b7280")
_CODE = re.compile(r"^[A-Z]{3}$")

# (name, duration, price_minor, currency, buffer) as the form has them: compared for edits.
FormValues = tuple[str, int, str, str, int]


def minutes_text(minutes: int) -> str:
    return QCoreApplication.translate("ServicesPanel", "%n min", "", minutes)


class ServicesPanel(QWidget):
    """`show_services(services, pending)`; `create_requested`, `patch_requested`."""

    create_requested = Signal(object)  # ServiceCreate
    patch_requested = Signal(str, object)  # service id, ServicePatch

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("servicesPanel")
        self._services: dict[str, Service] = {}
        self._pending: frozenset[str] = frozenset()
        self._editing: str | None = None  # the service in the form; None: a new one
        self._loaded: FormValues = self._blank()
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("servicesTable")
        self.table.setAccessibleName(self.tr("Services"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Service"),
                self.tr("Duration"),
                self.tr("Price"),
                self.tr("Buffer after"),
                self.tr("State"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.show_archived = QCheckBox(self.tr("Show a&rchived"))
        self.show_archived.setChecked(True)
        self.show_archived.toggled.connect(lambda _on: self._render())
        self.new = QPushButton(self.tr("&New service"))
        self.new.setObjectName("newService")
        self.new.setAutoDefault(False)
        self.new.clicked.connect(self.start_new)
        self.archive = QPushButton(self.tr("Arc&hive"))
        self.archive.setObjectName("archiveService")
        self.archive.setAutoDefault(False)
        self.archive.setEnabled(False)
        self.archive.clicked.connect(self.toggle_archived)
        self.form = QGroupBox(self.tr("New service"))
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Service name"))
        self.name.setPlaceholderText(self.tr("e.g. Haircut"))
        self.name.setMaxLength(MAX_SERVICE)
        self.duration = self._spin(5, 720, 5, self.tr("Duration"))
        self.duration.setValue(30)
        self.price = QLineEdit()
        self.price.setAccessibleName(self.tr("Price"))
        self.price.setPlaceholderText(self.tr("e.g. 35.00"))
        self.price.setToolTip(self.tr("Leave it empty for no price."))
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.currency.setAccessibleName(self.tr("Currency"))
        if (line := self.currency.lineEdit()) is not None:
            line.setAccessibleName(self.tr("Currency"))
        self.currency.addItems(COMMON_CURRENCIES)
        self.currency.setMinimumContentsLength(4)
        self.buffer = self._spin(0, 240, 5, self.tr("Buffer after"))
        self.save = QPushButton(self.tr("&Add service"))
        self.save.setObjectName("saveService")
        self.save.setAutoDefault(False)
        self.save.clicked.connect(self.submit)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Problem with the service"))
        self.error.hide()
        self.note = QLabel()
        self.note.setObjectName("dialogHint")
        self.note.setWordWrap(True)
        for field in (self.name, self.price):
            field.textEdited.connect(lambda _text, f=field: self._edited(f))
        self.currency.currentTextChanged.connect(lambda _text: self._edited(self.currency))
        self._lay_out()

    def _spin(self, low: int, high: int, step: int, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setSuffix(self.tr(" min"))
        spin.setAccessibleName(name)
        spin.setMinimumWidth(100)
        spin.setMaximumWidth(160)
        return spin

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.show_archived)
        top.addStretch(1)
        top.addWidget(self.archive)
        top.addWidget(self.new)
        fields = QFormLayout(self.form)
        fields.addRow(self.tr("Na&me:"), self.name)
        fields.addRow(self.tr("D&uration:"), self.duration)
        price_row = QHBoxLayout()
        self.price.setMaximumWidth(200)
        price_row.addWidget(self.price)
        price_row.addWidget(self.currency)
        price_row.addStretch(1)
        price_label_ = QLabel(self.tr("&Price:"))
        price_label_.setBuddy(self.price)
        fields.addRow(price_label_, price_row)
        fields.addRow(self.tr("&Buffer after:"), self.buffer)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.save)
        fields.addRow(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addWidget(self.table, 1)
        layout.addLayout(top)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        chain: list[QWidget] = [
            self.table,
            self.show_archived,
            self.archive,
            self.new,
            self.name,
            self.duration,
            self.price,
            self.currency,
            self.buffer,
            self.save,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _edited(self, field: QWidget) -> None:
        mark_invalid(field, False)
        self.error.hide()

    # -- showing ---------------------------------------------------------------------------------

    def show_services(self, services: Iterable[Service], pending: frozenset[str]) -> None:
        self._services = {service.id: service for service in services}
        self._pending = pending
        self._render()
        editing = self._editing
        if editing is not None:
            service = self._services.get(editing)
            if service is None:  # gone (a refused create, or renamed by the server's id)
                if not self.has_unsaved_edits():
                    self.start_new()
            elif not self.has_unsaved_edits():
                self._load(service)
        self._refresh_buttons()

    def _render(self) -> None:
        shown = [s for s in self._services.values() if s.active or self.show_archived.isChecked()]
        self.table.blockSignals(True)
        self.table.setRowCount(len(shown))
        for row, service in enumerate(shown):
            saving = service.id in self._pending
            state = (
                self.tr("Saving…")
                if saving
                else self.tr("Active")
                if service.active
                else self.tr("Archived")
            )
            cells = (
                service.name,
                minutes_text(service.duration_minutes),
                price_label(service.price_minor, service.currency),
                minutes_text(service.buffer_after_minutes) if service.buffer_after_minutes else "—",
                state,
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, service.id)
                if saving:
                    font = QFont(self.table.font())
                    font.setItalic(True)
                    cell.setFont(font)
                if saving and column == 4:
                    cell.setForeground(QColor(PENDING_COLOR))
                elif not service.active:
                    cell.setForeground(ARCHIVED_COLOR)
                self.table.setItem(row, column, cell)
        self.table.clearSelection()
        if self._editing is not None:
            self._select_row(self._editing)
        self.table.blockSignals(False)

    def _select_row(self, service_id: str) -> bool:
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            if cell is not None and cell.data(ID_ROLE) == service_id:
                self.table.selectRow(row)
                return True
        return False

    def select(self, service_id: str) -> bool:
        return self._select_row(service_id)

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        cell = self.table.item(rows[0].row(), 0)
        return None if cell is None else str(cell.data(ID_ROLE))

    def row_texts(self) -> list[list[str]]:
        return [
            [
                cell.text() if (cell := self.table.item(row, column)) is not None else ""
                for column in range(self.table.columnCount())
            ]
            for row in range(self.table.rowCount())
        ]

    def _selection_changed(self) -> None:
        chosen = self.selected_id()
        if chosen is None:
            return
        service = self._services.get(chosen)
        if service is not None and chosen != self._editing:
            self._load(service)
        self._refresh_buttons()

    # -- the form --------------------------------------------------------------------------------

    def _blank(self) -> FormValues:
        return ("", 30, "", "EUR", 0)

    def form_values(self) -> FormValues:
        return (
            self.name.text(),
            self.duration.value(),
            self.price.text(),
            self.currency.currentText(),
            self.buffer.value(),
        )

    def _set_form(self, values: FormValues) -> None:
        name, duration, price, currency, buffer = values
        self.name.setText(name)
        self.duration.setValue(duration)
        self.price.setText(price)
        self.currency.setCurrentText(currency)
        self.buffer.setValue(buffer)
        for field in (self.name, self.price, self.currency):
            mark_invalid(field, False)
        self.error.hide()

    def _values_of(self, service: Service) -> FormValues:
        currency = service.currency or self.currency.currentText() or "EUR"
        price = major_text(service.price_minor, currency) if service.price_minor is not None else ""
        return (
            service.name,
            service.duration_minutes,
            price,
            currency,
            service.buffer_after_minutes,
        )

    def _load(self, service: Service) -> None:
        self._editing = service.id
        self._loaded = self._values_of(service)
        self._set_form(self._loaded)
        self.form.setTitle(self.tr("Edit “%s”") % service.name)
        self.save.setText(self.tr("&Save service"))
        self.note.clear()
        self._refresh_buttons()

    def start_new(self) -> None:
        """Empty the form for a new service (the currency stays: most use one)."""
        currency = self.currency.currentText() or "EUR"
        self._editing = None
        self._loaded = ("", 30, "", currency, 0)
        self._set_form(self._loaded)
        self.table.clearSelection()
        self.form.setTitle(self.tr("New service"))
        self.save.setText(self.tr("&Add service"))
        self._refresh_buttons()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def fill_new(self, body: ServiceCreate) -> None:
        """A new service's form filled with a request that was not saved (to try again)."""
        self.start_new()
        currency = body.currency or self.currency.currentText()
        self._set_form(
            (
                body.name,
                body.duration_minutes,
                major_text(body.price_minor, currency) if body.price_minor is not None else "",
                currency,
                body.buffer_after_minutes,
            )
        )

    def fill_patch(self, service_id: str, patch: ServicePatch) -> None:
        """The service's form with a change that was not saved put back (to try again)."""
        service = self._services.get(service_id)
        if service is None:
            return
        self._select_row(service_id)
        self._load(service)
        name, duration, price, currency, buffer = self._loaded
        given = patch.model_fields_set
        if "price_minor" in given or "currency" in given:
            currency = patch.currency or currency
            price = "" if patch.price_minor is None else major_text(patch.price_minor, currency)
        self._set_form(
            (
                patch.name if patch.name is not None else name,
                patch.duration_minutes if patch.duration_minutes is not None else duration,
                price,
                currency,
                buffer if patch.buffer_after_minutes is None else patch.buffer_after_minutes,
            )
        )

    def has_unsaved_edits(self) -> bool:
        return self.form_values() != self._loaded

    def editing(self) -> str | None:
        return self._editing

    def _refresh_buttons(self) -> None:
        service = self._services.get(self._editing) if self._editing else None
        saving = service is not None and service.id in self._pending
        self.archive.setEnabled(service is not None and not saving)
        self.archive.setText(
            self.tr("Rest&ore")
            if service is not None and not service.active
            else self.tr("Arc&hive")
        )
        self.archive.setAccessibleName(
            (self.tr("Restore “%s”") if not service.active else self.tr("Archive “%s”"))
            % service.name
            if service is not None
            else self.tr("Archive the selected service")
        )
        self.save.setEnabled(not saving)
        if saving:
            self.note.setText(self.tr("Saving… it can be changed once the server confirms it."))

    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    def _checked(self) -> tuple[str, int, int | None, str | None, int]:
        """The form's values, checked; FieldError names the first one not right."""
        name = self.name.text().strip()
        if not name:
            raise FieldError(self.tr("Name: enter the name customers will see."), self.name)
        price_text = self.price.text().strip()
        if not price_text:
            return name, self.duration.value(), None, None, self.buffer.value()
        currency = self.currency.currentText().strip().upper()
        if not _CODE.match(currency):
            raise FieldError(
                self.tr("Currency: “%s” is not a currency code. Use three letters, e.g. EUR.")
                % self.currency.currentText(),
                self.currency,
            )
        try:
            minor = parse_price(price_text, currency)
        except PriceError as error:
            if error.kind == "negative":
                message = self.tr("Price: a price cannot be negative.")
            elif error.kind == "places" and error.places == 0:
                message = self.tr("Price: %s has no decimal places: type a whole amount.") % (
                    currency
                )
            elif error.kind == "places":
                message = self.tr("Price: %s has at most %d decimal places.") % (
                    currency,
                    error.places,
                )
            else:
                message = self.tr("Price: “%s” is not an amount. Type it as 35 or 35.50.") % (
                    price_text
                )
            raise FieldError(message, self.price) from None
        if minor > 10**10:
            raise FieldError(self.tr("Price: that is more than this app can take."), self.price)
        return name, self.duration.value(), minor, currency, self.buffer.value()

    def submit(self) -> bool:
        """Add the new service or save the edited one; False, with the field named and nothing
        lost, when the form is not right."""
        try:
            name, duration, minor, currency, buffer = self._checked()
            if self._editing is None:
                body = ServiceCreate(
                    name=name,
                    duration_minutes=duration,
                    price_minor=minor,
                    currency=currency,
                    buffer_after_minutes=buffer,
                )
                sent = self._send_create(body)
            else:
                sent = self._send_patch(self._editing, name, duration, minor, currency, buffer)
        except FieldError as problem:
            show_problem(self.error, problem)
            return False
        except ValidationError as error:
            message = str(error.errors()[0].get("msg", "")).removeprefix("Value error, ")
            show_problem(self.error, FieldError(self.tr("Service: %s.") % message, self.save))
            return False
        show_problem(self.error, None)
        return sent

    def _send_create(self, body: ServiceCreate) -> bool:
        self.start_new()
        self.note.setText(self.tr("“%s” added.") % body.name)
        self.create_requested.emit(body)
        return True

    def _send_patch(
        self,
        service_id: str,
        name: str,
        duration: int,
        minor: int | None,
        currency: str | None,
        buffer: int,
    ) -> bool:
        service = self._services.get(service_id)
        if service is None:
            return False
        changes: dict[str, object] = {}
        if name != service.name:
            changes["name"] = name
        if duration != service.duration_minutes:
            changes["duration_minutes"] = duration
        if buffer != service.buffer_after_minutes:
            changes["buffer_after_minutes"] = buffer
        if (minor, currency) != (service.price_minor, service.currency):
            changes["price_minor"], changes["currency"] = minor, currency
        if not changes:
            self.note.setText(self.tr("Nothing to save: the service is as shown."))
            return False
        patch = ServicePatch.model_validate(changes)
        # What is typed is what is sent: the echo of the change refreshes the form.
        self._loaded = self.form_values()
        self.note.setText(self.tr("Saved “%s”.") % name)
        self.patch_requested.emit(service_id, patch)
        return True

    def toggle_archived(self) -> None:
        """Archive the service in the form (or restore an archived one)."""
        service = self._services.get(self._editing) if self._editing else None
        if service is None or service.id in self._pending:
            return
        self.patch_requested.emit(service.id, ServicePatch(active=not service.active))
