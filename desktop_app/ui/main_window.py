"""The main window: the bookings table with search and scope filters, booking actions in a toolbar,
menus and a context menu, and the sync feedback (status indicator, offline banner, rollbacks).

Everything shown comes from the controller's signals; every user action is a one-line call to it.
Actions are enabled with `booking_core.decide` for the signed-in user, so a disabled action is one
the server would refuse.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from PySide6.QtCore import QEvent, QItemSelection, QObject, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QKeyEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from booking_core import (
    Action,
    Booking,
    BookingCreate,
    BookingPatch,
    Clock,
    ErrorCode,
    Status,
    UserPublic,
    Viewer,
    utc_now,
)
from booking_core import Role as UserRole
from booking_core.history import HistoryList
from desktop_app.directory import Directory
from desktop_app.sync import (
    CatalogRollback,
    CatalogView,
    Create,
    RemoteChange,
    Rollback,
    RowsChanged,
    SyncStatus,
    VisibleBooking,
)
from desktop_app.ui.booking_details import BookingDetails
from desktop_app.ui.booking_form import BookingForm, clash
from desktop_app.ui.bookings_filter import BookingsFilterProxy, Scope
from desktop_app.ui.bookings_model import BookingsTableModel, Column, Role
from desktop_app.ui.bookings_table import BookingsTable
from desktop_app.ui.calendar_export import day_sheet_html, ics_of, print_pdf, write_ics
from desktop_app.ui.controller_port import ControllerPort, send_intent
from desktop_app.ui.day_view import DayView
from desktop_app.ui.diagnostics import Snapshot, SyncDiagnostics, snapshot_of
from desktop_app.ui.history import BookingHistory
from desktop_app.ui.hours_services import HoursServicesWindow
from desktop_app.ui.notice_bar import NoticeBar
from desktop_app.ui.notifier import Notice, Notifier
from desktop_app.ui.offline_banner import OfflineBanner
from desktop_app.ui.permissions import allowed, editable, ever_allowed, retryable
from desktop_app.ui.preferences import PreferencesDialog, Value
from desktop_app.ui.reason_dialog import REASON_ACTIONS, ReasonDialog
from desktop_app.ui.resources import icon
from desktop_app.ui.rollback_dialog import RollbackDialog
from desktop_app.ui.slot_picker import SlotPicker
from desktop_app.ui.status_indicator import StatusIndicator
from desktop_app.ui.statuses import action_label, rollback_reason, time_range
from desktop_app.ui.undo_bar import Undoable, UndoBar
from desktop_app.ui.week_view import WeekPanel
from desktop_app.ui.window_layout import (
    LayoutParts,
    fit_into_screen,
    restore_layout,
    save_layout,
)

# Toolbar and menu order; each with its icon file stem and shortcut.
BOOKING_ACTIONS: tuple[tuple[Action, str, QKeySequence | QKeySequence.StandardKey], ...] = (
    (Action.ACCEPT, "accept", QKeySequence(Qt.Key.Key_A)),
    (Action.DECLINE, "decline", QKeySequence(Qt.Key.Key_D)),
    (Action.START, "start", QKeySequence(Qt.Key.Key_S)),
    (Action.COMPLETE, "complete", QKeySequence(Qt.Key.Key_C)),
    (Action.NO_SHOW, "no_show", QKeySequence(Qt.Key.Key_N)),
    (Action.CANCEL, "cancel", QKeySequence(Qt.Key.Key_Delete)),
)

ROLLBACK_LOG = 20  # rollbacks kept for the diagnostics window


def _awaits(row: VisibleBooking) -> bool:
    return row.booking.status is Status.PENDING


class MainWindow(QMainWindow):
    """The master's (or customer's) working window over one `ControllerPort`.

    `user` may be given now or later through the controller's `signed_in` signal; until then no
    booking action is enabled. `clock` decides "after the start" for no-show and the Today scope.
    """

    sign_out_requested = Signal()  # File > Sign out: the app ends the session and asks again
    # Edit > Preferences saved: every value (desktop_app.ui.preferences.DEFAULTS' keys), for the
    # app to write to the settings file; the window applies "keep running in the tray" and the
    # new-request sound itself.
    preferences_saved = Signal(dict)

    def __init__(
        self,
        controller: ControllerPort,
        user: UserPublic | None = None,
        *,
        clock: Clock = utc_now,
        display_names: Mapping[str, str] | None = None,
        settings: QSettings | None = None,
        keep_in_tray: bool = False,
        tray_available: Callable[[], bool] | None = None,
        directory: Directory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._controller = controller
        # The availability reads (customer search, masters, services, free slots); None: none.
        self.directory = directory
        self.slot_picker: SlotPicker | None = None
        self._user = user
        self._clock = clock
        self._viewers: dict[str, tuple[Viewer, ...]] = {}
        self.model = BookingsTableModel(controller.visible, display_names, self)
        self.proxy = BookingsFilterProxy(clock, self)
        self.proxy.setSourceModel(self.model)
        self.table = BookingsTable(self.model, self.proxy)
        self.search = self._make_search()
        self.indicator = StatusIndicator()
        self.banner = OfflineBanner()
        self.rollbacks = RollbackDialog(
            self._who,
            self,
            other_party=self.model.other_party_name,
            can_retry=self._can_retry,
        )
        self.day_view = DayView(self.model, clock)
        self.week = WeekPanel(self.model, clock)
        self.details = BookingDetails(
            self.model.display_name,
            user.id if user else None,
            other_party=self.model.other_party_name,
        )
        self.history = BookingHistory(self._who, lambda: self._user.id if self._user else None)
        self.history.record(controller.visible().keys(), controller.visible())
        self._history_shown: str | None = None  # the booking whose history was last asked for
        self.notifier = (
            Notifier(user.id if user else None, self.model.display_name, self.isActiveWindow, self)
            if tray_available is None
            else Notifier(
                user.id if user else None,
                self.model.display_name,
                self.isActiveWindow,
                self,
                tray_available=tray_available,
            )
        )
        # Closing the window keeps the app running in the tray (a setting), so notices go on;
        # File > Quit still quits.
        self._keep_in_tray = keep_in_tray
        self._quitting = False
        self._preferences: dict[str, Value] = {}
        self.preferences: PreferencesDialog | None = None
        self.notice_bar = NoticeBar()
        self.undo_bar = UndoBar()
        self._awaiting: set[str] = set()  # bookings in the "Needs answer" scope (pending)
        self.booking_actions = self._make_booking_actions()
        self.sync_action = self._action(self.tr("&Sync now"), "sync", self._controller.sync_now)
        self.sync_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.undo_action = self._action(self.tr("&Undo"), "undo", self.undo_last)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.find_action = self._action(self.tr("&Find…"), "search", self._focus_search)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.new_action = self._action(self.tr("&New booking…"), "new", self.new_booking)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.edit_action = self._action(self.tr("&Move or edit…"), "edit", self.open_edit_booking)
        self.edit_action.setShortcut(QKeySequence(Qt.Key.Key_E))
        self.edit_action.setEnabled(False)
        self._form: BookingForm | None = None
        self.reason_dialog: ReasonDialog | None = None
        self.confirm_dialog: QMessageBox | None = None
        self.help_box: QMessageBox | None = None
        self._rollback_log: deque[tuple[datetime, Rollback | CatalogRollback]] = deque(
            maxlen=ROLLBACK_LOG
        )
        self.diagnostics: SyncDiagnostics | None = None
        self.hours_services: HoursServicesWindow | None = None
        self.diagnostics_action = self._action(
            self.tr("Sync &diagnostics…"), "sync", self.open_diagnostics
        )
        self.diagnostics_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.scope_actions = self._make_scope_actions()
        self._presence = QLabel()
        self._presence.setObjectName("presenceText")
        self._count = QLabel()
        self._count.setObjectName("countText")
        self._counted: tuple[int, int] | None = None  # (shown, total) the count label says
        self._reselect: dict[str, str] = {}  # client id -> server id of a just-created booking
        self._synced_once = False  # until then, rows come from a load: no notifications
        self._lay_out()
        self._connect()
        if user is not None:
            self._set_perspective(user)
        self._refresh_title()
        self.show_status(controller.status)
        self._count_awaiting(None, True)
        self._after_rows_changed()
        self._show_working_time()  # the catalog cached from the last run, if any
        if settings is not None:
            self.restore_layout(settings)
        self._fitted = False  # into the screen, at the first show

    # -- building ---------------------------------------------------------------------------------

    def _make_search(self) -> QLineEdit:
        search = QLineEdit()
        search.setObjectName("searchField")
        search.setAccessibleName(self.tr("Search bookings"))
        search.setPlaceholderText(self.tr("Search customer, service, note…  (Ctrl+F)"))
        search.setClearButtonEnabled(True)
        glass = search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        glass.setText(self.tr("Search"))
        search.textChanged.connect(self.proxy.set_text)
        search.installEventFilter(self)  # Escape clears it
        return search

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            if self.search.text():
                self.search.clear()
            else:
                self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return super().eventFilter(watched, event)

    def _action(self, text: str, icon_name: str, slot: Callable[[], object]) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _make_booking_actions(self) -> dict[Action, QAction]:
        actions: dict[Action, QAction] = {}
        for booking_action, icon_name, shortcut in BOOKING_ACTIONS:
            qaction = self._action(
                action_label(booking_action),
                icon_name,
                functools.partial(self.request, booking_action),
            )
            qaction.setShortcut(shortcut)
            qaction.setObjectName(f"action_{booking_action.value}")
            qaction.setEnabled(False)
            actions[booking_action] = qaction
        return actions

    def _make_scope_actions(self) -> dict[Scope, QAction]:
        group = QActionGroup(self)
        names = {
            Scope.ALL: self.tr("All"),
            Scope.TODAY: self.tr("Today"),
            Scope.UPCOMING: self.tr("Upcoming"),
            Scope.NEEDS_ANSWER: self.tr("Needs answer"),
        }
        actions: dict[Scope, QAction] = {}
        for scope, name in names.items():
            action = QAction(name, group)
            action.setCheckable(True)
            action.setChecked(scope is Scope.ALL)
            action.setObjectName(f"scope_{scope.value}")
            action.triggered.connect(lambda _checked=False, s=scope: self.proxy.set_scope(s))
            actions[scope] = action
        return actions

    def _lay_out(self) -> None:
        self.setWindowIcon(icon("app"))
        self.resize(1440, 800)
        self.addToolBar(self._make_toolbar())
        self._make_menus()
        central = QWidget()
        central.setObjectName("centralArea")
        layout = self._central_layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(10)
        layout.addWidget(self.banner)
        layout.addWidget(self.notice_bar)
        layout.addWidget(self.undo_bar)
        layout.addLayout(self._make_filter_bar())
        splitter = self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        self.views = QTabWidget()
        self.views.setObjectName("mainViews")
        self.views.setDocumentMode(True)
        self.views.setMinimumWidth(200)  # the day view keeps its width in a small window
        self.views.setAccessibleName(self.tr("Views"))
        self.views.tabBar().setAccessibleName(self.tr("List or week"))
        self.views.addTab(self._make_table_panel(), self.tr("&List"))
        self.views.addTab(self.week, self.tr("&Week"))
        splitter.addWidget(self.views)
        self.day_scroller = QScrollArea()
        self.day_scroller.setObjectName("dayScroller")
        self.day_scroller.setWidgetResizable(True)
        self.day_scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.day_scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.day_scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.day_scroller.setMinimumWidth(self.day_view.minimumWidth())
        self.day_scroller.setWidget(self.day_view)  # a long day scrolls; hours keep their height
        splitter.addWidget(self.day_scroller)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([self.width() - 380, 360])
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        # Tab walks the window in reading order: search, the table, the details, the day view.
        QWidget.setTabOrder(self.search, self.table)
        QWidget.setTabOrder(self.table, self.details.scroller)
        QWidget.setTabOrder(self.details.scroller, self.day_view)
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        bar.addWidget(self.indicator)
        bar.addWidget(self._presence, 1)
        bar.addPermanentWidget(self._count)

    def _make_toolbar(self) -> QToolBar:
        toolbar = QToolBar(self.tr("Bookings"))
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.new_action)
        toolbar.addSeparator()
        toolbar.addActions(list(self.booking_actions.values()))
        toolbar.addAction(self.edit_action)
        toolbar.addSeparator()
        toolbar.addAction(self.sync_action)
        return toolbar

    def _make_table_panel(self) -> QWidget:
        panel = self.table_splitter = QSplitter(Qt.Orientation.Vertical)
        panel.setObjectName("tablePanel")
        panel.setChildrenCollapsible(False)
        panel.addWidget(self.table)
        panel.addWidget(self.details)
        panel.setStretchFactor(0, 1)
        panel.setStretchFactor(1, 0)
        panel.setSizes([self.height() - 140, 120])
        return panel

    def _make_filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(6)
        for action in self.scope_actions.values():
            button = QToolButton()
            button.setObjectName("scopeButton")
            button.setDefaultAction(action)
            button.setAccessibleName(self.tr("Show %s") % action.text())
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.search)
        return bar

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.sync_action)
        file_menu.addSeparator()
        self.print_action = file_menu.addAction(self.tr("&Print day sheet…"))
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.ask_print_day_sheet)
        self.export_action = file_menu.addAction(self.tr("&Export to calendar (.ics)…"))
        self.export_action.triggered.connect(self.ask_export_ics)
        self.booking_page_action = file_menu.addAction(self.tr("Copy &booking page link"))
        self.booking_page_action.setVisible(False)  # masters only: set_user decides
        self.booking_page_action.triggered.connect(self.copy_booking_page_link)
        file_menu.addSeparator()
        self.sign_out_action = file_menu.addAction(self.tr("Sign &out"))
        self.sign_out_action.setObjectName("signOut")
        self.sign_out_action.triggered.connect(self.sign_out_requested)
        quit_action = file_menu.addAction(self.tr("&Quit"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.quit)
        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        self.preferences_action = edit_menu.addAction(self.tr("&Preferences…"))
        self.preferences_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.preferences_action.triggered.connect(self.open_preferences)
        edit_menu.addSeparator()
        self.hours_action = edit_menu.addAction(self.tr("Working &hours && services…"))
        self.hours_action.setObjectName("hoursServices")
        self.hours_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.hours_action.setVisible(False)  # masters only: set_user decides
        self.hours_action.triggered.connect(self.open_hours_services)
        actions_menu = bar.addMenu(self.tr("&Actions"))
        actions_menu.addActions(list(self.booking_actions.values()))
        actions_menu.addSeparator()
        actions_menu.addAction(self.edit_action)
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions(list(self.scope_actions.values()))
        view_menu.addSeparator()
        view_menu.addAction(self.diagnostics_action)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.setObjectName("helpMenu")  # the app adds About to this one
        self.help_action = help_menu.addAction(self.tr("&Keyboard shortcuts"))
        self.help_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.help_action.triggered.connect(self.open_help)
        help_menu.addAction(self.diagnostics_action)

    def _connect(self) -> None:
        controller = self._controller
        controller.rows_changed.connect(self.apply_rows)
        controller.remote_changed.connect(self.apply_remote_change)
        controller.sync_status_changed.connect(self.show_status)
        controller.change_rolled_back.connect(self.show_rollback)
        controller.presence_changed.connect(self.show_presence)
        controller.signed_in.connect(self.set_user)
        controller.booking_id_assigned.connect(self._booking_id_assigned)
        controller.history_loaded.connect(self.apply_history)
        controller.catalog_changed.connect(self.catalog_changed)
        controller.availability_changed.connect(self.availability_changed)
        self.rollbacks.retry_requested.connect(self.retry)
        self.notifier.opened.connect(self.bring_forward)
        self.notifier.notified.connect(self._notified)
        self.notice_bar.open_requested.connect(self.bring_forward)
        self.undo_bar.undo_requested.connect(self._undo)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.day_view.booking_clicked.connect(self.reveal_booking)
        self.week.view.booking_clicked.connect(self.reveal_booking)
        self.week.view.create_requested.connect(self.open_new_booking_at)
        self.week.view.move_requested.connect(self.move_booking)
        self.day_view.clock_timer().timeout.connect(self.proxy.clock_moved)
        self.proxy.rowsInserted.connect(self._refresh_count)
        self.proxy.rowsRemoved.connect(self._refresh_count)
        self.proxy.modelReset.connect(self._refresh_count)
        self.proxy.layoutChanged.connect(self._refresh_count)

    # -- slots: the controller's signals ---------------------------------------------------------

    def apply_rows(self, rows: RowsChanged) -> None:
        changed = rows.inserted | rows.updated
        bulk = self.model.is_bulk(rows)
        live = not bulk and self._synced_once  # loads tell of no one's action: only live news
        selected = self.selected_booking()
        self.model.apply(rows)
        after = self._controller.visible()
        self.history.record(changed, after)
        if bulk and selected is not None:  # a (re)load: keep the selection
            self.select_booking(selected.id)
        if live:
            self._mark_new_requests(rows, after)
        self._count_awaiting(rows, bulk)
        self._follow_new_ids()
        self._after_rows_changed()

    def apply_remote_change(self, change: RemoteChange) -> None:
        """Someone else's change as the server said it: history and notices take who and what
        from it (its rows follow in `rows_changed`)."""
        self.history.record_remote(change)
        if self._synced_once:  # as for rows: news once the window has synced, not a catch-up
            self.notifier.remote_changed(change)
        selected = self.selected_booking()
        if selected is not None and selected.id == change.booking_id:
            self._refresh_selected()

    def apply_history(self, booking_id: str, history: HistoryList) -> None:
        """A booking's history from the server's log (or the copy kept of it, offline)."""
        self.history.record_log(booking_id, history)
        selected = self.selected_booking()
        if selected is not None and selected.id == booking_id:
            self._refresh_selected()

    def _mark_new_requests(self, rows: RowsChanged, after: Mapping[str, VisibleBooking]) -> None:
        """Highlight requests someone else made, until the user looks at them."""
        me = self._user.id if self._user is not None else None
        selected = self.selected_booking()
        for booking_id in rows.inserted:
            row = after.get(booking_id)
            if (
                row is not None
                and not row.pending
                and row.booking.status is Status.PENDING
                and row.booking.updated_by != me
                and (selected is None or selected.id != booking_id)
            ):
                self.model.mark_new(booking_id)

    def _count_awaiting(self, rows: RowsChanged | None, bulk: bool) -> None:
        """Keep the set behind "Needs answer (n)": whole on a load, by the changed ids live."""
        visible = self._controller.visible()
        if rows is None or bulk:
            self._awaiting = {bid for bid, r in visible.items() if _awaits(r)}
        else:
            for booking_id in rows.inserted | rows.updated | rows.removed:
                row = visible.get(booking_id)
                if row is not None and _awaits(row):
                    self._awaiting.add(booking_id)
                else:
                    self._awaiting.discard(booking_id)
        self._refresh_attention()

    def _refresh_attention(self) -> None:
        """The count on "Needs answer" and, for requests not yet looked at, in the title."""
        action = self.scope_actions[Scope.NEEDS_ANSWER]
        waiting = len(self._awaiting)
        text = self.tr("Needs answer") + (f" ({waiting})" if waiting else "")
        if action.text() != text:
            action.setText(text)
        self._refresh_title()

    def _notified(self, notice: Notice) -> None:
        """A notice the window was not focused for: with no tray to show it, the window does,
        and asks the desktop to flag it in the taskbar."""
        if self.notifier.tray is None:
            self.notice_bar.show_notice(notice)
            QApplication.alert(self)

    def _booking_id_assigned(self, client_id: str, booking_id: str) -> None:
        selected = self.selected_booking()
        if selected is not None and selected.id == client_id:
            self._reselect[client_id] = booking_id

    def _follow_new_ids(self) -> None:
        """A created booking's row is replaced when the server names it: keep it selected."""
        for client_id, booking_id in list(self._reselect.items()):
            if self.model.row_of(client_id) < 0 and self.model.row_of(booking_id) >= 0:
                del self._reselect[client_id]
                self.select_booking(booking_id)  # Qt moved the selection to a neighbour

    def show_status(self, status: SyncStatus) -> None:
        # The first load's rows arrive before the status that says it is done.
        self._synced_once = self._synced_once or status.last_synced_at is not None
        self.indicator.set_status(status)
        self.banner.set_status(status)
        self.notifier.set_status(status)

    def show_rollback(self, rollback: Rollback | CatalogRollback) -> None:
        self._rollback_log.append((self._clock(), rollback))
        if isinstance(rollback, CatalogRollback):  # a master's services, hours or time off
            if self.hours_services is not None and self.hours_services.isVisible():
                return  # that window says what and why, and offers the edits again
            self.rollbacks.add(rollback)
            self.notifier.rolled_back(rollback)
            return
        self.model.mark_conflict(rollback.booking_id, rollback_reason(rollback.code))
        self.undo_bar.forget(rollback.booking_id)  # the server undid it already
        if (
            isinstance(rollback.intent, Create)
            and rollback.code == ErrorCode.INVALID_REQUEST
            and self.reopen_new_booking(rollback.intent.body, rollback_reason(rollback.code))
            is not None
        ):
            return  # the form, with what was typed and the problem, is the explanation
        if (
            isinstance(rollback.intent, Create)
            and rollback.code in (ErrorCode.SLOT_TAKEN, ErrorCode.SLOT_UNAVAILABLE)
            and rollback.intent.body.service_id is not None
            and self._user is not None
            and self._user.role is UserRole.CUSTOMER
            and (picker := self.open_slot_picker()) is not None
        ):
            # A free time taken meanwhile: choose another, with what was chosen and why.
            picker.fill_from(rollback.intent.body, rollback_reason(rollback.code))
            return
        self.rollbacks.add(rollback)
        self.notifier.rolled_back(rollback)

    def show_presence(self, booking_id: str, viewers: tuple[Viewer, ...]) -> None:
        self._viewers[booking_id] = tuple(viewers)
        self.model.set_display_names({v.id: v.display_name for v in viewers})
        self._refresh_presence()

    def set_user(self, user: UserPublic) -> None:
        self._user = user
        self._set_perspective(user)
        self.details.set_me(user.id)
        self.notifier.set_me(user.id)
        self._refresh_title()
        self._refresh_actions()

    # -- user actions -----------------------------------------------------------------------------

    def request(self, action: Action) -> None:
        """Ask the controller to `action` the selected booking, if the server would allow it.

        A decline, cancel or no-show first asks for an optional reason (non-blocking dialog)."""
        booking = self.selected_booking()
        if booking is None or not self._allowed(action, booking):
            return
        if action in REASON_ACTIONS:
            self.ask_reason(booking, action)
        elif (question := self._question(action, booking)) is not None:
            self.ask_first(booking, action, question)
        else:
            self._controller.request_transition(booking.id, action)

    def _question(self, action: Action, booking: Booking) -> str | None:
        """What to ask before a change that cannot be taken back, or None to send it at once."""
        if action is Action.COMPLETE:
            left = -int(-(booking.ends_at - self._clock()).total_seconds() // 60)
            early = self.tr(" It is booked until %s (%n min from now).", "", left) % (
                booking.ends_at.astimezone().strftime("%H:%M")
            )
            return (
                self.tr("Complete “%s” now?") % booking.service
                + (early if left > 0 else "")
                + self.tr(" This cannot be undone.")
            )
        if action is Action.START:
            busy = [
                row.booking
                for row in self._controller.visible().values()
                if row.booking.status is Status.IN_PROGRESS
                and row.booking.master_id == booking.master_id
                and row.booking.id != booking.id
            ]
            if busy:
                return self.tr("“%s” with %s is still in progress. Start “%s” anyway?") % (
                    busy[0].service,
                    self.model.other_party_name(busy[0]),
                    booking.service,
                )
        return None

    def ask_first(self, booking: Booking, action: Action, question: str) -> QMessageBox:
        """A non-blocking question; only its action button sends the change."""
        if self.confirm_dialog is not None:
            self.confirm_dialog.close()
        box = QMessageBox(QMessageBox.Icon.Question, action_label(action), question, parent=self)
        box.setObjectName("confirmDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        go = box.addButton(action_label(action), QMessageBox.ButtonRole.AcceptRole)
        go.setObjectName("confirmButton")
        keep = box.addButton(self.tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        booking_id = booking.id
        go.clicked.connect(lambda: self._controller.request_transition(booking_id, action))
        box.finished.connect(lambda _result: self._forget_confirm(box))
        self.confirm_dialog = box
        box.open()
        return box

    def _forget_confirm(self, box: QMessageBox) -> None:
        if self.confirm_dialog is box:
            self.confirm_dialog = None

    def ask_reason(self, booking: Booking, action: Action) -> ReasonDialog:
        """Open the reason dialog (one at a time); OK sends `action` with the reason."""
        if self.reason_dialog is not None:
            self.reason_dialog.close()
        dialog = ReasonDialog(booking, action, self)
        dialog.reason_given.connect(self._controller.request_transition)
        dialog.finished.connect(lambda _result: self._forget_reason_dialog(dialog))
        self.reason_dialog = dialog
        dialog.open()
        return dialog

    def _forget_reason_dialog(self, dialog: ReasonDialog) -> None:
        if self.reason_dialog is dialog:
            self.reason_dialog = None

    def selected_booking(self) -> Booking | None:
        return self.table.selected_booking()

    def select_booking(self, booking_id: str) -> bool:
        return self.table.select_booking(booking_id)

    def retry(self, rollback: Rollback) -> None:
        """Send an undone change again, as the user asked from the rollback dialog."""
        if rollback.intent is not None:
            send_intent(self._controller, rollback.intent)

    def _can_retry(self, rollback: Rollback) -> bool:
        return retryable(self._user, rollback, self._clock())

    def new_booking(self) -> BookingForm | SlotPicker | None:
        """File > New booking: a customer with the server's free times picks one of them; a
        master (or a customer without them) fills in the form."""
        if (
            self._user is not None
            and self._user.role is UserRole.CUSTOMER
            and self.directory is not None
        ):
            return self.open_slot_picker()
        return self.open_new_booking()

    def open_new_booking(self) -> BookingForm | None:
        """Show the form for a new booking (non-blocking); its request goes to the controller."""
        return self.open_new_booking_at(None, None)

    def open_new_booking_at(
        self, start: datetime | None, minutes: int | None
    ) -> BookingForm | None:
        """The new-booking form (for a time picked in the week view)."""
        if self._user is None:
            return None
        form = BookingForm.for_create(
            self._user,
            self._visible_bookings,
            people=self.model.display_names(),
            start=start,
            catalog=self._catalog,
            between=self._bookings_between,
            clock=self._clock,
            directory=self.directory,
            parent=self,
        )
        if minutes is not None and form.chosen_service() is None:
            form.set_values(minutes=minutes)
        form.create_requested.connect(self._controller.request_create)
        return self._show_form(form)

    def open_slot_picker(self) -> SlotPicker | None:
        """Customer mode: choose a master, a service and one of the master's free times."""
        if self._user is None or self.directory is None:
            return None
        if self.slot_picker is not None:
            self.slot_picker.close()
        picker = SlotPicker(
            self._user, self.directory, self._clock, watch=self._watch_availability, parent=self
        )
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.destroyed.connect(self._forget_slot_picker)
        picker.create_requested.connect(self._controller.request_create)
        self.slot_picker = picker
        picker.show()
        fit_into_screen(picker)
        return picker

    def _forget_slot_picker(self) -> None:
        self.slot_picker = None

    def _watch_availability(self, master_id: str | None) -> None:
        """Ask the server for `availability:updated` of the master whose free times are shown."""
        self._controller.watch_availability(master_id)

    def availability_changed(self, master_id: str) -> None:
        """A master's free times may have changed (the server's `availability:updated`)."""
        if self.slot_picker is not None:
            self.slot_picker.availability_changed(master_id)

    def _catalog(self) -> CatalogView:
        """The signed-in master's catalog as the engine has it (a customer's: empty, not
        loaded)."""
        return self._controller.catalog()

    def catalog_changed(self, *_args: object) -> None:
        """Services, hours or time off changed: the open form and the views show them."""
        if self._form is not None:
            self._form.catalog_changed()
        self._show_working_time()

    def _show_working_time(self) -> None:
        view = self._catalog()
        # Hours never set (or none at all) say nothing about when the master works: the views
        # then shade nothing and offer free time as before, rather than a day all "outside work".
        work = view if view.loaded and any(view.schedule.weekly.values()) else None
        self.day_view.set_working_time(work)
        self.week.view.set_working_time(work)

    def _bookings_between(self, start: datetime, end: datetime) -> list[Booking]:
        return [row.booking for row in self.model.visible_between(start, end)]

    def move_booking(self, booking_id: str, starts_at: datetime, ends_at: datetime) -> bool:
        """Move or resize a booking dragged in the week view: an optimistic reschedule through
        the controller (undone like any other if the server refuses). False, with the reason in
        the status bar, when it may not be moved or the new time overlaps another booking."""
        row = self.model.visible_booking(booking_id)
        if row is None:
            return False
        booking = row.booking
        if not self._allowed(Action.RESCHEDULE, booking):
            self.statusBar().showMessage(self.tr("“%s” cannot be moved now.") % booking.service)
            return False
        moved = booking.model_copy(update={"starts_at": starts_at, "ends_at": ends_at})
        other = clash(moved, self._visible_bookings())
        if other is not None:
            self.statusBar().showMessage(
                self.tr("Not moved: that time overlaps “%s” (%s).")
                % (other.service, time_range(other))
            )
            return False
        self.reschedule(booking_id, BookingPatch(starts_at=starts_at, ends_at=ends_at))
        return True

    def reschedule(self, booking_id: str, patch: BookingPatch) -> None:
        """Send a move or note change, and offer to undo it for a few seconds."""
        row = self.model.visible_booking(booking_id)
        self._controller.request_reschedule(booking_id, patch)
        if row is not None:
            self.undo_bar.offer(self._undoable(row.booking, patch))

    def _undoable(self, before: Booking, patch: BookingPatch) -> Undoable:
        if patch.starts_at is not None and patch.ends_at is not None:
            moved = patch.starts_at != before.starts_at
            when = patch.starts_at.astimezone().strftime("%a %d %b %H:%M")
            length = int((patch.ends_at - patch.starts_at).total_seconds() // 60)
            text = (
                self.tr("Moved “%s” to %s") % (before.service, when)
                if moved
                else self.tr("“%s” now lasts %s min") % (before.service, length)
            )
            inverse = BookingPatch(starts_at=before.starts_at, ends_at=before.ends_at)
            if patch.note is not None and patch.note != before.note:
                inverse = inverse.model_copy(update={"note": before.note})
            return Undoable(before.id, text, inverse)
        return Undoable(
            before.id,
            self.tr("Changed the note of “%s”") % before.service,
            BookingPatch(note=before.note),
        )

    def undo_last(self) -> None:
        """Ctrl+Z: undo the change the undo bar offers, if any."""
        if self.undo_bar.offered() is not None:
            self.undo_bar.undo()

    def _undo(self, undoable: Undoable) -> None:
        row = self.model.visible_booking(undoable.booking_id)
        if row is None or not self._editable(row.booking):
            self.statusBar().showMessage(self.tr("That change can no longer be undone."))
            return
        self._controller.request_reschedule(undoable.booking_id, undoable.inverse)

    def reopen_new_booking(self, body: BookingCreate, problem: str) -> BookingForm | None:
        """The form again, filled with a refused request and the server's reason."""
        form = self.open_new_booking()
        if form is not None:
            form.fill_from(body, problem)
        return form

    def open_edit_booking(self) -> BookingForm | None:
        """Show the form to move or re-note the selected booking, if the server would allow it."""
        booking = self.selected_booking()
        if self._user is None or booking is None or not self._editable(booking):
            return None
        form = BookingForm.for_reschedule(
            self._user,
            self._visible_bookings,
            booking,
            people=self.model.display_names(),
            times_editable=self._allowed(Action.RESCHEDULE, booking),
            catalog=self._catalog,
            between=self._bookings_between,
            clock=self._clock,
            parent=self,
        )
        form.reschedule_requested.connect(self.reschedule)
        return self._show_form(form)

    def _save_dialog(self, title: str, name: str, pattern: str) -> QFileDialog:
        dialog = QFileDialog(self, title, str(Path.home() / name), pattern)
        dialog.setObjectName("saveDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return dialog

    def ask_print_day_sheet(self) -> QFileDialog:
        """File > Print day sheet: the day shown in the day view, as a PDF where the user says."""
        day = self.day_view.day()
        dialog = self._save_dialog(
            self.tr("Print day sheet"), f"day-sheet-{day:%Y-%m-%d}.pdf", self.tr("PDF (*.pdf)")
        )
        dialog.fileSelected.connect(lambda path: self._report(self.print_day_sheet, path, day))
        dialog.open()
        return dialog

    def ask_export_ics(self) -> QFileDialog:
        """File > Export to calendar: the week shown in the week view and the next three."""
        first = self.week.view.monday()
        last = first + timedelta(days=27)
        dialog = self._save_dialog(
            self.tr("Export to calendar"),
            f"bookings-{first:%Y-%m-%d}.ics",
            self.tr("iCalendar (*.ics)"),
        )
        dialog.fileSelected.connect(lambda path: self._report(self.export_ics, path, first, last))
        dialog.open()
        return dialog

    def _report(self, work: Callable[..., Path], path: str, *args: date) -> None:
        try:
            done = work(Path(path), *args)
        except OSError as error:
            self.statusBar().showMessage(self.tr("Not saved: %s") % error.strerror)
        else:
            self.statusBar().showMessage(self.tr("Saved %s") % done)

    def print_day_sheet(self, path: Path, day: date) -> Path:
        """The day's bookings as a printable sheet, in a PDF file."""
        user = self._user.display_name if self._user is not None else ""
        caption = self.model.headerData(Column.CUSTOMER, Qt.Orientation.Horizontal)
        html_text = day_sheet_html(
            self._visible_bookings(), day, self.model.other_party_name, user, str(caption)
        )
        print_pdf(html_text, path)
        return path

    def export_ics(self, path: Path, first: date, last: date) -> Path:
        """The bookings of `first`..`last` as an iCalendar file."""
        write_ics(path, ics_of(self._visible_bookings(), self.model.other_party_name, first, last))
        return path

    def open_help(self) -> QMessageBox:
        """The keyboard shortcuts, in a small non-blocking window (F1)."""
        if self.help_box is None:
            lines = [
                (action.shortcut().toString(QKeySequence.SequenceFormat.NativeText), action.text())
                for action in (
                    self.new_action,
                    *self.booking_actions.values(),
                    self.edit_action,
                    self.find_action,
                    self.sync_action,
                    self.diagnostics_action,
                    self.help_action,
                )
            ]
            rows = "".join(
                f"<tr><td><b>{keys}</b></td><td>&nbsp;&nbsp;{text.replace('&', '')}</td></tr>"
                for keys, text in lines
            )
            extra = self.tr(
                "In the day view: ←/→ day, ↑/↓ booking, Home today. "
                "In the search: Escape clears it."
            )
            box = QMessageBox(
                QMessageBox.Icon.Information,
                self.tr("Keyboard shortcuts"),
                f"<table>{rows}</table><p>{extra}</p>",
                QMessageBox.StandardButton.Close,
                self,
            )
            box.setObjectName("helpBox")
            box.setModal(False)
            self.help_box = box
        self.help_box.show()
        self.help_box.raise_()
        return self.help_box

    def open_diagnostics(self) -> SyncDiagnostics:
        """Show the sync diagnostics window (non-blocking; one per main window)."""
        if self.diagnostics is None:
            self.diagnostics = SyncDiagnostics(
                self.diagnostics_snapshot,
                self,
                describe=self._describe_booking,
                account=self._account_text,
                server=lambda: self._controller.server_url,
            )
        self.diagnostics.show()
        fit_into_screen(self.diagnostics)
        self.diagnostics.raise_()
        return self.diagnostics

    def open_hours_services(self) -> HoursServicesWindow | None:
        """Edit > Working hours & services (masters; non-blocking, one per window, kept with
        what was typed when closed)."""
        if self._user is None or self._user.role is not UserRole.MASTER:
            return None
        window = self.hours_services
        if window is None:
            window = self.hours_services = HoursServicesWindow(self._controller, self)
        window.show()
        fit_into_screen(window)
        window.raise_()
        window.activateWindow()
        return window

    def _describe_booking(self, booking_id: str) -> str:
        row = self.model.visible_booking(booking_id)
        if row is None:
            return self.tr("a booking no longer shown")
        booking = row.booking
        name = self.model.other_party_name(booking)
        return f"{booking.service} · {name}, {time_range(booking)}"

    def _account_text(self) -> str:
        if self._user is None:
            return "—"
        return f"{self._user.display_name} ({self._user.username})"

    def diagnostics_snapshot(self) -> Snapshot:
        return snapshot_of(self._controller.snapshot(), self._clock(), self._rollback_log)

    def _show_form(self, form: BookingForm) -> BookingForm:
        if self._form is not None:
            self._form.close()
        self._form = form
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.destroyed.connect(self._forget_form)
        form.show()
        fit_into_screen(form)
        return form

    def current_form(self) -> BookingForm | None:
        """The booking form open now, if any (one at a time)."""
        return self._form

    def _forget_form(self) -> None:
        self._form = None

    def _visible_bookings(self) -> list[Booking]:
        return [row.booking for row in self._controller.visible().values()]

    def _editable(self, booking: Booking) -> bool:
        return editable(self._user, booking, self._clock())

    def bring_forward(self, notice: Notice | None = None) -> None:
        """Show the window in front (tray click), at the notified booking if there is one."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
        if notice is not None and notice.booking_id is not None:
            self.reveal_booking(notice.booking_id)

    def reveal_booking(self, booking_id: str) -> None:
        """Select a booking even if the current search or scope hides it (day view clicks)."""
        if not self.select_booking(booking_id):
            self.search.clear()
            self.scope_actions[Scope.ALL].trigger()
            self.select_booking(booking_id)

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addActions(list(self.booking_actions.values()))
        menu.addSeparator()
        menu.addAction(self.edit_action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    # -- keeping the window in step ---------------------------------------------------------------

    def _after_rows_changed(self) -> None:
        if self._form is not None:
            self._form.refresh_availability()  # the free times follow the bookings
        self._refresh_selected()
        self._refresh_actions()
        self._refresh_count()
        self._refresh_presence()

    def _selection_changed(self, _selected: QItemSelection, deselected: QItemSelection) -> None:
        booking = self.selected_booking()
        self._controller.set_viewing(booking.id if booking else None)
        shown = booking.id if booking else None
        if shown != self._history_shown:  # details of another booking: fetch its history
            self._history_shown = shown
            if shown is not None:
                self._controller.load_history(shown)
        for index in deselected.indexes():
            self.model.clear_conflict(str(index.data(Role.BOOKING_ID)))  # seen, and left
        if booking is not None and booking.id in self.model.new_ids():
            self.model.clear_new(booking.id)  # looked at: no longer new
            self._refresh_title()
        self._refresh_selected()
        self._refresh_actions()
        self._refresh_presence()

    def _refresh_selected(self) -> None:
        booking = self.selected_booking()
        row = self.model.visible_booking(booking.id) if booking else None
        self.details.show_booking(row)
        self.details.set_history(
            [entry.text() for entry in self.history.entries(booking.id)] if booking else []
        )
        self.day_view.set_selected(booking.id if booking else None)
        self.week.view.set_selected(booking.id if booking else None)

    def _allowed(self, action: Action, booking: Booking) -> bool:
        return allowed(self._user, action, booking, self._clock())

    def _refresh_actions(self) -> None:
        booking = self.selected_booking()
        for action, qaction in self.booking_actions.items():
            qaction.setEnabled(booking is not None and self._allowed(action, booking))
        self.edit_action.setEnabled(booking is not None and self._editable(booking))
        self.new_action.setEnabled(self._user is not None)

    def _refresh_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if (shown, total) == self._counted:
            return
        self._counted = (shown, total)
        if shown != total:
            text = self.tr("%1 of %2 bookings").replace("%1", str(shown)).replace("%2", str(total))
        elif total == 1:
            text = self.tr("1 booking")
        else:
            text = self.tr("%n bookings", "", total)
        self._count.setText(text)

    def viewers_text(self) -> str:
        """Who else is viewing the selected booking, as the status bar says it ("" for no one)."""
        return self._presence.text()

    def _refresh_presence(self) -> None:
        booking = self.selected_booking()
        viewers = self._viewers.get(booking.id, ()) if booking is not None else ()
        me = self._user.id if self._user is not None else None
        others = [v.display_name for v in viewers if v.id != me]
        self.details.set_viewers(viewers)
        if not others:
            text = ""
        elif len(others) == 1:
            text = self.tr("%s is viewing this booking") % others[0]
        else:
            text = self.tr("%s are viewing this booking") % ", ".join(others)
        # setText of the same text is a no-op; QLabel.clear() is not: it repaints the whole
        # status bar, after every row change (it ran on each one).
        self._presence.setText(text)

    def _set_perspective(self, user: UserPublic) -> None:
        """A master's window or a customer's: columns, captions, free gaps and the actions shown."""
        self.model.set_perspective(user.role)
        self.details.set_perspective(user.role)
        # A customer sees only their own bookings: the master's free time is not known.
        self.day_view.set_show_gaps(user.role is UserRole.MASTER)
        for action, qaction in self.booking_actions.items():
            qaction.setVisible(ever_allowed(user.role, action))
        if user.role is UserRole.CUSTOMER:
            self.search.setPlaceholderText(self.tr("Search master, service, note…  (Ctrl+F)"))
        self.hours_action.setVisible(user.role is UserRole.MASTER)
        link = self.booking_page_link()
        self.booking_page_action.setVisible(link is not None)
        self.booking_page_action.setToolTip(link or "")
        self.booking_page_action.setStatusTip(link or "")

    def booking_page_link(self) -> str | None:
        """The public page on which the signed-in master's customers book (served by the same
        server as the app's API: /book/<username>); None for a customer."""
        if self._user is None or self._user.role is not UserRole.MASTER:
            return None
        return f"{self._controller.server_url.rstrip('/')}/book/{quote(self._user.username)}"

    def copy_booking_page_link(self) -> None:
        """Copy the master's booking page link and show it, so it can be shared."""
        link = self.booking_page_link()
        if link is None:
            return
        QApplication.clipboard().setText(link)
        self.statusBar().showMessage(self.tr("Booking page link copied: %s") % link, 10_000)

    def _who(self, user_id: str) -> str:
        """A person's name as the window says it; the signed-in user is "You"."""
        if self._user is not None and user_id == self._user.id:
            return self.tr("You")
        return self.model.display_name(user_id)

    def _refresh_title(self) -> None:
        if self._user is None:
            title = self.tr("Reservations")
        else:
            title = self.tr("Reservations — %s") % self._user.display_name
        # The taskbar shows the title: how many requests came in that were not looked at.
        unseen = len(self.model.new_ids())
        if unseen:
            title = f"({unseen}) {title}"
        if self.windowTitle() != title:
            self.setWindowTitle(title)

    def save_layout(self, settings: QSettings) -> None:
        """Window geometry, splitters, column widths and the chosen scope, for the next start."""
        save_layout(self._layout_parts(), settings)

    def restore_layout(self, settings: QSettings) -> None:
        """Undo `save_layout`; missing or unreadable values keep the defaults."""
        scope = restore_layout(self._layout_parts(), settings)
        if scope is not None:
            self.scope_actions[scope].trigger()

    def _layout_parts(self) -> LayoutParts:
        return LayoutParts(
            self,
            self.main_splitter,
            self.table_splitter,
            self.table.horizontalHeader(),
            self.proxy.scope(),
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            fit_into_screen(self)
            self.scroll_day_to_now()

    def set_keep_in_tray(self, keep: bool) -> None:
        self._keep_in_tray = keep

    def set_preferences(self, values: Mapping[str, Value]) -> None:
        """What the Preferences dialog shows (the app passes the settings in use)."""
        self._preferences = dict(values)
        self._keep_in_tray = bool(values.get("keep_in_tray", self._keep_in_tray))
        self.notifier.set_sound(bool(values.get("notify_sound", self.notifier.sound)))

    def open_preferences(self) -> PreferencesDialog:
        """Edit > Preferences (non-blocking, one at a time)."""
        if self.preferences is not None:
            self.preferences.close()
        shown = {**self._preferences, "keep_in_tray": self._keep_in_tray}
        dialog = PreferencesDialog(shown, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.save_requested.connect(self._preferences_saved)
        dialog.destroyed.connect(lambda: setattr(self, "preferences", None))
        self.preferences = dialog
        dialog.open()
        fit_into_screen(dialog)
        return dialog

    def _preferences_saved(self, values: dict[str, Value]) -> None:
        self.set_preferences(values)
        self.preferences_saved.emit(values)

    def quit(self) -> None:
        """File > Quit: close for good, even when closing would only hide the window."""
        self._quitting = True
        self.close()

    def scroll_day_to_now(self) -> None:
        """Scroll the day view so that the "now" line shows, a third of the way down."""
        if (layout := self._central_layout) is not None:
            layout.activate()  # the final sizes, before the first paint
        y = self.day_view.now_y()
        if y is not None:
            third = self.day_scroller.viewport().height() // 3
            self.day_scroller.ensureVisible(0, int(y), 0, third)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._settings is not None:
            self.save_layout(self._settings)
        if self._keep_in_tray and not self._quitting and self.notifier.tray is not None:
            event.ignore()  # hidden, still running: the tray icon brings it back
            self.hide()
            return
        self.rollbacks.close()
        if self.confirm_dialog is not None:
            self.confirm_dialog.close()
        if self.diagnostics is not None:
            self.diagnostics.close()
        if self.hours_services is not None:
            self.hours_services.close()
        super().closeEvent(event)
