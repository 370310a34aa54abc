// @ts-check
/** The page's sync engine, on the desktop engine's rules:
 * - the server wins: `server` holds bookings exactly as the server last sent them; the page shows
 *   them with the queued changes predicted on top, and a refused change simply drops out;
 * - one request in flight per booking; changes to a booking go out in the order they were made;
 * - stale updates are dropped (a booking replaces the known one only with a higher version);
 * - every change carries an Idempotency-Key made when the user acted, kept through retries and
 *   offline waits, so it takes effect once; cancel and reschedule send If-Match;
 * - live updates come over the WebSocket (`since` = the cursor on every reconnect, gaps told by
 *   `prev_seq`); while it cannot open, delta polls every 3 s (an active booking) or 10 s stand in;
 * - offline (navigator.onLine, or the network failing us) changes wait and go when back.
 * Events: "change" (anything the page shows), "rollback" {code, detail, intent, current},
 * "confirmed" {intent, booking}, "signedout", "slots" (free times may have changed). */

import { NetworkError, newKey, retryAfter } from "./api.js";

const ACTIVE = new Set(["pending", "confirmed", "in_progress"]);
const MAX_ATTEMPTS = 3; // failures while the server answers (5xx) before a change is given up

/**
 * @typedef {{id: string, master_id: string, customer_id: string, service: string,
 *   starts_at: string, ends_at: string, status: string, version: number, reason?: string,
 *   note?: string | null, service_id?: string}} Booking
 * @typedef {{key: string, kind: "create" | "cancel" | "reschedule", target: string,
 *   body: any, shown: Partial<Booking>, sent: boolean, attempts: number, failures?: number}} Intent
 * @typedef {{master: Record<string, string[]>, customer: Record<string, string[]>,
 *   only_after_start: string[]}} ActionTable
 * @typedef {"live" | "updating" | "polling" | "offline" | "connecting"} State
 */

export class Sync extends EventTarget {
  /**
   * @param {import("./api.js").Api} api
   * @param {{pollActiveMs?: number, pollIdleMs?: number}} [options]
   */
  constructor(api, options = {}) {
    super();
    this.api = api;
    this.pollActiveMs = options.pollActiveMs ?? 3000;
    this.pollIdleMs = options.pollIdleMs ?? 10000;
    /** @type {ActionTable | null} */
    this.actions = null;
    this.#clear();
    window.addEventListener("online", () => this.#back());
    window.addEventListener("offline", () => {
      this.#closeSocket();
      this.#changed();
    });
  }

  #clear() {
    /** @type {{id: string} | null} */
    this.user = null;
    /** @type {Map<string, Booking>} */
    this.server = new Map();
    this.cursor = 0;
    /** @type {Intent[]} */
    this.outbox = [];
    /** @type {Set<string>} */
    this.inflight = new Set();
    /** @type {WebSocket | null} */
    this.socket = null;
    this.socketOpen = false;
    this.socketSeq = 0; // the last seq of this socket's prev_seq chain
    this.failures = 0; // sockets in a row that closed without a hello
    /** @type {Date | null} */
    this.lastSync = null;
    this.reachable = true;
    this.polling = false;
    this.pollBusy = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.pollTimer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.reconnectTimer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
    this.loading = false;
  }

  /** Start syncing for the signed-in user (the token is already on the api). @param {{id: string}} user */
  async start(user) {
    this.user = user;
    if (!this.actions) {
      const reply = await this.#call("GET", "/actions").catch(() => null);
      if (reply && reply.ok) this.actions = reply.data;
    }
    await this.#fullLoad();
    this.#openSocket();
  }

  /** Forget everything (sign-out): the queue too, as the changes were this user's. */
  stop() {
    this.#closeSocket();
    clearTimeout(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.retryTimer);
    this.#clear();
    this.#changed();
  }

  // ---------------------------------------------------------------- what the page shows

  /** The bookings as the user should see them: the server's, with queued changes on top.
   * @returns {(Booking & {sending?: "sending" | "queued"})[]} */
  bookings() {
    /** @type {Map<string, Booking & {sending?: "sending" | "queued"}>} */
    const rows = new Map();
    for (const [id, booking] of this.server) rows.set(id, { ...booking });
    for (const intent of this.outbox) {
      const sending = this.#online() ? "sending" : "queued";
      if (intent.kind === "create") {
        // Once the server's copy arrived (its event may beat the reply), show that one only.
        const arrived = [...this.server.values()].some(
          (b) => b.master_id === intent.body.master_id && b.starts_at === intent.shown.starts_at,
        );
        if (!arrived) rows.set(intent.target, { .../** @type {Booking} */ (intent.shown), sending });
      } else {
        const row = rows.get(intent.target);
        if (row) rows.set(intent.target, { ...row, ...intent.shown, sending });
      }
    }
    return [...rows.values()].sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  }

  /** The actions the user may take on a booking, as the server's table says.
   * @param {Booking} booking */
  allowed(booking) {
    if (!this.actions || !this.user) return [];
    const party = booking.master_id === this.user.id ? "master" : "customer";
    const started = Date.parse(booking.starts_at) <= Date.now();
    return (this.actions[party][booking.status] || []).filter(
      (a) => started || !this.actions?.only_after_start.includes(a),
    );
  }

  /** @returns {{state: State, lastSync: Date | null, waiting: number, pollSeconds: number}} */
  status() {
    const waiting = this.outbox.length;
    const pollSeconds = this.#pollMs() / 1000;
    /** @type {State} */
    let state;
    if (!this.#online()) state = "offline";
    else if (waiting > 0 || this.loading) state = "updating";
    else if (this.socketOpen) state = "live";
    else if (this.polling) state = "polling";
    else state = "connecting";
    return { state, lastSync: this.lastSync, waiting, pollSeconds };
  }

  // ---------------------------------------------------------------- what the user does

  /** Book: shown at once as pending. @param {Record<string, any>} body @param {Partial<Booking>} shown */
  create(body, shown) {
    const key = newKey();
    const target = `new-${key}`;
    const booking = {
      id: target, status: "pending", version: 0, customer_id: this.user?.id || "", ...shown,
    };
    this.#enqueue({ key, kind: "create", target, body, shown: booking, sent: false, attempts: 0 });
  }

  /** @param {string} id */
  cancel(id) {
    this.#enqueue({
      key: newKey(), kind: "cancel", target: id, body: { action: "cancel" },
      shown: { status: "cancelled" }, sent: false, attempts: 0,
    });
  }

  /** @param {string} id @param {string} startsAt @param {string} endsAt */
  reschedule(id, startsAt, endsAt) {
    const body = { starts_at: startsAt, ends_at: endsAt };
    this.#enqueue({
      key: newKey(), kind: "reschedule", target: id, body,
      shown: { ...body, status: "pending" }, sent: false, attempts: 0,
    });
  }

  /** @param {Intent} intent */
  #enqueue(intent) {
    // Debounce: the same change to the same booking, still waiting, is not made twice.
    const same = this.outbox.some(
      (i) => i.kind === intent.kind && i.target === intent.target
        && JSON.stringify(i.body) === JSON.stringify(intent.body),
    );
    if (same) return;
    this.outbox.push(intent);
    this.#changed();
    this.#pump();
  }

  // ---------------------------------------------------------------- sending

  #online() {
    return navigator.onLine && this.reachable;
  }

  /** Send the first waiting change of every booking that has none in flight. */
  #pump() {
    if (!navigator.onLine || !this.user) return;
    const heads = new Map();
    for (const intent of this.outbox) if (!heads.has(intent.target)) heads.set(intent.target, intent);
    for (const [target, intent] of heads) {
      if (!this.inflight.has(target)) void this.#send(intent);
    }
  }

  /** @param {Intent} intent */
  async #send(intent) {
    const base = this.server.get(intent.target);
    if (intent.kind !== "create") {
      if (!base) return this.#rollback(intent, "not_found", null, null);
      const action = intent.kind === "cancel" ? "cancel" : "reschedule";
      if (this.actions && !this.allowed(base).includes(action)) {
        return this.#rollback(intent, "invalid_transition", null, base);
      }
    }
    this.inflight.add(intent.target);
    intent.sent = true;
    this.#changed();
    let reply;
    try {
      reply = await this.#request(intent, base);
    } catch (error) {
      this.inflight.delete(intent.target);
      if (!(error instanceof NetworkError)) throw error;
      this.#unreachable();
      // Try again later with the same key (a poll or the socket coming back may come first).
      intent.failures = (intent.failures || 0) + 1;
      this.#retry(Math.min(30000, 1000 * 2 ** intent.failures));
      return;
    }
    this.inflight.delete(intent.target);
    this.#reached();
    this.#answer(intent, reply);
    this.#pump();
  }

  /** @param {Intent} intent @param {Booking | undefined} base */
  #request(intent, base) {
    const options = { body: intent.body, key: intent.key, ifMatch: base?.version };
    if (intent.kind === "create") return this.api.request("POST", "/bookings", options);
    const path = `/bookings/${encodeURIComponent(intent.target)}`;
    if (intent.kind === "cancel") return this.api.request("POST", `${path}/transitions`, options);
    return this.api.request("PATCH", path, options);
  }

  /** @param {Intent} intent @param {import("./api.js").Reply} reply */
  #answer(intent, reply) {
    if (reply.ok) {
      this.#drop(intent);
      this.#accept(reply.data);
      this.lastSync = new Date();
      this.#emit("confirmed", { intent, booking: reply.data });
      if (intent.kind !== "cancel") this.#emit("slots", {});
      this.#changed();
      return;
    }
    if (reply.status === 401) return this.#signedOut();
    if (reply.status === 429 || reply.status === 503 || (reply.status === 409
        && reply.data?.code === "request_in_progress")) {
      return this.#retry(retryAfter(reply.headers) * 1000);
    }
    if (reply.status >= 500) {
      intent.attempts += 1;
      if (intent.attempts < MAX_ATTEMPTS) return this.#retry(1000 * 2 ** intent.attempts);
      return this.#rollback(intent, "gave_up", null, null);
    }
    const problem = reply.data || {};
    const current = problem.current || null;
    this.#rollback(intent, problem.code || "invalid_request", problem.detail || null, current);
  }

  /** @param {Intent} intent @param {string} code @param {string | null} detail @param {Booking | null} current */
  #rollback(intent, code, detail, current) {
    this.#drop(intent);
    if (current) this.#accept(current);
    this.#emit("rollback", { intent, code, detail, current });
    if (code === "slot_taken" || code === "slot_unavailable") this.#emit("slots", {});
    this.#changed();
    this.#pump();
  }

  /** @param {Intent} intent */
  #drop(intent) {
    this.outbox = this.outbox.filter((i) => i !== intent);
  }

  /** @param {number} ms */
  #retry(ms) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.#pump(), ms);
  }

  // ---------------------------------------------------------------- receiving

  /** Keep a booking unless we know a newer version of it. @param {Booking} booking */
  #accept(booking) {
    const known = this.server.get(booking.id);
    if (known && known.version >= booking.version) return false;
    const was = known?.status;
    this.server.set(booking.id, booking);
    if (known && was !== booking.status) this.#emit("status", { booking });
    return true;
  }

  async #fullLoad() {
    this.loading = true;
    this.#changed();
    try {
      const reply = await this.#call("GET", "/bookings");
      if (reply.status === 401) return this.#signedOut();
      if (!reply.ok) return;
      this.server = new Map();
      for (const booking of reply.data.bookings) this.#accept(booking);
      this.cursor = reply.data.cursor;
      this.lastSync = new Date();
    } catch {
      // Offline: the socket or the next poll tries again.
    } finally {
      this.loading = false;
      this.#changed();
    }
  }

  /** Everything changed after the cursor (a poll, or a gap in the socket's stream). */
  async #deltaLoad() {
    const since = this.cursor;
    const reply = await this.#call("GET", `/bookings?since=${since}`, { ifNoneMatch: since });
    if (reply.status === 401) return this.#signedOut();
    if (reply.status === 410) return this.#fullLoad();
    if (reply.status === 304) {
      this.lastSync = new Date();
    } else if (reply.ok) {
      for (const booking of reply.data.bookings) this.#accept(booking);
      this.cursor = Math.max(this.cursor, reply.data.cursor);
      this.lastSync = new Date();
    }
    this.#changed();
  }

  /** A GET that notes whether the server was reached.
   * @param {string} method @param {string} path @param {import("./api.js").RequestOptions} [options] */
  async #call(method, path, options) {
    try {
      const reply = await this.api.request(method, path, options);
      this.#reached();
      return reply;
    } catch (error) {
      this.#unreachable();
      throw error;
    }
  }

  #reached() {
    if (this.reachable) return;
    this.reachable = true;
    this.#changed();
    this.#pump();
  }

  #unreachable() {
    if (!this.reachable) return;
    this.reachable = false;
    this.#changed();
  }

  // ---------------------------------------------------------------- the socket and polling

  #openSocket() {
    if (!this.user || !this.api.token || this.socket || !navigator.onLine) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const query = `token=${encodeURIComponent(this.api.token)}&since=${this.cursor}`;
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/ws?${query}`);
    this.socket = socket;
    this.socketSeq = this.cursor;
    let helloed = false;
    socket.addEventListener("message", (message) => {
      if (socket !== this.socket) return;
      let frame;
      try {
        frame = JSON.parse(String(message.data));
      } catch {
        return;
      }
      this.#reached();
      if (frame.type === "hello") {
        helloed = true;
        this.#opened();
      } else {
        this.#frame(frame);
      }
    });
    socket.addEventListener("close", (event) => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.socketOpen = false;
      if (event.code === 4401) return this.#signedOut();
      this.failures = helloed ? 1 : this.failures + 1;
      this.#socketDown();
    });
  }

  #opened() {
    this.socketOpen = true;
    this.failures = 0;
    this.polling = false;
    clearTimeout(this.pollTimer);
    this.#reached();
    this.lastSync = new Date();
    this.#changed();
    this.#pump();
    this.#emit("socket", {});
  }

  /** @param {any} frame */
  #frame(frame) {
    if (frame.type === "booking:updated") {
      if (frame.seq <= this.socketSeq) return; // a repeat
      const gap = typeof frame.prev_seq === "number" ? frame.prev_seq > this.socketSeq
        : frame.seq > this.cursor + 1;
      this.socketSeq = frame.seq;
      this.#accept(frame.booking);
      this.lastSync = new Date();
      if (gap) void this.#deltaLoad().catch(() => undefined);
      else this.cursor = Math.max(this.cursor, frame.seq);
      this.#changed();
    } else if (frame.type === "resync_required") {
      void this.#fullLoad();
    } else if (frame.type === "availability:updated") {
      this.#emit("slots", {});
    }
  }

  /** Ask the socket for availability:updated events of a master's free times.
   * @param {string} masterId */
  watchAvailability(masterId) {
    if (this.watching === masterId) return;
    this.watching = masterId;
    this.#sendWatch();
    this.addEventListener("socket", () => this.#sendWatch());
  }

  #sendWatch() {
    if (this.socket && this.socketOpen && this.watching) {
      this.socket.send(JSON.stringify({ type: "watch_availability", master_id: this.watching }));
    }
  }

  #socketDown() {
    this.#changed();
    // Ask the server at once: a poll that gets through means the socket alone is refused
    // (polling, orange); one that fails is the evidence of being offline (red).
    this.polling = true;
    void this.#poll();
    // Reconnect with a growing delay (with jitter), up to 30 s.
    const delay = Math.min(30000, 1000 * 2 ** Math.min(this.failures, 5)) * (0.5 + Math.random() / 2);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.#openSocket(), delay);
  }

  #closeSocket() {
    const socket = this.socket;
    this.socket = null;
    this.socketOpen = false;
    if (socket) socket.close(1000);
    clearTimeout(this.reconnectTimer);
  }

  #pollMs() {
    const active = [...this.server.values()].some((b) => ACTIVE.has(b.status));
    return active ? this.pollActiveMs : this.pollIdleMs;
  }

  #schedulePoll() {
    if (!this.user || this.socketOpen) return;
    this.polling = true;
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => this.#poll(), this.#pollMs());
  }

  async #poll() {
    if (!this.user || this.socketOpen || this.pollBusy) return;
    clearTimeout(this.pollTimer);
    this.pollBusy = true;
    try {
      if (navigator.onLine) {
        await this.#deltaLoad();
        this.#pump();
      }
    } catch {
      // Still unreachable: try again at the next poll.
    } finally {
      this.pollBusy = false;
    }
    this.#schedulePoll();
  }

  /** Back online: catch up at once (socket with since, or a poll), then send what waited. */
  #back() {
    this.#changed();
    if (!this.user) return;
    this.#openSocket();
    void this.#deltaLoad().then(() => this.#pump(), () => undefined);
  }

  #signedOut() {
    const had = this.user !== null;
    this.stop();
    if (had) this.#emit("signedout", {});
  }

  // ---------------------------------------------------------------- events

  #changed() {
    this.#emit("change", {});
  }

  /** @param {string} type @param {object} detail */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
