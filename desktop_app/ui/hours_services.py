"""The master's "Working hours & services" window: weekly hours with breaks and the booking
rules, time off, and the services offered (issue 18).

It shows the controller's `CatalogView` and renders it again on every `catalog_changed`, so a
change made here, in another window or on another device shows at once; edits not yet confirmed
by the server are marked as saving, as bookings are. Every edit is one `request_*` call to the
controller (optimistic, queued offline). A change the server refuses comes back through
`change_rolled_back`: the window says what was not saved and why, and offers the edits again.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from booking_core import ErrorCode
from booking_core.availability import TimeOff
from desktop_app.sync import (
    SCHEDULE,
    CatalogIntent,
    CatalogRollback,
    CatalogView,
    ScheduleSet,
    ServiceAdd,
    ServiceEdit,
    TimeOffAdd,
    TimeOffRemove,
)
from desktop_app.ui.catalog_port import CatalogPort
from desktop_app.ui.hours_editor import WeeklyHoursEditor
from desktop_app.ui.resources import icon
from desktop_app.ui.services_panel import ServicesPanel
from desktop_app.ui.statuses import NOT_CONFIRMED
from desktop_app.ui.time_off_panel import TimeOffPanel, when_text


class HoursServicesWindow(QDialog):
    """`HoursServicesWindow(controller)`: non-modal; show() it. One per main window."""

    def __init__(
        self, controller: CatalogPort, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("hoursServicesWindow")
        self.setWindowTitle(self.tr("Working hours & services"))
        self.setWindowIcon(icon("calendar"))
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self._controller = controller
        self._view = controller.catalog()
        self._names: dict[str, str] = {}  # what each catalog id was last called (rollbacks)
        self._service_names: dict[str, str] = {}
        self.hours = WeeklyHoursEditor()
        self.time_off = TimeOffPanel(today)
        self.services = ServicesPanel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("catalogTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(self.tr("Hours, time off or services"))
        hours_scroller = QScrollArea()
        hours_scroller.setObjectName("hoursScroller")
        hours_scroller.setWidgetResizable(True)
        hours_scroller.setFrameShape(QFrame.Shape.NoFrame)
        hours_scroller.setWidget(self.hours)
        self.tabs.addTab(hours_scroller, self.tr("Working &hours"))
        self.tabs.addTab(self.time_off, self.tr("&Time off"))
        self.tabs.addTab(self.services, self.tr("Ser&vices"))
        self.status = QLabel()
        self.status.setObjectName("catalogStatus")
        self.status.setAccessibleName(self.tr("Saving state"))
        self.undone = QFrame()
        self.undone.setObjectName("catalogUndone")
        self.undone_text = QLabel()
        self.undone_text.setObjectName("catalogUndoneText")
        self.undone_text.setWordWrap(True)
        self.undone_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore = QPushButton(self.tr("&Restore my edits"))
        self.restore.setObjectName("restoreEdits")
        self.restore.setAutoDefault(False)
        self.restore.clicked.connect(self.restore_edits)
        dismiss = QPushButton(self.tr("Dismiss"))
        dismiss.setAutoDefault(False)
        dismiss.clicked.connect(self.undone.hide)
        undone_row = QHBoxLayout(self.undone)
        undone_row.setContentsMargins(12, 8, 12, 8)
        undone_row.addWidget(self.undone_text, 1)
        undone_row.addWidget(self.restore)
        undone_row.addWidget(dismiss)
        self.undone.hide()
        self._restorer: CatalogIntent | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        heading = QLabel(self.windowTitle())
        heading.setObjectName("dialogHeading")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.undone)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        # Ctrl+1/2/3 switch pages (Alt+H/T/V too, through the tab mnemonics).
        for index in range(3):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            shortcut.activated.connect(lambda i=index: self.tabs.setCurrentIndex(i))
        # Enter saves what the page shows: the hours, the time off typed, the service typed.
        self._defaults = (self.hours.save, self.time_off.add, self.services.save)
        self.tabs.currentChanged.connect(self._page_changed)
        self._page_changed(0)
        self.resize(960, 660)
        self._connect()
        self.show_catalog(self._view)

    def _connect(self) -> None:
        self._controller.catalog_changed.connect(self.show_catalog)
        self._controller.change_rolled_back.connect(self.show_rollback)
        self.hours.schedule_requested.connect(self._controller.request_schedule)
        self.time_off.add_requested.connect(self._controller.request_time_off_add)
        self.time_off.delete_requested.connect(self._controller.request_time_off_delete)
        self.services.create_requested.connect(self._controller.request_service_create)
        self.services.patch_requested.connect(self._controller.request_service_patch)
        self.hours.edits_changed.connect(lambda _edited: self._refresh_status())

    def _page_changed(self, index: int) -> None:
        for page, button in enumerate(self._defaults):
            button.setDefault(page == index)

    # -- showing ---------------------------------------------------------------------------------

    def view(self) -> CatalogView:
        return self._view

    def show_catalog(self, view: CatalogView) -> None:
        """Render the catalog (a slot for `catalog_changed`)."""
        self._view = view
        self._names[SCHEDULE] = self.tr("your working hours")
        for service in view.services:
            self._names[service.id] = self.tr("the service “%s”") % service.name
            self._service_names[service.id] = service.name
        for item in view.time_off:
            self._names[item.id] = self.tr("the time off %s") % when_text(
                item, view.schedule.time_zone
            )
        # Nothing to edit until the catalog is known: saving the placeholder would wipe the hours.
        self.tabs.setEnabled(view.loaded)
        self.hours.show_schedule(view.schedule, SCHEDULE in view.pending)
        self.time_off.show_time_off(view.time_off, view.pending, view.schedule.time_zone)
        self.services.show_services(view.services, view.pending)
        self._refresh_status()

    def _refresh_status(self) -> None:
        view = self._view
        count = len(view.pending)
        if not view.loaded:
            text = self.tr("Loading from the server…")
        elif not count and self.hours.has_unsaved_edits():
            text = self.tr("Working hours edited, not saved yet.")
        elif count == 1:
            text = self.tr("Saving 1 change…")
        elif count:
            text = self.tr("Saving %n changes…", "", count)
        else:
            text = self.tr("All changes saved.")
        self.status.setText(text)
        self.status.setProperty("pending", bool(count))
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def status_text(self) -> str:
        return self.status.text()

    # -- refusals --------------------------------------------------------------------------------

    def show_rollback(self, rollback: object) -> None:
        """A refused change of the catalog's (a slot for `change_rolled_back`; bookings' are the
        main window's): say what was not saved and why, and offer the edits again."""
        if not isinstance(rollback, CatalogRollback):
            return
        what = self._what(rollback)
        self.undone_text.setText(
            self.tr("Not saved: %s. %s") % (what, catalog_reason(rollback.code, rollback.field))
        )
        self._restorer = None if isinstance(rollback.intent, TimeOffRemove) else rollback.intent
        self.restore.setVisible(self._restorer is not None)
        self.undone.show()

    def _what(self, rollback: CatalogRollback) -> str:
        match rollback.intent:
            case ScheduleSet():
                return self.tr("your working hours")
            case ServiceAdd(_, body):
                return self.tr("the new service “%s”") % body.name
            case ServiceEdit(service_id, _):
                name = self._service_names.get(service_id, "")
                return self.tr("your change to the service “%s”") % name
            case TimeOffAdd(client_id, body):
                item = TimeOff(id=client_id, master_id=self._view.master_id, **body.model_dump())
                return self.tr("the time off %s") % when_text(item, self._view.schedule.time_zone)
            case TimeOffRemove(time_off_id):
                return self.tr("deleting %s") % self._names.get(time_off_id, self.tr("time off"))

    def undone_message(self) -> str:
        return "" if self.undone.isHidden() else self.undone_text.text()

    def restore_edits(self) -> None:
        """Put the refused change back into its form, to correct and send again."""
        match self._restorer:
            case ScheduleSet(update):
                self.tabs.setCurrentIndex(0)
                self.hours.fill(update)
            case ServiceAdd(_, body):
                self.tabs.setCurrentIndex(2)
                self.services.fill_new(body)
            case ServiceEdit(service_id, patch):
                self.tabs.setCurrentIndex(2)
                self.services.fill_patch(service_id, patch)
            case TimeOffAdd(_, body):
                self.tabs.setCurrentIndex(1)
                self.time_off.fill(body)
            case _:
                return
        self.undone.hide()


def catalog_reason(code: str, field: str | None = None) -> str:
    """Why a catalog change was undone, from the engine's code (and the field the server named)."""
    if code == ErrorCode.INVALID_REQUEST and field:
        return QCoreApplication.translate(
            "HoursServicesWindow", "The server could not accept the %s given."
        ) % _field_name(field)
    reasons = {
        ErrorCode.VERSION_CONFLICT: QCoreApplication.translate(
            "HoursServicesWindow",
            "It was changed elsewhere first (another window or device); that version is shown.",
        ),
        ErrorCode.NOT_FOUND: QCoreApplication.translate(
            "HoursServicesWindow", "It no longer exists."
        ),
        ErrorCode.FORBIDDEN: QCoreApplication.translate(
            "HoursServicesWindow", "You are not allowed to change it."
        ),
        ErrorCode.INVALID_REQUEST: QCoreApplication.translate(
            "HoursServicesWindow", "The server could not accept the values given."
        ),
        NOT_CONFIRMED: QCoreApplication.translate(
            "HoursServicesWindow", "The server did not confirm the change in time."
        ),
    }
    return reasons.get(
        code, QCoreApplication.translate("HoursServicesWindow", "The server refused the change.")
    )


def _field_name(field: str) -> str:
    """A field a refusal names (the protocol's name), as the window says it."""
    names = {
        "name": QCoreApplication.translate("HoursServicesWindow", "name"),
        "duration_minutes": QCoreApplication.translate("HoursServicesWindow", "duration"),
        "price_minor": QCoreApplication.translate("HoursServicesWindow", "price"),
        "currency": QCoreApplication.translate("HoursServicesWindow", "currency"),
        "buffer_after_minutes": QCoreApplication.translate("HoursServicesWindow", "buffer"),
        "time_zone": QCoreApplication.translate("HoursServicesWindow", "time zone"),
        "weekly": QCoreApplication.translate("HoursServicesWindow", "working hours"),
        "starts_at": QCoreApplication.translate("HoursServicesWindow", "start"),
        "ends_at": QCoreApplication.translate("HoursServicesWindow", "end"),
        "note": QCoreApplication.translate("HoursServicesWindow", "note"),
    }
    return names.get(field, field)
