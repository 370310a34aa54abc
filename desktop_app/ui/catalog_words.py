"""A master's catalog changes in plain words: what was undone, why, and what the server has now.

The engine reports an undone catalog change as a `CatalogRollback` (codes, never words); the
rollback dialog, the notifications and the diagnostics window say it with these.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale

from booking_core import ErrorCode
from booking_core.availability import WEEKDAYS, Service, TimeOff, WeeklySchedule
from desktop_app.sync import (
    CatalogIntent,
    CatalogRollback,
    ScheduleSet,
    ServiceAdd,
    ServiceEdit,
    TimeOffAdd,
    TimeOffRemove,
)
from desktop_app.ui.statuses import NOT_CONFIRMED, rollback_reason

UNSUPPORTED = "unsupported"  # the engine's code: the server has no catalog (an older server)


def catalog_change_label(intent: CatalogIntent) -> str:
    """A catalog change in two or three words (a diagnostics table's "Change" column)."""
    match intent:
        case ServiceAdd():
            return QCoreApplication.translate("CatalogRollback", "New service")
        case ServiceEdit(_, patch) if patch.model_fields_set == {"active"}:
            if patch.active:
                return QCoreApplication.translate("CatalogRollback", "Service restored")
            return QCoreApplication.translate("CatalogRollback", "Service archived")
        case ServiceEdit():
            return QCoreApplication.translate("CatalogRollback", "Service change")
        case ScheduleSet():
            return QCoreApplication.translate("CatalogRollback", "Working hours")
        case TimeOffAdd():
            return QCoreApplication.translate("CatalogRollback", "New time off")
        case TimeOffRemove():
            return QCoreApplication.translate("CatalogRollback", "Time off removed")


def catalog_subject(intent: CatalogIntent) -> str:
    """What a catalog change is about, in a few words (the service's name, the time off's span;
    "—" when the change alone does not say)."""
    match intent:
        case ServiceAdd(_, body):
            return body.name
        case ServiceEdit(_, patch) if patch.name is not None:
            return patch.name
        case TimeOffAdd(_, body):
            return _span(body.starts_at, body.ends_at)
        case _:
            return "—"


def catalog_what(rollback: CatalogRollback) -> str:
    """ "Your change to working hours was undone." and the like."""
    intent, current = rollback.intent, rollback.current
    match intent:
        case ServiceAdd(_, body):
            return QCoreApplication.translate(
                "CatalogRollback", "Your new service “%s” was undone."
            ) % (body.name)
        case ServiceEdit(_, patch):
            name = current.name if isinstance(current, Service) else patch.name
            if name is None:
                return QCoreApplication.translate(
                    "CatalogRollback", "Your change to a service was undone."
                )
            if patch.model_fields_set == {"active"} and not patch.active:
                return QCoreApplication.translate(
                    "CatalogRollback", "Archiving the service “%s” was undone."
                ) % (name)
            return QCoreApplication.translate(
                "CatalogRollback", "Your change to the service “%s” was undone."
            ) % (name)
        case ScheduleSet():
            return QCoreApplication.translate(
                "CatalogRollback", "Your change to working hours was undone."
            )
        case TimeOffAdd(_, body):
            return QCoreApplication.translate("CatalogRollback", "Your time off %s was undone.") % (
                _span(body.starts_at, body.ends_at)
            )
        case TimeOffRemove():
            if isinstance(current, TimeOff):
                return QCoreApplication.translate(
                    "CatalogRollback", "Removing the time off %s was undone."
                ) % (_span(current.starts_at, current.ends_at))
            return QCoreApplication.translate("CatalogRollback", "Removing time off was undone.")


def _field_words() -> dict[str, str]:
    return {
        "name": QCoreApplication.translate("CatalogRollback", "name"),
        "duration_minutes": QCoreApplication.translate("CatalogRollback", "duration"),
        "price_minor": QCoreApplication.translate("CatalogRollback", "price"),
        "currency": QCoreApplication.translate("CatalogRollback", "currency"),
        "buffer_after_minutes": QCoreApplication.translate("CatalogRollback", "break after it"),
        "time_zone": QCoreApplication.translate("CatalogRollback", "time zone"),
        "weekly": QCoreApplication.translate("CatalogRollback", "working hours"),
        "min_notice_minutes": QCoreApplication.translate("CatalogRollback", "minimum notice"),
        "horizon_days": QCoreApplication.translate("CatalogRollback", "how far ahead"),
        "slot_step_minutes": QCoreApplication.translate("CatalogRollback", "slot step"),
        "starts_at": QCoreApplication.translate("CatalogRollback", "start"),
        "ends_at": QCoreApplication.translate("CatalogRollback", "end"),
        "note": QCoreApplication.translate("CatalogRollback", "note"),
    }


def catalog_why(rollback: CatalogRollback) -> str:
    """Why the server undid it, from the engine's code (and the field a refusal named)."""
    code, field = rollback.code, rollback.field
    if code == ErrorCode.INVALID_REQUEST and field is not None:
        words = _field_words().get(field, field)
        return QCoreApplication.translate(
            "CatalogRollback", "The server did not accept this value: %s."
        ) % (words)
    reasons: dict[str, str] = {
        ErrorCode.VERSION_CONFLICT: QCoreApplication.translate(
            "CatalogRollback", "It was changed elsewhere first (on another device?)."
        ),
        ErrorCode.NOT_FOUND: QCoreApplication.translate(
            "CatalogRollback", "It no longer exists on the server."
        ),
        ErrorCode.FORBIDDEN: QCoreApplication.translate(
            "CatalogRollback", "Only a master can change services, working hours and time off."
        ),
        UNSUPPORTED: QCoreApplication.translate(
            "CatalogRollback", "This server does not keep services, working hours or time off."
        ),
    }
    if code in reasons:
        return reasons[code]
    if code in (ErrorCode.INVALID_REQUEST, NOT_CONFIRMED):
        return rollback_reason(code)
    return QCoreApplication.translate("CatalogRollback", "The server refused the change.")


def catalog_now(rollback: CatalogRollback) -> str | None:
    """What the server has now, in one line (None when there is nothing to show)."""
    current = rollback.current
    if current is None:
        return None
    prefix = QCoreApplication.translate("CatalogRollback", "Now on the server: %s")
    match current:
        case Service():
            return prefix % service_summary(current)
        case WeeklySchedule():
            return prefix % hours_summary(current)
        case TimeOff():
            return prefix % _span(current.starts_at, current.ends_at)


def service_summary(service: Service) -> str:
    """'Haircut · 45 min · 35.00 EUR' (· archived)."""
    parts = [
        service.name,
        QCoreApplication.translate("CatalogRollback", "%n min", "", service.duration_minutes),
    ]
    if service.price_minor is not None and service.currency is not None:
        parts.append(f"{QLocale().toString(service.price_minor / 100, 'f', 2)} {service.currency}")
    if not service.active:
        parts.append(QCoreApplication.translate("CatalogRollback", "archived"))
    return " · ".join(parts)


def hours_summary(schedule: WeeklySchedule) -> str:
    """'Mon 09:00–13:00, 14:00–18:00 · Tue 09:00–17:00' (the days worked; days off left out)."""
    locale = QLocale()
    days = []
    for index, day in enumerate(WEEKDAYS):
        intervals = schedule.weekly.get(day) or []
        if intervals:
            name = locale.dayName(index + 1, QLocale.FormatType.ShortFormat)
            days.append(f"{name} " + ", ".join(f"{a}–{b}" for a, b in intervals))
    if not days:
        return QCoreApplication.translate("CatalogRollback", "no working hours")
    return " · ".join(days)


def _span(start: datetime, end: datetime) -> str:
    """'07 Dec 14:00 – 09 Dec 18:00' in the computer's time zone."""
    first, last = start.astimezone(), end.astimezone()
    if first.date() == last.date():
        return f"{first:%a %d %b %H:%M}–{last:%H:%M}"
    return f"{first:%a %d %b %H:%M} – {last:%a %d %b %H:%M}"
