"""Printing and exporting bookings: a day sheet as PDF (QPrinter) and an iCalendar (.ics) file of a
date range (the `icalendar` package) that Google Calendar, Outlook and Apple Calendar import.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import icalendar
from PySide6.QtCore import QCoreApplication, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from booking_core import Booking, Status
from desktop_app.ui.statuses import status_label

# Bookings that never took place are left out of an export; a cancellation is exported as
# STATUS:CANCELLED, so a calendar that imported the booking before drops it.
NOT_EXPORTED = frozenset({Status.DECLINED, Status.EXPIRED})
_ICS_STATUS = {
    Status.PENDING: "TENTATIVE",
    Status.CANCELLED: "CANCELLED",
    Status.NO_SHOW: "CANCELLED",
}

Names = Callable[[Booking], str]


def _local_day(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time()).astimezone()
    return start, start + timedelta(days=1)


def in_range(bookings: Iterable[Booking], first: date, last: date) -> list[Booking]:
    """The bookings that take up part of the local days `first`..`last`, in start order."""
    start, _ = _local_day(first)
    _, end = _local_day(last)
    chosen = [b for b in bookings if b.starts_at < end and b.ends_at > start]
    return sorted(chosen, key=lambda b: (b.starts_at, b.id))


def ics_of(bookings: Iterable[Booking], other_party: Names, first: date, last: date) -> bytes:
    """An iCalendar file of the bookings in `first`..`last` (local days, both included)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Reservations Desktop//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Reservations")
    for booking in in_range(bookings, first, last):
        if booking.status in NOT_EXPORTED:
            continue
        event = icalendar.Event()
        event.add("uid", f"{booking.id}@reservations")
        event.add("dtstamp", booking.updated_at)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        event.add("summary", f"{booking.service} · {other_party(booking)}")
        if booking.note:
            event.add("description", booking.note)
        event.add("status", _ICS_STATUS.get(booking.status, "CONFIRMED"))
        event.add("sequence", booking.version)
        calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content


def write_ics(path: Path, content: bytes) -> None:
    """Write atomically: a failed write leaves no half file where the user asked for one."""
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(content)
    partial.replace(path)


def day_sheet_html(
    bookings: Iterable[Booking], day: date, other_party: Names, title: str, party_caption: str
) -> str:
    """The day sheet as HTML: the day's bookings with time, who, service, status and note."""
    rows = []
    for booking in in_range(bookings, day, day):
        start = booking.starts_at.astimezone().strftime("%H:%M")
        end = booking.ends_at.astimezone().strftime("%H:%M")
        cells = (
            f"{start}–{end}",
            other_party(booking),
            booking.service,
            status_label(booking.status),
            booking.note,
        )
        struck = booking.status in NOT_EXPORTED | {Status.CANCELLED}
        style = ' style="color:#6b7280;text-decoration:line-through"' if struck else ""
        rows.append(f"<tr{style}>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    heading = html.escape(f"{title} — {day:%A %d %B %Y}")
    words = (
        QCoreApplication.translate("DaySheet", "Time"),
        party_caption,
        QCoreApplication.translate("DaySheet", "Service"),
        QCoreApplication.translate("DaySheet", "Status"),
        QCoreApplication.translate("DaySheet", "Note"),
    )
    head = "".join(f"<th align='left'>{html.escape(h)}</th>" for h in words)
    none = QCoreApplication.translate("DaySheet", "No bookings.")
    body = "".join(rows) or f"<tr><td colspan='5'>{html.escape(none)}</td></tr>"
    return (
        f"<h2>{heading}</h2>"
        "<table width='100%' cellspacing='0' cellpadding='6' border='1' "
        "style='border-collapse:collapse;border-color:#d1d5db'>"
        f"<tr style='background:#f3f4f6'>{head}</tr>{body}</table>"
    )


def print_pdf(html_text: str, path: Path) -> None:
    """Print HTML on A4 to a PDF file at `path`."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    document.setHtml(html_text)
    document.print_(printer)
