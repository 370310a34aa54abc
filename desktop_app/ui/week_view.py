"""The week view: seven local days side by side as timelines, for direct manipulation.

Bookings are blocks coloured by status; bookings that overlap stand side by side; a red line marks
the current time. With the mouse: click or drag on free time to ask for a new booking there
(`create_requested`), drag a block to move it (`move_requested`), drag its bottom edge to change
its length (also `move_requested`). Times snap to a quarter hour. The view sends nothing itself:
the window turns each request into an optimistic change through the controller, which rolls it
back like any other when the server refuses.

With the master's working time (`set_working_time`) the hours outside work (the schedule's
days off and breaks, time off) are shaded; without it, the weekend is.

`WeekPanel` puts the view under a bar with previous / next / today buttons and a date picker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import Enum

from PySide6.QtCore import QDate, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from booking_core import MAX_DURATION, Clock
from booking_core.availability import Span
from desktop_app.sync import VisibleBooking
from desktop_app.ui.bookings_model import BookingsTableModel
from desktop_app.ui.day_view import NOT_HELD, NOW_COLOR, OFF_FILL, _lanes
from desktop_app.ui.statuses import PENDING_COLOR, badge_colors
from desktop_app.ui.work_hours import CatalogLike, day_bounds, outside_spans

GUTTER = 52  # px for the hour labels
HEADER = 40  # px for the day names
HOUR_PX = 44  # an hour's height: a 30-minute booking keeps a line of text
FIRST_HOUR, LAST_HOUR = 7, 21  # always shown; widened to fit the week's bookings
SNAP = timedelta(minutes=15)
EDGE_PX = 6  # how close to a block's bottom edge a press resizes instead of moving
DRAG_PX = 4  # how far the mouse moves before a press becomes a drag
NEW_MINUTES = 30  # a click on free time asks for this long a booking
TICK_MS = 60_000


@dataclass(frozen=True, slots=True)
class WeekBlock:
    row: VisibleBooking
    rect: QRectF
    day: int  # 0 = Monday


class _Drag(Enum):
    MOVE = "move"
    RESIZE = "resize"
    CREATE = "create"


@dataclass
class _Gesture:
    kind: _Drag
    press: QPointF
    booking_id: str | None = None
    started: bool = False
    start: datetime | None = None  # the proposed times while dragging
    end: datetime | None = None


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


class WeekView(QWidget):
    """A Monday-to-Sunday week of the model's bookings; see the module's docstring."""

    booking_clicked = Signal(str)
    create_requested = Signal(object, int)  # start (aware datetime), minutes
    move_requested = Signal(str, object, object)  # booking id, new start, new end
    week_changed = Signal(object)  # the Monday shown (date)

    def __init__(
        self, model: BookingsTableModel, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("weekView")
        self.setAccessibleName(self.tr("Week view"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)  # the cursor shows where a press would move or resize
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._model = model
        self._clock = clock
        self._monday = monday_of(clock().astimezone().date())
        self._selected: str | None = None
        self._gesture: _Gesture | None = None
        self._work: CatalogLike | None = None  # the master's schedule and time off, if known
        for signal in (
            model.rowsInserted,
            model.rowsRemoved,
            model.modelReset,
            model.layoutChanged,
            model.dataChanged,
        ):
            signal.connect(self._model_changed)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.update)
        self._tick.start()
        self._model_changed()

    # -- the week shown ---------------------------------------------------------------------------

    def monday(self) -> date:
        return self._monday

    def days(self) -> list[date]:
        return [self._monday + timedelta(days=n) for n in range(7)]

    def show_date(self, day: date) -> None:
        monday = monday_of(day)
        if monday != self._monday:
            self._monday = monday
            self._model_changed()
            self.week_changed.emit(monday)

    def previous_week(self) -> None:
        self.show_date(self._monday - timedelta(days=7))

    def next_week(self) -> None:
        self.show_date(self._monday + timedelta(days=7))

    def this_week(self) -> None:
        self.show_date(self._clock().astimezone().date())

    def set_selected(self, booking_id: str | None) -> None:
        if booking_id != self._selected:
            self._selected = booking_id
            self.update()

    def set_working_time(self, work: CatalogLike | None) -> None:
        """The master's schedule and time off (None: unknown: the weekend is shaded)."""
        self._work = work
        self.update()

    def outside_work(self, index: int) -> list[Span] | None:
        """The time of day `index` (0 = Monday) outside work; None when not known."""
        if self._work is None:
            return None
        start, end = day_bounds(self._monday + timedelta(days=index), self._tz())
        return outside_spans(self._work.schedule, self._work.time_off, start, end)

    def _model_changed(self, *_args: object) -> None:
        first, last = self.hours()
        self.setMinimumHeight(HEADER + 8 + (last - first) * HOUR_PX)
        count = len(self.rows())
        self.setAccessibleDescription(
            self.tr("Week of %s: %n bookings", "", count) % f"{self._monday:%d %B}"
        )
        self.update()

    # -- geometry ---------------------------------------------------------------------------------

    def _tz(self) -> tzinfo | None:
        return self._clock().astimezone().tzinfo

    def _day_start(self, index: int) -> datetime:
        return datetime.combine(self._monday + timedelta(days=index), time(), tzinfo=self._tz())

    def rows(self, index: int | None = None) -> list[VisibleBooking]:
        """The bookings touching day `index` (0 = Monday), or the whole week, in start order."""
        first, count = (0, 7) if index is None else (index, 1)
        start = self._day_start(first)
        end = start + timedelta(days=count)
        candidates = self._model.visible_between(start - MAX_DURATION, end)
        return [r for r in candidates if r.booking.ends_at > start]

    def hours(self) -> tuple[int, int]:
        first, last = FIRST_HOUR, LAST_HOUR
        for row in self.rows():
            starts = row.booking.starts_at.astimezone()
            ends = row.booking.ends_at.astimezone()
            if starts.date() >= self._monday:
                first = min(first, starts.hour)
            if ends.date() <= self._monday + timedelta(days=6):
                last = max(last, min(24, ends.hour + (1 if ends.minute or ends.second else 0)))
        return first, last

    def _column(self, index: int) -> QRectF:
        width = (self.width() - GUTTER - 8) / 7
        return QRectF(GUTTER + index * width, HEADER, width, self.height() - HEADER - 4)

    def _y(self, moment: datetime, index: int) -> float:
        first, last = self.hours()
        minutes = (moment - self._day_start(index)).total_seconds() / 60
        minutes = min(max(minutes, first * 60), last * 60)
        span = self.height() - HEADER - 8
        return HEADER + 4 + (minutes - first * 60) * span / ((last - first) * 60)

    def time_at(self, point: QPointF, *, nearest: bool = False) -> tuple[int, datetime] | None:
        """The day (0 = Monday) and the moment under `point`, snapped down to a quarter hour
        (`nearest`: to the nearest one, as an edge being dragged)."""
        width = (self.width() - GUTTER - 8) / 7
        if point.x() < GUTTER or width <= 0:
            return None
        index = min(6, int((point.x() - GUTTER) // width))
        first, last = self.hours()
        span = self.height() - HEADER - 8
        minutes = first * 60 + (point.y() - HEADER - 4) * ((last - first) * 60) / span
        minutes = min(max(minutes, first * 60), last * 60)
        if nearest:
            minutes += SNAP.total_seconds() / 120
        moment = self._day_start(index) + timedelta(minutes=minutes)
        return index, _snap(moment, self._day_start(index))

    def blocks(self) -> list[WeekBlock]:
        blocks = []
        for index in range(7):
            column = self._column(index)
            for row, lane, lanes in _lanes(self.rows(index)):
                top = self._y(row.booking.starts_at, index)
                bottom = self._y(row.booking.ends_at, index)
                width = (column.width() - 4) / lanes
                rect = QRectF(column.left() + 2 + lane * width, top, width, max(bottom - top, 6))
                blocks.append(WeekBlock(row, rect, index))
        return blocks

    def block_at(self, point: QPointF) -> WeekBlock | None:
        for block in reversed(self.blocks()):
            if block.rect.contains(point):
                return block
        return None

    # -- painting ---------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(900, self.minimumHeight())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        self._paint_grid(painter)
        for block in self.blocks():
            self._paint_block(painter, block)
        self._paint_gesture(painter)
        self._paint_now(painter)
        if self.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight).darker(130), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.end()

    def _paint_grid(self, painter: QPainter) -> None:
        palette = self.palette()
        line = QPen(palette.color(QPalette.ColorRole.Mid), 1)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        text = palette.color(QPalette.ColorRole.Text)
        today = self._clock().astimezone().date()
        first, last = self.hours()
        metrics = self.fontMetrics()
        for hour in range(first, last + 1):
            y = self._y(self._day_start(0) + timedelta(hours=hour), 0)
            painter.setPen(line)
            painter.drawLine(QPointF(GUTTER, y), QPointF(self.width() - 8, y))
            painter.setPen(muted)
            label = f"{hour:02d}:00"
            painter.drawText(
                QPointF(GUTTER - 8 - metrics.horizontalAdvance(label), y + metrics.ascent() / 2),
                label,
            )
        for index, day in enumerate(self.days()):
            column = self._column(index)
            outside = self.outside_work(index)
            if outside is not None:  # the master's own hours: shade the rest
                for start, end in outside:
                    top, bottom = self._y(start, index), self._y(end, index)
                    if bottom > top:
                        painter.fillRect(
                            QRectF(column.left(), top, column.width(), bottom - top), OFF_FILL
                        )
            elif day.weekday() >= 5:  # the weekend, shaded as time most masters do not work
                painter.fillRect(column, QColor(128, 128, 128, 18))
            if day == today:
                painter.fillRect(column, QColor(37, 99, 235, 14))
            painter.setPen(line)
            painter.drawLine(column.topLeft(), column.bottomLeft())
            font = painter.font()
            font.setBold(day == today)
            painter.setFont(font)
            painter.setPen(QColor("#2563eb") if day == today else text)
            painter.drawText(
                QRectF(column.left(), 0, column.width(), HEADER),
                Qt.AlignmentFlag.AlignCenter,
                f"{day:%a %d}",
            )
            font.setBold(False)
            painter.setFont(font)

    def _paint_block(self, painter: QPainter, block: WeekBlock) -> None:
        booking = block.row.booking
        colors = badge_colors(booking.status)
        rect = block.rect.adjusted(1, 1, -1, -1)
        dragging = self._gesture is not None and self._gesture.started
        moving = dragging and self._gesture is not None and self._gesture.booking_id == booking.id
        held = booking.status not in NOT_HELD
        painter.setOpacity(0.35 if moving else (1.0 if held else 0.6))
        painter.setBrush(colors.background)
        if block.row.pending:
            painter.setPen(QPen(PENDING_COLOR, 1.5, Qt.PenStyle.DashLine))
        elif booking.id == self._selected:
            painter.setPen(QPen(QColor("#2563eb"), 2))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, 5, 5)
        painter.fillRect(QRectF(rect.left(), rect.top() + 2, 3, rect.height() - 4), colors.text)
        if rect.height() >= 14:
            font = painter.font()
            font.setStrikeOut(not held)
            font.setBold(booking.id == self._selected)
            painter.setFont(font)
            painter.setPen(colors.text)
            inner = rect.adjusted(7, 1, -3, -1)
            text = self.block_text(block.row)
            flags = (
                Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
            )
            painter.drawText(inner, int(flags), text)
            font.setStrikeOut(False)
            font.setBold(False)
            painter.setFont(font)
        painter.setOpacity(1.0)

    def block_text(self, row: VisibleBooking) -> str:
        booking = row.booking
        start = booking.starts_at.astimezone().strftime("%H:%M")
        return f"{start} {booking.service} · {self._model.other_party_name(booking)}"

    def _paint_gesture(self, painter: QPainter) -> None:
        gesture = self._gesture
        if gesture is None or not gesture.started or gesture.start is None or gesture.end is None:
            return
        index = (gesture.start.astimezone().date() - self._monday).days
        if not 0 <= index < 7:
            return
        column = self._column(index)
        top, bottom = self._y(gesture.start, index), self._y(gesture.end, index)
        rect = QRectF(column.left() + 2, top, column.width() - 4, max(bottom - top, 6))
        painter.setPen(QPen(QColor("#2563eb"), 2, Qt.PenStyle.DashLine))
        painter.setBrush(QColor(37, 99, 235, 40))
        painter.drawRoundedRect(rect, 5, 5)
        painter.setPen(QColor("#1e3a8a") if not self._dark() else QColor("#dbeafe"))
        label = f"{gesture.start.astimezone():%H:%M}–{gesture.end.astimezone():%H:%M}"
        painter.drawText(rect.adjusted(6, 2, -2, -2), int(Qt.AlignmentFlag.AlignTop), label)

    def _dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Base).lightness() < 128

    def _paint_now(self, painter: QPainter) -> None:
        now = self._clock()
        index = (now.astimezone().date() - self._monday).days
        if not 0 <= index < 7:
            return
        first, last = self.hours()
        local = now.astimezone()
        if not first <= local.hour + local.minute / 60 <= last:
            return
        column = self._column(index)
        y = self._y(now, index)
        painter.setPen(QPen(NOW_COLOR, 2))
        painter.drawLine(QPointF(column.left(), y), QPointF(column.right(), y))
        painter.setBrush(NOW_COLOR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QPointF(column.left(), y), 4, 4)

    # -- the mouse and the keys -------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = event.position()
        block = self.block_at(point)
        if block is not None:
            self.booking_clicked.emit(block.row.booking.id)
            near_edge = block.rect.bottom() - point.y() <= EDGE_PX
            kind = _Drag.RESIZE if near_edge else _Drag.MOVE
            self._gesture = _Gesture(kind, point, block.row.booking.id)
        elif self.time_at(point) is not None:
            self._gesture = _Gesture(_Drag.CREATE, point)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        gesture = self._gesture
        if gesture is None:
            block = self.block_at(point)
            near_edge = block is not None and block.rect.bottom() - point.y() <= EDGE_PX
            self.setCursor(
                Qt.CursorShape.SizeVerCursor if near_edge else Qt.CursorShape.ArrowCursor
            )
            return
        if not gesture.started and (point - gesture.press).manhattanLength() < DRAG_PX:
            return
        gesture.started = True
        gesture.start, gesture.end = self._proposal(gesture, point)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        gesture, self._gesture = self._gesture, None
        if gesture is None or event.button() != Qt.MouseButton.LeftButton:
            return
        point = event.position()
        if gesture.kind is _Drag.CREATE:
            if gesture.started:
                start, end = self._proposal(gesture, point)
            else:
                found = self.time_at(point)
                if found is None:
                    return
                start = found[1]
                end = start + timedelta(minutes=NEW_MINUTES)
            minutes = int((end - start).total_seconds() // 60)
            self.create_requested.emit(start, max(minutes, 15))
        elif gesture.started and gesture.booking_id is not None:
            start, end = self._proposal(gesture, point)
            row = self._model.visible_booking(gesture.booking_id)
            if row is not None and (start, end) != (row.booking.starts_at, row.booking.ends_at):
                self.move_requested.emit(gesture.booking_id, start, end)
        self.update()

    def _proposal(self, gesture: _Gesture, point: QPointF) -> tuple[datetime, datetime]:
        """The times the gesture proposes with the mouse at `point`."""
        here = self.time_at(point)
        there = self.time_at(gesture.press)
        if here is None or there is None:
            here = there = (0, self._day_start(0))
        if gesture.kind is _Drag.CREATE:
            low, high = sorted((there[1], here[1]))
            return low, max(high, low + SNAP)
        row = self._model.visible_booking(gesture.booking_id or "")
        if row is None:
            return here[1], here[1] + SNAP
        booking = row.booking
        if gesture.kind is _Drag.RESIZE:
            edge = self.time_at(point, nearest=True) or here
            return booking.starts_at, max(edge[1], booking.starts_at + SNAP)
        shift = here[1] - there[1]
        return booking.starts_at + shift, booking.ends_at + shift

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_PageUp or (key == Qt.Key.Key_Left and event.modifiers()):
            self.previous_week()
        elif key == Qt.Key.Key_PageDown or (key == Qt.Key.Key_Right and event.modifiers()):
            self.next_week()
        elif key == Qt.Key.Key_Home:
            self.this_week()
        elif key == Qt.Key.Key_Escape and self._gesture is not None:
            self._gesture = None
            self.update()
        else:
            super().keyPressEvent(event)


def _snap(moment: datetime, day_start: datetime) -> datetime:
    """Down to the quarter hour, counted from the day's local midnight."""
    quarters = int((moment - day_start) / SNAP)
    return day_start + quarters * SNAP


class WeekPanel(QFrame):
    """The week view under its bar: ‹ previous, Today, next ›, the week's dates, a date picker."""

    def __init__(
        self, model: BookingsTableModel, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("weekPanel")
        self.view = WeekView(model, clock)
        self.previous = QToolButton()
        self.previous.setText("‹")
        self.previous.setAccessibleName(self.tr("Previous week"))
        self.previous.setToolTip(self.tr("Previous week (Page Up)"))
        self.previous.clicked.connect(self.view.previous_week)
        self.next = QToolButton()
        self.next.setText("›")
        self.next.setAccessibleName(self.tr("Next week"))
        self.next.setToolTip(self.tr("Next week (Page Down)"))
        self.next.clicked.connect(self.view.next_week)
        self.today = QPushButton(self.tr("Today"))
        self.today.setObjectName("weekToday")
        self.today.clicked.connect(self.view.this_week)
        self.title = QLabel()
        self.title.setObjectName("weekTitle")
        self.picker = QDateEdit()
        self.picker.setObjectName("weekPicker")
        self.picker.setAccessibleName(self.tr("Go to date"))
        self.picker.setCalendarPopup(True)
        self.picker.setDisplayFormat("d MMM yyyy")
        self.picker.dateChanged.connect(self._picked)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.previous)
        bar.addWidget(self.today)
        bar.addWidget(self.next)
        bar.addSpacing(10)
        bar.addWidget(self.title, 1)
        bar.addWidget(self.picker)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("weekScroller")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroller.setWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.scroller, 1)
        self.view.week_changed.connect(self._show_week)
        self._show_week(self.view.monday())

    def _picked(self, picked: QDate) -> None:
        self.view.show_date(_date_of(picked))

    def _show_week(self, monday: date) -> None:
        sunday = monday + timedelta(days=6)
        self.title.setText(f"{monday:%d %b} – {sunday:%d %b %Y}")
        inside = monday <= _date_of(self.picker.date()) <= sunday
        if not inside:
            self.picker.blockSignals(True)
            self.picker.setDate(QDate(monday.year, monday.month, monday.day))
            self.picker.blockSignals(False)


def _date_of(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
