"""How each figure is measured, in words, for the report."""

NOTES = [
    "**1 (client part)**: the real `SyncEngine` loaded with N bookings (fed the full-list reply "
    "as the server sends it), the real `BookingsTableModel` and `BookingsFilterProxy` under a "
    "shown 1200×800 `QTableView` (offscreen). Timed per sample: parse the socket frame → "
    "`engine.handle(EventReceived)` → `model.apply(RowsChanged)` → dataChanged → events "
    "processed until the viewport has painted. The changed row is on screen. Naive: "
    "`NaiveModel.replace_all` (reset) behind a sorted proxy, to the end of the repaint.",
    "**1\\* (real server)**: a `booking-server` subprocess (SQLite) with N bookings; our app is "
    "ApiClient + SyncEngine + SyncController + the real `MainWindow` on qasync, built after the "
    "first sync. Another client PATCHes a note of an on-screen booking; latency = end of the "
    "table's next paint (wall clock) − the booking's `updated_at`, which the server stamps inside "
    "the committing transaction (same machine clock), so it is a slight over-estimate. The naive "
    "figure is composed from parts measured in this run: the 3 s poll wait (1.5 s median, "
    "2.97 s p99), a full-list GET + `json.loads` at that size, and the reset measured in 1.",
    "**2**: `IntentMade(Reschedule(note))` → engine → model → repaint of the row (shown pending), "
    "at the largest size; each change is then confirmed with the reply the server would send "
    "(not timed). Naive has no optimistic path: PATCH round trip + full GET + reset.",
    "**3 / 7**: each start in a fresh process (`python -m bench.child`), peak RSS from "
    "VmHWM of that process (/proc/self/status); ours 5 starts per size (median, and the "
    "slowest in the p99 column), naive 1. The child imports the app as `reservations-desktop` "
    "does (`desktop_app.launch`: cyclic GC paused during the imports); the naive child imports "
    "plainly. 3: `open_session` (sign-in, names, full sync) → "
    "first paint of the table with rows; RSS read 1.5 s later so the cache write is counted. "
    "7: a store filled and closed as the app leaves it; the server is down (offline start); "
    "from process start (before imports) to the first painted row. The naive app has no cache: "
    "its number is its full load (GET + parse + reset of the sorted model).",
    "**4**: N `websockets` clients in the bench process (half as the booking's master, half as "
    "its customer; compression on as in the app) on one server process; latency = receipt − "
    "`updated_at`. The receivers share one process and core with the writer, so late receivers "
    "include this process working through the earlier frames. PostgreSQL + Redis (full run "
    "only): two server processes on a fresh database and one Redis prefix; changes are written "
    "through process A and the sockets (or naive pollers) are on process B. The fan-out "
    "server runs with the per-user rate limit lifted (both modes), else the naive pollers of "
    "one user are throttled (429).",
    "**5**: 50 customers (one user each: the rate limit is per user) create 30/60-minute "
    "bookings on random slots of 5 shared masters (overlaps contend) and cancel 30 % of theirs; "
    "accepted = 2xx answers. Ours: each client also holds the live socket; naive: each client "
    "polls its full list every 3 s instead. Audit: the server's SQLite file is read at the end; "
    "no two active bookings of one master may overlap. PostgreSQL + Redis (full run only): the "
    "clients alternate between the two processes; the audit reads PostgreSQL.",
    "**6**: each client behind its own byte-counting TCP proxy (`bench/proxy.py`; bytes of "
    "HTTP heads, bodies, WebSocket frames and pings), all running at once for the window, scaled "
    "to one minute. Polling mode is the real app held in its fallback by a proxy that refuses "
    "the WebSocket upgrade (its reconnect attempts are counted). Busy = one change to the user's "
    "bookings every 6 s. The server pings every 15 s; a window shorter than a minute catches "
    "fewer pings, so the idle socket bytes are approximate.",
    "**8**: the real `SyncEngine` loaded with 100k bookings of one master (the full-list reply as "
    "the server sends it); timed per sample: `engine.handle(IntentMade(...))` of a create in a "
    "free slot, or a reschedule of a booking into one (the prediction and its overlap check, the "
    "queue, the published rows); each change is then confirmed with the server's answer (not "
    "timed). Naive: one pass over every booking for the overlap check, as before the slot index "
    "(the engine made two such passes per intent). Run alone with `python -m bench --only 8`.",
    "**A (issue 18)**: a `booking-server` subprocess (SQLite) with one master holding 100k "
    "bookings (one every 30 min, 20 min long), working every day 08:00-12:00 and 13:00-20:00 "
    "UTC, a 10 min service, slot step 5 min (two free slots an hour). 500 "
    "`GET /masters/{id}/availability` for random 7-day windows inside the booked span, on one "
    "kept-alive connection (5 warm-up requests not counted). Server time = the route's "
    "`Server-Timing: app;dur=…` (one SQL statement through the covering index `bookings_busy`, "
    "then `free_spans` and the JSON); end to end = the client's wall time. Naive: the same "
    "slots computed in-process over a linear scan of all 100k bookings (no database at all). "
    "`python -m bench.availability` runs only this figure and merges it into the report.",
]
