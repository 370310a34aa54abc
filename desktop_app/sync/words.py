"""Plain words for the user: why a change was undone, never a raw error code."""

from __future__ import annotations

from booking_core import Action, Booking, Status

_VERB: dict[Action, str] = {
    Action.CREATE: "create",
    Action.ACCEPT: "accept",
    Action.DECLINE: "decline",
    Action.CANCEL: "cancel",
    Action.RESCHEDULE: "move",
    Action.UPDATE: "edit",
    Action.START: "start",
    Action.NO_SHOW: "mark as a no-show",
    Action.COMPLETE: "complete",
    Action.EXPIRE: "expire",
}

_DONE: dict[Action, str] = {
    Action.CREATE: "created",
    Action.ACCEPT: "accepted",
    Action.DECLINE: "declined",
    Action.CANCEL: "cancelled",
    Action.RESCHEDULE: "moved",
    Action.UPDATE: "edited",
    Action.START: "started",
    Action.NO_SHOW: "marked as a no-show",
    Action.COMPLETE: "completed",
    Action.EXPIRE: "expired",
}

_STATUS: dict[Status, str] = {
    Status.PENDING: "waiting for confirmation",
    Status.CONFIRMED: "confirmed",
    Status.IN_PROGRESS: "in progress",
    Status.COMPLETED: "completed",
    Status.DECLINED: "declined",
    Status.CANCELLED: "cancelled",
    Status.NO_SHOW: "marked as a no-show",
    Status.EXPIRED: "expired",
}

NOT_CONFIRMED = "not_confirmed"


def status_words(status: Status) -> str:
    return _STATUS[status]


def rollback_message(code: str, action: Action, current: Booking | None) -> str:
    """One or two sentences saying what happened to the user's change and what is shown now."""
    done = _DONE[action]
    now_is = f" It is now {_STATUS[current.status]}." if current is not None else ""
    match code:
        case "version_conflict":
            return (
                f"Someone else changed this booking at the same time, so it was not {done}."
                f"{now_is} Their version is shown."
            )
        case "invalid_transition":
            if current is not None:
                return f"This booking is {_STATUS[current.status]}, so it can no longer be {done}."
            return f"This booking can no longer be {done}."
        case "slot_taken":
            return f"The booking was not {done}: that time overlaps another booking."
        case "forbidden":
            return f"You are not allowed to {_VERB[action]} this booking."
        case "not_found":
            return "This booking no longer exists, or you can no longer see it."
        case "invalid_request" | "payload_too_large":
            return f"The booking was not {done}: some of the details are not valid."
        case "unauthenticated":
            return "You were signed out. Sign in again to send this change."
        case "not_confirmed":
            return (
                f"The server did not confirm in time that the booking was {done}, so the change "
                "was undone. The booking shows the server's version; try again if needed."
            )
        case _:
            return f"The server refused this change, so the booking was not {done}."
