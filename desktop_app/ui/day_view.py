"""The day view: one local day as a timeline, bookings as blocks coloured by status, free gaps
between active bookings, and a line at the current time.

It reads the same BookingsTableModel as the table and fetches the day's rows by bisect, so it stays
cheap with 100k bookings. It repaints when the model changes a booking that is, or was, on the day
shown (a change elsewhere leaves it alone: it was a whole repaint per event), when the selection or
the day changes, and every half minute for the "now" line and the free time ahead. A change that
alters only some blocks (not the hours, the free gaps or the "now" minute) repaints just those
blocks: a whole repaint is ~2 ms, mostly antialiased rounded rectangles.
Clicking a block emits `booking_clicked`.

With the master's working time (`set_working_time`: the schedule and time off, from the catalog)
the hours outside work are shaded and free gaps are offered only inside working hours (a master
who works 09:00-18:00 is not "Free · 18 h" at night).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAccessible,
    QAccessibleInterface,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QRegion,
    QWindow,
)
from PySide6.QtWidgets import QAccessibleWidget, QSizePolicy, QWidget

from booking_core import MAX_DURATION, Booking, Clock, Status
from booking_core.availability import Span
from desktop_app.sync import VisibleBooking
from desktop_app.ui.bookings_model import BookingsTableModel
from desktop_app.ui.statuses import PENDING_COLOR, badge_colors, status_label
from desktop_app.ui.work_hours import CatalogLike, day_bounds, inside, working_spans

GUTTER = 52  # px for the hour labels
HEADER = 34  # px for the day's title
FIRST_HOUR, LAST_HOUR = 8, 20  # always shown; widened to fit the day's bookings
MIN_GAP = timedelta(minutes=30)  # shorter free gaps are clutter, not an offer
# A dataChanged over more rows than this repaints without looking at each (a rename of everyone).
CHECKED_ROWS = 64
HOUR_PX = 44  # the least height of an hour: a 30-minute booking keeps a line of text
TICK_MS = 30_000  # the "now" line and the free gaps ahead move with the clock
# Bookings that never took place hold no slot: drawn faded, and free time may lie under them.
NOT_HELD = frozenset({Status.DECLINED, Status.CANCELLED, Status.EXPIRED})
NOW_COLOR = QColor("#ef4444")
# Free gaps: a translucent green reads on light and dark backgrounds alike.
GAP_FILL = QColor(34, 197, 94, 26)
GAP_LINE = QColor(34, 197, 94, 120)
GAP_TEXT_LIGHT = QColor("#15803d")
GAP_TEXT_DARK = QColor("#4ade80")
# Hours outside work: a grey veil that reads on light and dark backgrounds alike.
OFF_FILL = QColor(128, 128, 128, 40)


@dataclass(frozen=True, slots=True)
class Block:
    row: VisibleBooking
    rect: QRectF


@dataclass(frozen=True, slots=True)
class _Picture:
    """What one paint showed: `frame` (size, day, hours, "now" minute, gaps, focus) and, per
    booking, its block's rectangle and everything its drawing depends on."""

    frame: tuple[object, ...]
    blocks: dict[str, tuple[QRectF, tuple[object, ...]]]


class DayView(QWidget):
    """`set_selected(id)` highlights a booking and shows its day; clicks emit `booking_clicked`."""

    booking_clicked = Signal(str)
    day_turned = Signal()  # the clock passed midnight

    def __init__(
        self, model: BookingsTableModel, clock: Clock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dayView")
        self.setAccessibleName(self.tr("Day view"))
        self.setMinimumSize(QSize(260, 360))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keys: ←/→ day, ↑/↓ booking, Home today
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._model = model
        self._clock = clock
        self._day: date = clock().astimezone().date()
        self._today = self._day  # as of the last tick: a view of today follows past midnight
        self._selected: str | None = None
        self._show_gaps = True
        self._shown_ids: frozenset[str] = frozenset()  # the day's bookings, as of _describe
        self._painted: _Picture | None = None  # as of the last paint
        self._bounds: tuple[tuple[date, tzinfo | None], datetime, datetime] | None = None
        self._work: CatalogLike | None = None  # the master's schedule and time off, if known
        self._work_version = 0
        self._work_spans: tuple[object, list[Span]] | None = None  # (key, the day's spans)
        for signal in (
            model.rowsInserted,
            model.rowsRemoved,
            model.rowsMoved,
            model.modelReset,
            model.layoutChanged,
        ):
            signal.connect(self._model_changed)
        model.dataChanged.connect(self._data_changed)
        self._tick = QTimer(self)
        self._tick.setSingleShot(True)
        self._tick.timeout.connect(self._clock_moved)
        self._schedule_tick()
        self._describe()

    def clock_timer(self) -> QTimer:
        """Repaints the view as time passes (the "now" line, the free time still ahead)."""
        return self._tick

    def day(self) -> date:
        return self._day

    def set_day(self, day: date) -> None:
        if day != self._day:
            self._day = day
            self.update()
        self._describe()

    def _describe(self) -> None:
        rows = self.rows()
        self._shown_ids = frozenset(row.booking.id for row in rows)
        count = len(rows)
        words = self.tr("1 booking") if count == 1 else self.tr("%n bookings", "", count)
        self.setAccessibleDescription(f"{self._day:%A %d %B}: {words}")
        first, last = self.hours(rows)
        self.setMinimumHeight(HEADER + 16 + (last - first) * HOUR_PX)

    def _model_changed(self) -> None:
        self._describe()
        self._update_changed()

    def _update_changed(self, changed: set[str] | None = None) -> None:
        """Repaint what differs from the last paint: the changed blocks only, unless more than
        blocks changed (then all of it). `changed`: the only bookings that may have changed
        (None: any) — only their blocks are looked at again."""
        painted = self._painted
        if painted is None:
            self.update()
            return
        rows = self.rows()
        first, last = self.hours(rows)
        if self._frame(rows, first, last) != painted.frame:
            self.update()
            return
        if changed is None:
            now = {b.row.booking.id: self._shown(b) for b in self._blocks(rows, first, last)}
            changed = painted.blocks.keys() | now.keys()
        else:
            mine = [row for row in rows if row.booking.id in changed]
            now = {b.row.booking.id: self._shown(b) for b in self._blocks(mine, first, last)}
        region = QRegion()
        for booking_id in changed:
            before, after = painted.blocks.get(booking_id), now.get(booking_id)
            if before != after:
                for shown in (before, after):
                    if shown is not None:
                        region += _outline(shown[0])
        if not region.isEmpty():
            self.update(region)

    def _picture(
        self, blocks: list[Block], first: int, last: int, rows: list[VisibleBooking]
    ) -> _Picture:
        frame = self._frame(rows, first, last)
        return _Picture(frame, {block.row.booking.id: self._shown(block) for block in blocks})

    def _frame(self, rows: list[VisibleBooking], first: int, last: int) -> tuple[object, ...]:
        return (
            self.width(),
            self.height(),
            self._day,
            first,
            last,
            self._now_minute(),
            tuple(self._free_gaps(rows, first, last)),
            self.hasFocus(),
            self._work_version,
        )

    def _shown(self, block: Block) -> tuple[QRectF, tuple[object, ...]]:
        """A block's rectangle and everything its drawing depends on."""
        booking = block.row.booking
        return block.rect, (
            booking.status,
            block.row.pending,
            booking.id == self._selected,
            booking.starts_at,
            booking.service,
            self._model.other_party_name(booking),
        )

    def _now_minute(self) -> int | None:
        """Minutes since this day's midnight, whole (the "now" line moves a minute at a time);
        None unless the day shown is today."""
        now = self._clock()
        if now.astimezone().date() != self._day:
            return None
        return int(self._local(now))

    def _data_changed(
        self,
        top: QModelIndex | QPersistentModelIndex,
        bottom: QModelIndex | QPersistentModelIndex,
        _roles: list[int] | None = None,
    ) -> None:
        """Changed rows (in place): repaint if one of them is on the day shown or was on it."""
        first, last = top.row(), bottom.row()
        if last - first >= CHECKED_ROWS:
            self._model_changed()
            return
        ids = {self._model.booking_id_at(row) for row in range(first, last + 1)}
        if any(self._concerns_day(booking_id) for booking_id in ids):
            self._describe()
            self._update_changed(ids)

    def _concerns_day(self, booking_id: str) -> bool:
        if booking_id in self._shown_ids:
            return True
        row = self._model.visible_booking(booking_id)
        return row is not None and self._touches_day(row.booking)

    def _touches_day(self, booking: Booking) -> bool:
        """Whether `rows()` would list `booking` (the same bounds, without the bisect)."""
        key = (self._day, self._tz())
        if self._bounds is None or self._bounds[0] != key:
            start = datetime.combine(self._day, time(), tzinfo=key[1])
            self._bounds = (key, start, start + timedelta(days=1))
        _, start, end = self._bounds
        return start - MAX_DURATION <= booking.starts_at < end and booking.ends_at > start

    def _schedule_tick(self) -> None:
        """The next tick at the next whole minute of the clock (the "now" line moves by minutes,
        and the day turns at midnight, not up to half a minute later)."""
        now = self._clock()
        to_next = 60_000 - (now.second * 1000 + now.microsecond // 1000)
        self._tick.start(max(1000, min(TICK_MS * 2, to_next + 50)))

    def _clock_moved(self) -> None:
        today = self._clock().astimezone().date()
        if today != self._today:
            if self._day == self._today:
                self.set_day(today)  # showing today: still showing today after midnight
            self._today = today
            self.day_turned.emit()
        if self.isVisible():
            self.update()
        self._schedule_tick()

    def set_working_time(self, work: CatalogLike | None) -> None:
        """The master's schedule and time off (None: unknown, nothing shaded)."""
        self._work = work
        self._work_version += 1
        self.update()

    def working_spans(self) -> list[Span] | None:
        """The working time of the day shown (None: not known)."""
        work = self._work
        if work is None:
            return None
        key = (self._day, self._tz(), self._work_version)
        if self._work_spans is None or self._work_spans[0] != key:
            start, end = day_bounds(self._day, self._tz())
            self._work_spans = (key, working_spans(work.schedule, work.time_off, start, end))
        return self._work_spans[1]

    def set_show_gaps(self, show: bool) -> None:
        """Free gaps are the master's to offer; a customer's view has none."""
        if show != self._show_gaps:
            self._show_gaps = show
            self.update()

    def selected_id(self) -> str | None:
        return self._selected

    def set_selected(self, booking_id: str | None) -> None:
        """Called after every row change too: repaints only if the selection moved (a change of
        the selected booking itself arrives as a model signal)."""
        changed = booking_id != self._selected
        self._selected = booking_id
        row = self._model.visible_booking(booking_id) if booking_id else None
        if row is not None:
            self.set_day(row.booking.starts_at.astimezone().date())
        if changed:
            self.update()

    # -- geometry ---------------------------------------------------------------------------------

    def rows(self) -> list[VisibleBooking]:
        """The bookings that touch this local day, in start order."""
        start = datetime.combine(self._day, time(), tzinfo=self._tz())
        end = start + timedelta(days=1)
        candidates = self._model.visible_between(start - MAX_DURATION, end)
        return [r for r in candidates if r.booking.ends_at > start]

    def hours(self, rows: list[VisibleBooking]) -> tuple[int, int]:
        first, last = FIRST_HOUR, LAST_HOUR
        for row in rows:
            starts, ends = self._local(row.booking.starts_at), self._local(row.booking.ends_at)
            first = min(first, int(starts // 60) if starts >= 0 else 0)
            last = max(last, min(24, -(-int(ends) // 60)))
        return first, last

    def blocks(self) -> list[Block]:
        rows = self.rows()
        return self._blocks(rows, *self.hours(rows))

    def _blocks(self, rows: list[VisibleBooking], first: int, last: int) -> list[Block]:
        """Each booking's rectangle; bookings whose times overlap stand side by side."""
        area = self._area()
        per_minute = area.height() / ((last - first) * 60)
        blocks = []
        for row, lane, lanes in _lanes(rows):
            top = (
                area.top()
                + (max(0.0, self._local(row.booking.starts_at)) - first * 60) * per_minute
            )
            bottom = (
                area.top()
                + (min(1440.0, self._local(row.booking.ends_at)) - first * 60) * per_minute
            )
            width = area.width() / lanes
            left = area.left() + lane * width
            blocks.append(Block(row, QRectF(left, top, width, max(bottom - top, 6.0))))
        return blocks

    def block_at(self, point: QPointF) -> str | None:
        for block in reversed(self.blocks()):
            if block.rect.contains(point):
                return block.row.booking.id
        return None

    def free_gaps(self) -> list[tuple[datetime, datetime]]:
        """Free time still ahead between the day's active bookings, within the shown hours."""
        rows = self.rows()
        return self._free_gaps(rows, *self.hours(rows))

    def _free_gaps(
        self, rows: list[VisibleBooking], first: int, last: int
    ) -> list[tuple[datetime, datetime]]:
        if not self._show_gaps:
            return []
        day_start = datetime.combine(self._day, time(), tzinfo=self._tz())
        cursor, end = day_start + timedelta(hours=first), day_start + timedelta(hours=last)
        cursor = max(cursor, _next_quarter(self._clock()))
        gaps = []
        for row in (r for r in rows if r.booking.status not in NOT_HELD):
            if row.booking.starts_at - cursor >= MIN_GAP:
                gaps.append((cursor, row.booking.starts_at))
            cursor = max(cursor, row.booking.ends_at)
        if end - cursor >= MIN_GAP:
            gaps.append((cursor, end))
        work = self.working_spans()
        if work is not None:  # free time is only time the master works
            gaps = [(s, e) for s, e in inside(work, gaps) if e - s >= MIN_GAP]
        return gaps

    def outside_work(self) -> list[Span]:
        """The shaded time of the day shown: everything but working time (none when unknown)."""
        work = self.working_spans()
        if work is None:
            return []
        start, end = day_bounds(self._day, self._tz())
        out, cursor = [], start
        for span_start, span_end in work:
            if span_start > cursor:
                out.append((cursor, span_start))
            cursor = span_end
        if cursor < end:
            out.append((cursor, end))
        return out

    def _dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Base).lightness() < 128

    def _area(self) -> QRectF:
        return QRectF(GUTTER, HEADER + 8, self.width() - GUTTER - 10, self.height() - HEADER - 16)

    def _tz(self) -> tzinfo | None:
        return self._clock().astimezone().tzinfo

    def _local(self, moment: datetime) -> float:
        """Minutes from this day's local midnight."""
        local = moment.astimezone()
        midnight = datetime.combine(self._day, time(), tzinfo=local.tzinfo)
        return (local - midnight).total_seconds() / 60

    # -- painting ---------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        # The day's rows, hours and fonts once per paint (each part used to look them up again);
        # what lies outside the region to repaint is not drawn (Qt would clip it away).
        dirty = QRectF(event.rect())
        rows = self.rows()
        first, last = self.hours(rows)
        fonts = _Fonts(self.font())
        blocks = self._blocks(rows, first, last)
        if dirty.top() < HEADER:
            self._paint_title(painter, fonts)
        self._paint_off_hours(painter, first, last, dirty)
        self._paint_grid(painter, first, last, fonts, dirty)
        gaps = self._free_gaps(rows, first, last)
        self._paint_gaps(painter, first, last, gaps, fonts, dirty, _ended(blocks))
        for block in blocks:
            if _outline(block.rect).intersects(dirty.toAlignedRect()):
                self._paint_block(painter, block, fonts)
        self._paint_now(painter, first, last)
        self._painted = self._picture(blocks, first, last, rows)
        if self.hasFocus():
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight).darker(130), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 8, 8)
        painter.end()

    def _paint_title(self, painter: QPainter, fonts: _Fonts) -> None:
        painter.setFont(fonts.title())
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        title = self._day.strftime("%A %d %B")
        if self._day == self._clock().astimezone().date():
            title = self.tr("Today · %s") % title
        painter.drawText(
            QRectF(12, 0, self.width() - 24, HEADER),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            title,
        )

    def _paint_off_hours(self, painter: QPainter, first: int, last: int, dirty: QRectF) -> None:
        area = self._area()
        for start, end in self.outside_work():
            top = self._y(max(self._local(start), first * 60), first, last)
            bottom = self._y(min(self._local(end), last * 60), first, last)
            rect = QRectF(area.left(), top, area.width(), bottom - top)
            if rect.height() > 0 and rect.intersects(dirty):
                painter.fillRect(rect, OFF_FILL)

    def _y(self, minutes: float, first: int, last: int) -> float:
        area = self._area()
        return area.top() + (minutes - first * 60) * area.height() / ((last - first) * 60)

    def _paint_grid(
        self, painter: QPainter, first: int, last: int, fonts: _Fonts, dirty: QRectF
    ) -> None:
        small, metrics = fonts.small()
        painter.setFont(small)
        palette = self.palette()
        line = QPen(palette.color(QPalette.ColorRole.Mid), 1)
        label_color = palette.color(QPalette.ColorRole.PlaceholderText)
        reach = metrics.height() + 2  # a label is drawn around its line
        for hour in range(first, last + 1):
            y = self._y(hour * 60, first, last)
            if y + reach < dirty.top() or y - reach > dirty.bottom():
                continue
            painter.setPen(line)
            painter.drawLine(QPointF(GUTTER, y), QPointF(self.width() - 10, y))
            painter.setPen(label_color)
            label = f"{hour:02d}:00"
            painter.drawText(
                QPointF(
                    GUTTER - 8 - metrics.horizontalAdvance(label), y + metrics.ascent() / 2 - 1
                ),
                label,
            )

    def _paint_gaps(
        self,
        painter: QPainter,
        first: int,
        last: int,
        gaps: list[tuple[datetime, datetime]],
        fonts: _Fonts,
        dirty: QRectF,
        ended: list[QRectF],
    ) -> None:
        """Free gaps, labelled where no ended booking's block lies over the label."""
        painter.setFont(fonts.small()[0])
        for start, end in gaps:
            rect = self._gap_rect(start, end, first, last)
            if not rect.adjusted(-2, -2, 2, 2).intersects(dirty):
                continue
            painter.setPen(QPen(GAP_LINE, 1, Qt.PenStyle.DashLine))
            painter.setBrush(GAP_FILL)
            painter.drawRoundedRect(rect, 6, 6)
            if _labelled(rect, ended):
                minutes = int((end - start).total_seconds() // 60)
                painter.setPen(GAP_TEXT_DARK if self._dark() else GAP_TEXT_LIGHT)
                painter.drawText(
                    _label_line(rect).adjusted(8, 0, -4, 0),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    self.tr("Free · %s") % _duration(minutes),
                )

    def _gap_rect(self, start: datetime, end: datetime, first: int, last: int) -> QRectF:
        area = self._area()
        top = self._y(self._local(start), first, last)
        bottom = self._y(self._local(end), first, last)
        return QRectF(area.left() + 2, top + 2, area.width() * 0.6 - 6, bottom - top - 4)

    def labelled_gaps(self) -> list[tuple[datetime, datetime]]:
        """The free gaps that get their "Free · …" label (none under an ended booking's text)."""
        rows = self.rows()
        first, last = self.hours(rows)
        ended = _ended(self._blocks(rows, first, last))
        return [
            (start, end)
            for start, end in self._free_gaps(rows, first, last)
            if _labelled(self._gap_rect(start, end, first, last), ended)
        ]

    def _paint_block(self, painter: QPainter, block: Block, fonts: _Fonts) -> None:
        booking = block.row.booking
        colors = badge_colors(booking.status)
        rect = block.rect.adjusted(1, 1, -1, -1)
        selected = booking.id == self._selected
        held = booking.status not in NOT_HELD
        painter.setOpacity(1.0 if held or selected else 0.6)
        painter.setBrush(colors.background)
        if block.row.pending:
            painter.setPen(QPen(PENDING_COLOR, 1.5, Qt.PenStyle.DashLine))
        elif selected:
            painter.setPen(QPen(QColor("#2563eb"), 2))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, 6, 6)
        painter.fillRect(QRectF(rect.left(), rect.top() + 3, 3, rect.height() - 6), colors.text)
        if rect.height() < 14:
            painter.setOpacity(1.0)
            return
        font, metrics = fonts.block(block.row.pending, selected, struck=not held)
        painter.setFont(font)
        painter.setPen(colors.text)
        text = self.block_text(block.row)
        inner = rect.adjusted(9, 2, -6, -2)
        painter.drawText(
            inner,
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(inner.width())),
        )
        painter.setOpacity(1.0)

    def block_text(self, row: VisibleBooking) -> str:
        """What a booking's block says: start, service and the other party, whatever its status."""
        booking = row.booking
        start = booking.starts_at.astimezone().strftime("%H:%M")
        return f"{start}  {booking.service} · {self._model.other_party_name(booking)}"

    def now_y(self) -> float | None:
        """Where the "now" line is drawn (None unless the day shown is today)."""
        minutes = self._now_minute()
        if minutes is None:
            return None
        rows = self.rows()
        first, last = self.hours(rows)
        return self._y(min(max(minutes, first * 60), last * 60), first, last)

    def _paint_now(self, painter: QPainter, first: int, last: int) -> None:
        minutes = self._now_minute()
        if minutes is None or not first * 60 <= minutes <= last * 60:
            return
        y = self._y(minutes, first, last)
        painter.setPen(QPen(NOW_COLOR, 1.5))
        painter.drawLine(QPointF(GUTTER - 4, y), QPointF(self.width() - 10, y))
        painter.setBrush(NOW_COLOR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QPointF(GUTTER - 4, y), 4, 4)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.set_day(self._day + timedelta(days=-1 if key == Qt.Key.Key_Left else 1))
        elif key == Qt.Key.Key_Home:
            self.set_day(self._clock().astimezone().date())
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._step(-1 if key == Qt.Key.Key_Up else 1)
        else:
            super().keyPressEvent(event)

    def _step(self, direction: int) -> None:
        """Select the previous / next booking of the day shown."""
        ids = [row.booking.id for row in self.rows()]
        if not ids:
            return
        if self._selected in ids:
            position = ids.index(self._selected) + direction
        else:
            position = 0 if direction > 0 else len(ids) - 1
        if 0 <= position < len(ids):
            self.booking_clicked.emit(ids[position])

    def mousePressEvent(self, event: QMouseEvent) -> None:
        booking_id = self.block_at(event.position())
        if booking_id is not None:
            self.booking_clicked.emit(booking_id)
        super().mousePressEvent(event)


class BlockItem(QAccessibleInterface):
    """One booking of the day view as assistive technology sees it: a list item named by its
    time, service, other party and status."""

    def __init__(self, view: DayView, parent: QAccessibleInterface, booking_id: str) -> None:
        super().__init__()
        self._view = view
        self._parent = parent
        self.booking_id = booking_id

    def _block(self) -> Block | None:
        return next((b for b in self._view.blocks() if b.row.booking.id == self.booking_id), None)

    def isValid(self) -> bool:
        return self._block() is not None

    def object(self) -> None:  # type: ignore[override]  # Qt's null: no QObject behind it
        return None

    def window(self) -> QWindow | None:  # type: ignore[override]
        return self._parent.window()

    def relations(
        self, _match: QAccessible.RelationFlag | None = None
    ) -> list[tuple[QAccessibleInterface, QAccessible.RelationFlag]]:
        return []

    def focusChild(self) -> None:  # type: ignore[override]
        return None

    def childAt(self, _x: int, _y: int) -> None:  # type: ignore[override]
        return None

    def parent(self) -> QAccessibleInterface:
        return self._parent

    def child(self, _index: int) -> None:  # type: ignore[override]
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, _child: QAccessibleInterface) -> int:
        return -1

    def text(self, kind: QAccessible.Text) -> str:
        block = self._block()
        if block is None or kind not in (QAccessible.Text.Name, QAccessible.Text.Description):
            return ""
        booking = block.row.booking
        end = booking.ends_at.astimezone().strftime("%H:%M")
        start = booking.starts_at.astimezone().strftime("%H:%M")
        name = self._view._model.other_party_name(booking)
        return f"{start}–{end} {booking.service} · {name}, {status_label(booking.status)}"

    def setText(self, _kind: QAccessible.Text, _text: str) -> None:
        return None

    def rect(self) -> QRect:
        block = self._block()
        if block is None:
            return QRect()
        box = block.rect.toRect()
        return QRect(self._view.mapToGlobal(box.topLeft()), box.size())

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        state.selectable = True
        state.selected = self.booking_id == self._view.selected_id()
        return state


class DayViewAccessible(QAccessibleWidget):
    """The day view as a list whose items are its bookings (Qt sees only a widget otherwise)."""

    def __init__(self, view: DayView) -> None:
        super().__init__(view, QAccessible.Role.List)
        self._view = view
        self._items: dict[str, BlockItem] = {}  # kept: Qt holds no reference of its own

    def _children(self) -> list[BlockItem]:
        ids = [block.row.booking.id for block in self._view.blocks()]
        for booking_id in ids:
            if booking_id not in self._items:
                self._items[booking_id] = BlockItem(self._view, self, booking_id)
        return [self._items[booking_id] for booking_id in ids]

    def childCount(self) -> int:
        return len(self._children())

    def child(self, index: int) -> BlockItem | None:  # type: ignore[override]
        children = self._children()
        return children[index] if 0 <= index < len(children) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        children = self._children()
        return next((n for n, item in enumerate(children) if item is child), -1)


def _accessible(_key: str, target: QObject) -> QAccessibleInterface | None:
    if isinstance(target, DayView):
        return DayViewAccessible(target)
    return None


QAccessible.installFactory(_accessible)


class _Fonts:
    """The view's fonts for one paint, each made (with its metrics) when first needed."""

    def __init__(self, base: QFont) -> None:
        self._base = base
        self._made: dict[object, tuple[QFont, QFontMetrics]] = {}

    def _make(
        self, key: object, scale: float, bold: bool, italic: bool
    ) -> tuple[QFont, QFontMetrics]:
        made = self._made.get(key)
        if made is None:
            font = QFont(self._base)
            font.setPointSizeF(font.pointSizeF() * scale)
            font.setBold(bold)
            font.setItalic(italic)
            made = self._made[key] = (font, QFontMetrics(font))
        return made

    def title(self) -> QFont:
        return self._make("title", 1.1, True, self._base.italic())[0]

    def small(self) -> tuple[QFont, QFontMetrics]:
        return self._make("small", 0.85, self._base.bold(), self._base.italic())

    def block(
        self, pending: bool, selected: bool, *, struck: bool = False
    ) -> tuple[QFont, QFontMetrics]:
        key = ("block", pending, selected, struck)
        if key not in self._made:
            font, _ = self._make(("base", pending, selected), 0.9, selected, pending)
            font = QFont(font)
            font.setStrikeOut(struck)
            self._made[key] = (font, QFontMetrics(font))
        return self._made[key]


def _ended(blocks: list[Block]) -> list[QRectF]:
    return [b.rect for b in blocks if b.row.booking.status in NOT_HELD]


def _labelled(gap: QRectF, ended: list[QRectF]) -> bool:
    """Whether a gap's label is drawn: tall enough, and no ended booking's block over it."""
    line = _label_line(gap)
    return gap.height() >= 18 and not any(line.intersects(other) for other in ended)


def _label_line(gap: QRectF) -> QRectF:
    """Where a gap's "Free · …" label goes: its first line (a long gap is scrolled to its top,
    not its middle)."""
    return QRectF(gap.left(), gap.top(), gap.width(), min(gap.height(), 20))


def _lanes(rows: list[VisibleBooking]) -> list[tuple[VisibleBooking, int, int]]:
    """(row, lane, lanes of its group) for rows in start order: a group is a run of bookings
    that overlap one another in a chain; each takes the first lane free at its start."""
    placed: list[tuple[VisibleBooking, int, int]] = []
    group: list[tuple[VisibleBooking, int]] = []
    lane_ends: list[datetime] = []
    group_end: datetime | None = None

    def close() -> None:
        placed.extend((row, lane, len(lane_ends)) for row, lane in group)

    for row in rows:
        booking = row.booking
        if group_end is not None and booking.starts_at >= group_end:
            close()
            group, lane_ends = [], []
        for lane, end in enumerate(lane_ends):
            if end <= booking.starts_at:
                lane_ends[lane] = booking.ends_at
                break
        else:
            lane = len(lane_ends)
            lane_ends.append(booking.ends_at)
        group.append((row, lane))
        group_end = booking.ends_at if group_end is None else max(group_end, booking.ends_at)
    close()
    return placed


def _outline(rect: QRectF) -> QRect:
    """The pixels a block's drawing may touch (its pen reaches past its rectangle)."""
    return rect.adjusted(-3, -3, 3, 3).toAlignedRect()


def _next_quarter(moment: datetime) -> datetime:
    """The first quarter hour at or after `moment`: a gap starting now is offered from there."""
    extra = (-moment.minute) % 15
    rounded = moment.replace(second=0, microsecond=0) + timedelta(minutes=extra)
    return rounded if rounded >= moment else rounded + timedelta(minutes=15)


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
