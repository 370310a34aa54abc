"""The weekly working hours editor: the master's IANA time zone, per weekday one or more intervals
(the gaps are breaks), and the booking rules (minimum notice, how far ahead, slot step).

It shows a `WeeklySchedule` and, on Save, emits `schedule_requested(ScheduleUpdate)`. What is typed
is checked first, with booking_core's rules; a problem is shown in the editor with the field named
and focused, nothing is sent and nothing typed is lost. A schedule that arrives while the master
has unsaved edits does not overwrite them: the editor says so and offers to discard them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from zoneinfo import available_timezones

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from booking_core.availability import (
    WEEKDAYS,
    Interval,
    ScheduleUpdate,
    Weekday,
    WeeklySchedule,
    minutes_of,
    zone_of,
)
from desktop_app.ui.booking_form import TimeField, parse_time

DEFAULT_HOURS: Interval = ("09:00", "17:00")
DAY_END = 24 * 60


def local_zone() -> str:
    """This computer's IANA time zone ("UTC" when it has none that zoneinfo knows)."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode()
    try:
        zone_of(name)
    except ValueError:
        return "UTC"
    return name


def day_name(day: Weekday) -> str:
    names = {
        "mon": QCoreApplication.translate("Weekday", "Monday"),
        "tue": QCoreApplication.translate("Weekday", "Tuesday"),
        "wed": QCoreApplication.translate("Weekday", "Wednesday"),
        "thu": QCoreApplication.translate("Weekday", "Thursday"),
        "fri": QCoreApplication.translate("Weekday", "Friday"),
        "sat": QCoreApplication.translate("Weekday", "Saturday"),
        "sun": QCoreApplication.translate("Weekday", "Sunday"),
    }
    return names[day]


class FieldError(ValueError):
    """Typed input that cannot be sent: the message names the field, `field` is focused."""

    def __init__(self, message: str, field: QWidget) -> None:
        super().__init__(message)
        self.field = field


def show_problem(label: QLabel, problem: FieldError | None) -> None:
    """Show a problem in `label` and mark its field (a red frame, focus); None clears it."""
    if problem is None:
        label.hide()
        return
    label.setText(str(problem))
    label.show()
    mark_invalid(problem.field, True)
    problem.field.setFocus(Qt.FocusReason.OtherFocusReason)


def mark_invalid(field: QWidget, invalid: bool) -> None:
    if bool(field.property("invalid")) == invalid:
        return
    field.setProperty("invalid", invalid)
    field.style().unpolish(field)
    field.style().polish(field)


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_clock(text: str) -> str | None:
    """A wall-clock time as the protocol spells it ("HH:MM", "24:00" for the end of the day) from
    what was typed (14:30, 1430, 14.30, 9, 24); None when it is not one."""
    typed = text.strip().replace(".", ":").replace(" ", "")
    if typed in ("24", "24:00", "2400", "24:0"):
        return "24:00"
    value = parse_time(typed)
    return None if value is None else value.toString("HH:mm")


class ClockField(TimeField):
    """A time of day typed the way people type it; 24:00 (the end of the day) is allowed."""

    def clock(self) -> str | None:
        return parse_clock(self.text())

    def set_clock(self, clock: str) -> None:
        self.setText(clock)

    def _tidy(self) -> None:
        typed = self.clock()
        if typed is not None and typed != self.text():
            self.setText(typed)


class IntervalRow(QWidget):
    """One working interval: from, to, and a button that removes it."""

    remove_requested = Signal(object)  # this row
    edited = Signal()

    def __init__(self, day: Weekday, interval: Interval, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intervalRow")
        name = day_name(day)
        self.start = ClockField()
        self.start.setAccessibleName(self.tr("%s from") % name)
        self.end = ClockField()
        self.end.setAccessibleName(self.tr("%s until") % name)
        for field in (self.start, self.end):
            field.setPlaceholderText(self.tr("HH:MM"))
            field.setFixedWidth(64)
            field.setAlignment(Qt.AlignmentFlag.AlignCenter)
            field.textEdited.connect(lambda _text, f=field: self._edited(f))
        self.start.set_clock(interval[0])
        self.end.set_clock(interval[1])
        self.remove = QToolButton()
        self.remove.setObjectName("removeInterval")
        self.remove.setText("✕")
        self.remove.setAutoRaise(True)
        self.remove.setToolTip(self.tr("Remove these hours"))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self._refresh_remove_name(name)
        self.start.textChanged.connect(lambda _text: self._refresh_remove_name(name))
        self.end.textChanged.connect(lambda _text: self._refresh_remove_name(name))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.start)
        layout.addWidget(QLabel("–"))
        layout.addWidget(self.end)
        layout.addWidget(self.remove)

    def _refresh_remove_name(self, day: str) -> None:
        self.remove.setAccessibleName(
            self.tr("Remove %s %s–%s") % (day, self.start.text(), self.end.text())
        )

    def _edited(self, field: QLineEdit) -> None:
        mark_invalid(field, False)
        self.edited.emit()

    def typed(self) -> tuple[str, str]:
        return self.start.text(), self.end.text()

    def minutes(self) -> tuple[int, int] | None:
        """(start, end) in minutes after midnight, None when either is not a time."""
        start, end = self.start.clock(), self.end.clock()
        if start is None or end is None:
            return None
        return minutes_of(start), minutes_of(end)


class DayRow(QWidget):
    """A weekday: whether it is worked, its intervals with the breaks between them, and buttons
    to add a break (splits the longest interval) or more hours (after the last interval)."""

    edited = Signal()  # the user changed something
    rebuilt = Signal()  # intervals were added or removed: the tab order needs renewing
    problem = Signal(object)  # FieldError | None: an add that could not be done, or none

    def __init__(self, day: Weekday, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"day_{day}")
        self.day = day
        name = day_name(day)
        self.works = QCheckBox(name)
        self.works.setObjectName("worksCheck")
        self.works.setAccessibleName(self.tr("%s is a working day") % name)
        self.works.setMinimumWidth(120)
        self.works.clicked.connect(self._works_clicked)
        self.off_label = QLabel(self.tr("Day off"))
        self.off_label.setObjectName("dayOffText")
        self.rows: list[IntervalRow] = []
        self.breaks: list[QToolButton] = []
        self._holder = QHBoxLayout()
        self._holder.setSpacing(6)
        self._holder.addWidget(self.off_label)
        self.add_break = QPushButton(self.tr("Add break"))
        self.add_break.setAccessibleName(self.tr("Add a break on %s") % name)
        self.add_break.setAutoDefault(False)
        self.add_break.clicked.connect(self.split_for_break)
        self.add_hours = QPushButton(self.tr("Add hours"))
        self.add_hours.setAccessibleName(self.tr("Add working hours on %s") % name)
        self.add_hours.setAutoDefault(False)
        self.add_hours.clicked.connect(self.append_hours)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(8)
        layout.addWidget(self.works)
        layout.addLayout(self._holder)
        layout.addStretch(1)
        layout.addWidget(self.add_break)
        layout.addWidget(self.add_hours)
        self._kept: list[tuple[str, str]] = []  # the hours of a day unticked, to come back

    # -- showing ---------------------------------------------------------------------------------

    def set_intervals(self, intervals: Sequence[Interval]) -> None:
        self._kept = []
        wanted = (bool(intervals), tuple((start, end) for start, end in intervals))
        if self.typed() != wanted:  # unchanged: the fields (and the focus) stay
            self._build(list(wanted[1]))
        self.works.setChecked(bool(intervals))
        self._refresh_enabled()

    def typed(self) -> tuple[bool, tuple[tuple[str, str], ...]]:
        """What the row shows, as typed (compared to tell unsaved edits)."""
        if not self.works.isChecked():
            return False, ()
        return True, tuple(row.typed() for row in self.rows)

    def _build(self, intervals: Sequence[tuple[str, str]]) -> None:
        for widget in [*self.rows, *self.breaks]:
            self._holder.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self.rows, self.breaks = [], []
        for index, interval in enumerate(intervals):
            if index:
                self._holder.addWidget(self._break_button(index))
            row = IntervalRow(self.day, interval)
            row.remove_requested.connect(self._remove_row)
            row.edited.connect(self._row_edited)
            self.rows.append(row)
            self._holder.addWidget(row)
        self._refresh_breaks()
        self.rebuilt.emit()

    def _break_button(self, index: int) -> QToolButton:
        button = QToolButton()
        button.setObjectName("breakButton")
        button.setAutoRaise(True)
        button.setToolTip(self.tr("A break. Click to remove it (the hours around it join)."))
        button.clicked.connect(lambda: self._join(index))
        self.breaks.append(button)
        return button

    def _refresh_breaks(self) -> None:
        name = day_name(self.day)
        for index, button in enumerate(self.breaks, start=1):
            after = self.rows[index - 1].end.text()
            until = self.rows[index].start.text()
            button.setText(self.tr("break ✕"))
            button.setAccessibleName(self.tr("Remove the break %s–%s on %s") % (after, until, name))

    def _refresh_enabled(self) -> None:
        working = self.works.isChecked()
        self.add_break.setEnabled(working and bool(self.rows))
        for widget in [*self.rows, *self.breaks]:
            widget.setVisible(working)
        self.off_label.setVisible(not working or not self.rows)

    # -- editing ---------------------------------------------------------------------------------

    def _row_edited(self) -> None:
        self._refresh_breaks()
        self.edited.emit()

    def _typed_rows(self) -> list[tuple[str, str]]:
        return [row.typed() for row in self.rows]

    def _works_clicked(self, checked: bool) -> None:
        if checked:
            kept = self._kept or ([] if self.rows else [DEFAULT_HOURS])
            if kept:
                self._build(kept)
            self._kept = []
        else:
            self._kept = self._typed_rows()
        self._refresh_enabled()
        self.problem.emit(None)
        self.edited.emit()

    def _remove_row(self, row: IntervalRow) -> None:
        kept = [r.typed() for r in self.rows if r is not row]
        self._build(kept)
        if not kept:
            self.works.setChecked(False)
        self._refresh_enabled()
        self._focus_after_change()
        self.problem.emit(None)
        self.edited.emit()

    def _join(self, index: int) -> None:
        """Remove the break before interval `index`: the intervals around it become one."""
        typed = self._typed_rows()
        joined = (typed[index - 1][0], typed[index][1])
        self._build([*typed[: index - 1], joined, *typed[index + 1 :]])
        self._refresh_enabled()
        self._focus_after_change()
        self.problem.emit(None)
        self.edited.emit()

    def _focus_after_change(self) -> None:
        target: QWidget = self.rows[-1].end if self.rows else self.works
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def split_for_break(self) -> None:
        """Add a break in the middle of the longest interval (an hour, or half an hour in a short
        one), on the half hour."""
        try:
            spans = self.minutes_typed()
        except FieldError as problem:
            self.problem.emit(problem)
            return
        longest = max(range(len(spans)), key=lambda i: spans[i][1] - spans[i][0], default=None)
        if longest is None or spans[longest][1] - spans[longest][0] < 90:
            self.problem.emit(
                FieldError(
                    self.tr("%s: the hours are too short for a break (90 minutes at least).")
                    % day_name(self.day),
                    self.add_break,
                )
            )
            return
        start, end = spans[longest]
        length = 60 if end - start >= 180 else 30
        cut = start + ((end - start - length) // 2) // 30 * 30
        if cut <= start:
            cut = start + 30
        pieces = [(clock_text(s), clock_text(e)) for s, e in spans]
        pieces[longest : longest + 1] = [
            (clock_text(start), clock_text(cut)),
            (clock_text(cut + length), clock_text(end)),
        ]
        self._build(pieces)
        self._refresh_enabled()
        self.rows[longest + 1].start.setFocus(Qt.FocusReason.OtherFocusReason)
        self.problem.emit(None)
        self.edited.emit()

    def append_hours(self) -> None:
        """Add two hours an hour after the last interval (09:00-17:00 on a day off)."""
        try:
            spans = self.minutes_typed() if self.works.isChecked() else []
        except FieldError as problem:
            self.problem.emit(problem)
            return
        if not spans:
            pieces = [DEFAULT_HOURS]
        else:
            last_end = max(end for _, end in spans)
            start = last_end + 60
            if start >= DAY_END:
                self.problem.emit(
                    FieldError(
                        self.tr("%s: there is no time left after %s.")
                        % (day_name(self.day), clock_text(last_end)),
                        self.add_hours,
                    )
                )
                return
            pieces = [
                *(row.typed() for row in self.rows),
                (clock_text(start), clock_text(min(start + 120, DAY_END))),
            ]
        self._kept = []
        self.works.setChecked(True)
        self._build(pieces)
        self._refresh_enabled()
        self.rows[-1].start.setFocus(Qt.FocusReason.OtherFocusReason)
        self.problem.emit(None)
        self.edited.emit()

    # -- reading ---------------------------------------------------------------------------------

    def minutes_typed(self) -> list[tuple[int, int]]:
        """Each interval as typed, in minutes; FieldError for a time that cannot be read."""
        name = day_name(self.day)
        spans = []
        for number, row in enumerate(self.rows, start=1):
            for field, which in ((row.start, self.tr("from")), (row.end, self.tr("until"))):
                if field.clock() is None:
                    raise FieldError(
                        self.tr(
                            "%s, hours %d, %s: “%s” is not a time. Type it as 09:00, 0900 or 9."
                        )
                        % (name, number, which, field.text()),
                        field,
                    )
            minutes = row.minutes()
            assert minutes is not None
            spans.append(minutes)
        return spans

    def intervals(self) -> list[Interval]:
        """The day's intervals, checked as the server checks them (each starts before it ends,
        none overlaps another); FieldError names the first that is not right."""
        if not self.works.isChecked():
            return []
        name = day_name(self.day)
        spans = self.minutes_typed()
        for (start, end), row in zip(spans, self.rows, strict=True):
            if start >= end:
                raise FieldError(
                    self.tr("%s: %s–%s ends before it starts. The end comes after the start.")
                    % (name, clock_text(start), clock_text(end)),
                    row.end,
                )
        ordered = sorted(zip(spans, self.rows, strict=True), key=lambda pair: pair[0])
        for (before, _), (span, row) in itertools.pairwise(ordered):
            if span[0] < before[1]:
                raise FieldError(
                    self.tr("%s: %s–%s overlaps %s–%s. Hours of one day must not overlap.")
                    % (
                        name,
                        clock_text(span[0]),
                        clock_text(span[1]),
                        clock_text(before[0]),
                        clock_text(before[1]),
                    ),
                    row.start,
                )
        return [(clock_text(start), clock_text(end)) for (start, end), _ in ordered]

    def focus_chain(self) -> list[QWidget]:
        chain: list[QWidget] = [self.works]
        for index, row in enumerate(self.rows):
            if index:
                chain.append(self.breaks[index - 1])
            chain.extend((row.start, row.end, row.remove))
        return [*chain, self.add_break, self.add_hours]


Typed = tuple[str, tuple[tuple[bool, tuple[tuple[str, str], ...]], ...], int, int, int]


class WeeklyHoursEditor(QWidget):
    """`show_schedule(schedule, pending)` shows a schedule; Save emits `schedule_requested`."""

    schedule_requested = Signal(object)  # ScheduleUpdate
    edits_changed = Signal(bool)  # whether the fields differ from the schedule shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hoursEditor")
        self.zone = QComboBox()
        self.zone.setObjectName("timeZone")
        self.zone.setEditable(True)
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone.setAccessibleName(self.tr("Time zone"))
        if (line := self.zone.lineEdit()) is not None:
            line.setAccessibleName(self.tr("Time zone"))
        self.zone.addItems(sorted(available_timezones()))
        self.zone.setMinimumContentsLength(22)
        self.zone.setMaximumWidth(360)
        completer = QCompleter(self.zone.model(), self.zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.setCompleter(completer)
        self.days = {day: DayRow(day) for day in WEEKDAYS}
        self.notice = self._spin(0, 60 * 24 * 60, 15, self.tr(" min"), self.tr("Minimum notice"))
        self.horizon = self._spin(1, 730, 1, self.tr(" days"), self.tr("Bookable days ahead"))
        self.step = self._spin(5, 240, 5, self.tr(" min"), self.tr("Slot step"))
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(self.tr("Problem with the working hours"))
        self.error.hide()
        self.pending = QLabel(self.tr("Saving… not yet confirmed by the server."))
        self.pending.setObjectName("pendingNote")
        self.pending.hide()
        self.elsewhere = QLabel(
            self.tr(
                "The working hours were changed elsewhere meanwhile. Save puts yours in their "
                "place; Discard shows the new ones."
            )
        )
        self.elsewhere.setObjectName("dialogHint")
        self.elsewhere.setWordWrap(True)
        self.elsewhere.hide()
        self.save = QPushButton(self.tr("&Save working hours"))
        self.save.setObjectName("saveHours")
        self.save.setAutoDefault(False)
        self.save.clicked.connect(self.submit)
        self.discard = QPushButton(self.tr("Disca&rd changes"))
        self.discard.setObjectName("discardHours")
        self.discard.setAutoDefault(False)
        self.discard.clicked.connect(self.discard_edits)
        self._shown: WeeklySchedule | None = None  # the schedule last shown
        self._rendered: Typed | None = None  # what the fields said when it was shown (or sent)
        self._lay_out()
        self.zone.currentTextChanged.connect(self._edited)
        for row in self.days.values():
            row.edited.connect(self._edited)
            row.rebuilt.connect(self._chain)
            row.problem.connect(lambda problem: show_problem(self.error, problem))
        for spin in (self.notice, self.horizon, self.step):
            spin.valueChanged.connect(self._edited)
        self._chain()

    def _spin(self, low: int, high: int, step: int, suffix: str, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setSuffix(suffix)
        spin.setAccessibleName(name)
        spin.setMinimumWidth(110)
        return spin

    def _lay_out(self) -> None:
        top = QFormLayout()
        top.addRow(self.tr("Time &zone:"), self.zone)
        hint = QLabel(
            self.tr("Hours are local times in this zone; the gaps between hours are breaks.")
        )
        hint.setObjectName("dialogHint")
        hint.setWordWrap(True)
        top.addRow("", hint)
        week = QGroupBox(self.tr("Weekly hours"))
        days = QVBoxLayout(week)
        days.setSpacing(2)
        for row in self.days.values():
            days.addWidget(row)
        rules = QGroupBox(self.tr("Booking rules"))
        rule_row = QHBoxLayout(rules)
        for caption, spin in (
            (self.tr("Minimum &notice:"), self.notice),
            (self.tr("Bookable &up to:"), self.horizon),
            (self.tr("Slot s&tep:"), self.step),
        ):
            label = QLabel(caption)
            label.setBuddy(spin)
            rule_row.addWidget(label)
            rule_row.addWidget(spin)
            rule_row.addSpacing(12)
        rule_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pending)
        buttons.addStretch(1)
        buttons.addWidget(self.discard)
        buttons.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(week)
        layout.addWidget(rules)
        layout.addWidget(self.elsewhere)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def _chain(self) -> None:
        """Tab walks the editor in reading order, also after intervals were added or removed."""
        chain: list[QWidget] = [self.zone]
        for row in self.days.values():
            chain.extend(row.focus_chain())
        chain.extend((self.notice, self.horizon, self.step, self.discard, self.save))
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def focus_chain(self) -> list[QWidget]:
        chain: list[QWidget] = [self.zone]
        for row in self.days.values():
            chain.extend(row.focus_chain())
        return [*chain, self.notice, self.horizon, self.step, self.discard, self.save]

    # -- showing ---------------------------------------------------------------------------------

    def show_schedule(self, schedule: WeeklySchedule, pending: bool) -> None:
        """Show `schedule` unless the master has unsaved edits (then say it changed)."""
        self.pending.setVisible(pending)
        if schedule == self._shown:
            return
        if self.has_unsaved_edits():
            self.elsewhere.show()
            self._shown = schedule
            return
        self._render(schedule)

    def _render(self, schedule: WeeklySchedule) -> None:
        self._shown = schedule
        # Hours never set: offer this computer's zone rather than UTC.
        zone = local_zone() if schedule.version == 0 else schedule.time_zone
        self.zone.setCurrentText(zone)
        for day, row in self.days.items():
            row.set_intervals(schedule.weekly.get(day, []))
        self.notice.setValue(schedule.min_notice_minutes)
        self.horizon.setValue(schedule.horizon_days)
        self.step.setValue(schedule.slot_step_minutes)
        for field in self._fields():
            mark_invalid(field, False)
        self.error.hide()
        self.elsewhere.hide()
        self._rendered = self.typed()
        self._refresh_buttons()

    def _fields(self) -> list[QWidget]:
        fields: list[QWidget] = [self.zone]
        for row in self.days.values():
            for interval in row.rows:
                fields.extend((interval.start, interval.end))
        return fields

    def typed(self) -> Typed:
        return (
            self.zone.currentText(),
            tuple(row.typed() for row in self.days.values()),
            self.notice.value(),
            self.horizon.value(),
            self.step.value(),
        )

    def has_unsaved_edits(self) -> bool:
        return self._rendered is not None and self.typed() != self._rendered

    def _edited(self) -> None:
        mark_invalid(self.zone, False)
        self.error.hide()
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        edited = self.has_unsaved_edits()
        if edited != self.discard.isEnabled():
            self.discard.setEnabled(edited)
            self.edits_changed.emit(edited)

    def discard_edits(self) -> None:
        """Show the schedule as it is (the last one received), dropping the edits."""
        if self._shown is not None:
            shown, self._shown = self._shown, None
            self._render(shown)

    def fill(self, update: ScheduleUpdate) -> None:
        """Put a schedule that was not saved back into the fields (edits to try again)."""
        shown = self._shown
        self._render(WeeklySchedule(**update.model_dump()))
        self._shown = shown
        self._rendered = None if shown is None else self._typed_of(shown)
        self._refresh_buttons()

    def _typed_of(self, schedule: WeeklySchedule) -> Typed:
        return (
            schedule.time_zone,
            tuple(
                (True, tuple((start, end) for start, end in schedule.weekly[day]))
                if schedule.weekly.get(day)
                else (False, ())
                for day in WEEKDAYS
            ),
            schedule.min_notice_minutes,
            schedule.horizon_days,
            schedule.slot_step_minutes,
        )

    # -- sending ---------------------------------------------------------------------------------

    def error_text(self) -> str:
        return "" if self.error.isHidden() else self.error.text()

    def schedule_update(self) -> ScheduleUpdate:
        """The schedule as typed; FieldError for the first thing that is not right."""
        zone = self.zone.currentText().strip()
        try:
            zone_of(zone)
        except ValueError:
            raise FieldError(
                self.tr("Time zone: “%s” is not a time zone. Pick one from the list, e.g. %s.")
                % (zone, "Europe/Berlin"),
                self.zone,
            ) from None
        weekly = {day: row.intervals() for day, row in self.days.items()}
        try:
            return ScheduleUpdate(
                time_zone=zone,
                weekly={day: intervals for day, intervals in weekly.items() if intervals},
                min_notice_minutes=self.notice.value(),
                horizon_days=self.horizon.value(),
                slot_step_minutes=self.step.value(),
            )
        except ValidationError as error:  # what the checks above missed, in pydantic's words
            message = str(error.errors()[0].get("msg", "")).removeprefix("Value error, ")
            raise FieldError(self.tr("Working hours: %s.") % message, self.save) from None

    def submit(self) -> bool:
        """Check and send the schedule; False (the problem shown, everything kept) if it is not
        right."""
        try:
            update = self.schedule_update()
        except FieldError as problem:
            show_problem(self.error, problem)
            return False
        show_problem(self.error, None)
        # What is typed is what is sent: not an unsaved edit while the change echoes back.
        self._rendered = self.typed()
        self.elsewhere.hide()
        self._refresh_buttons()
        self.schedule_requested.emit(update)
        return True
