// @ts-check
/** The booking page: wires the API, the sync engine and the catalog to the page's elements. */

import { Api, NetworkError, retryAfter } from "./api.js";
import { Catalog } from "./catalog.js";
import { byId, fill, h, keepingFocus } from "./dom.js";
import * as i18n from "./i18n.js";
import { Sync } from "./sync.js";

const { t } = i18n;
const ACTIVE = new Set(["pending", "confirmed", "in_progress"]);
const body = document.body;
const master = {
  id: body.dataset.masterId || "",
  name: body.dataset.masterName || "",
};
const api = new Api();
const sync = new Sync(api);
const catalog = new Catalog(api, master.id);

/** @typedef {import("./catalog.js").Service} Service @typedef {import("./catalog.js").Slot} Slot */
const page = {
  /** @type {import("./catalog.js").Loaded | null} */ loaded: null,
  /** @type {Service | null} */ service: null,
  /** @type {Slot[] | null} */ slots: null,
  /** @type {Slot | null} */ chosen: null,
  /** @type {{id: string, display_name: string} | null} */ user: null,
  /** @type {string | null} */ rescheduling: null,
  /** @type {string | null} */ day: null,
};

// ------------------------------------------------------------------ status and messages

function renderStatus() {
  const status = sync.status();
  const signedIn = page.user !== null;
  const state = signedIn ? status.state : navigator.onLine ? "live" : "offline";
  const colour = state === "live" ? "green" : state === "offline" ? "red" : "orange";
  const dot = byId("dot");
  dot.className = `dot dot-${colour}`;
  const time = i18n.syncTime(status.lastSync);
  const text = !signedIn && state === "live" ? t("online")
    : state === "polling" ? t("polling", { s: status.pollSeconds, time })
    : t(state === "connecting" ? "updating" : state, { time });
  byId("sync-text").textContent = text;
  byId("sync").dataset.state = state;
  const banner = byId("offline");
  banner.hidden = state !== "offline";
  banner.textContent = status.waiting > 0
    ? i18n.plural("offlineBannerCount", status.waiting) : t("offlineBanner");
}

/** @param {string} text */
function announce(text) {
  const region = byId("announce");
  region.textContent = "";
  // A fresh text node is announced even when the words repeat.
  requestAnimationFrame(() => { region.textContent = text; });
}

/** @param {string} text */
function toast(text) {
  const box = byId("toast");
  fill(box, [
    h("p", {}, text),
    h("button", { type: "button", onclick: () => { box.hidden = true; } }, t("dismiss")),
  ]);
  box.hidden = false;
}

// ------------------------------------------------------------------ services and free times

async function loadCatalog() {
  page.loaded = await catalog.load();
  if (page.loaded.state === "ok") i18n.setTimeZone(page.loaded.timeZone);
  body.dataset.timeZone = i18n.timeZone();
  renderCatalog();
  renderBookings();
  if (page.loaded.state === "ok") sync.watchAvailability(master.id);
}

async function loadSlots() {
  if (!page.service) return;
  const service = page.service;
  const slots = await catalog.slots(service.id);
  if (page.service === service) {
    page.slots = slots;
    renderSlots();
  }
}

function renderCatalog() {
  const note = byId("catalog-note");
  const list = byId("services");
  const loaded = page.loaded;
  if (!loaded) return;
  note.hidden = false;
  if (loaded.state === "missing") note.textContent = t("noServices", { name: master.name });
  else if (loaded.state === "failed") note.textContent = t("catalogFailed");
  else if (loaded.services.length === 0) note.textContent = t("noServicesListed", { name: master.name });
  else note.textContent = t("chooseService");
  const services = loaded.state === "ok" ? loaded.services : [];
  keepingFocus(() => fill(list, services.map((service) => h("li", {},
    h("button", {
      type: "button", class: "service", "aria-pressed": String(page.service?.id === service.id),
      dataset: { key: `service:${service.id}` },
      onclick: () => chooseService(service),
    },
    h("span", { class: "service-name" }, service.name),
    h("span", { class: "service-meta" }, [
      t("minutes", { n: service.duration_minutes }),
      service.price_minor != null && service.currency
        ? i18n.price(service.price_minor, service.currency) : null,
    ].filter(Boolean).join(" · "))),
  ))));
  renderSlots();
}

/** @param {Service} service */
function chooseService(service) {
  page.service = service;
  page.slots = null;
  page.chosen = null;
  renderCatalog();
  void loadSlots();
}

function renderSlots() {
  const box = byId("slots");
  if (!page.service) return fill(box, []);
  if (page.slots === null) return fill(box, [h("p", { class: "muted" }, t("loading"))]);
  /** @type {Map<string, Slot[]>} */
  const days = new Map();
  for (const slot of page.slots) {
    const key = i18n.dayKey(slot.starts_at);
    days.set(key, [...(days.get(key) || []), slot]);
  }
  if (!page.day || !days.has(page.day)) page.day = days.keys().next().value || null;
  const children = [h("h3", {}, t("freeTimes", { service: page.service.name }))];
  if (i18n.foreignZone()) children.push(h("p", { class: "hint" }, t("zoneNote", { zone: i18n.timeZone() })));
  if (days.size === 0) children.push(h("p", { class: "muted" }, t("noSlots")));
  else {
    children.push(h("ul", { class: "day-row", "aria-label": t("days") }, ...[...days].map(([key, slots]) => h("li", {},
      h("button", {
        type: "button", class: "day", "aria-pressed": String(key === page.day), dataset: { key: `day:${key}` },
        title: i18n.day(slots[0].starts_at),
        onclick: () => { page.day = key; renderSlots(); },
      }, i18n.shortDay(slots[0].starts_at))))));
    const slots = days.get(page.day || "") || [];
    children.push(h("h4", {}, i18n.day(slots[0].starts_at)),
      h("ul", { class: "slot-row" }, ...slots.map((slot) => h("li", {},
        h("button", {
          type: "button", class: "slot", dataset: { key: `slot:${slot.starts_at}` },
          "aria-pressed": String(page.chosen?.starts_at === slot.starts_at),
          "aria-label": i18n.when(slot.starts_at),
          onclick: () => chooseSlot(slot),
        }, i18n.clock(slot.starts_at))))));
  }
  keepingFocus(() => fill(box, children));
  renderConfirm();
}

/** @param {Slot} slot */
function chooseSlot(slot) {
  page.chosen = slot;
  renderSlots();
  if (page.user) byId("confirm-book").focus();
  else byId("signin-name").focus();
}

function renderConfirm() {
  const box = byId("confirm");
  const { chosen, service } = page;
  box.hidden = !chosen || !service;
  if (!chosen || !service) return;
  const words = { service: service.name, when: i18n.when(chosen.starts_at) };
  byId("confirm-text").textContent = t(page.user ? "confirmBook" : "signInFirst", words);
  byId("confirm-book").hidden = !page.user;
}

function book() {
  const { chosen, service } = page;
  if (!chosen || !service || !page.user) return;
  sync.create(
    { master_id: master.id, service_id: service.id, service: service.name,
      starts_at: chosen.starts_at, ends_at: chosen.ends_at },
    { master_id: master.id, service: service.name, service_id: service.id,
      starts_at: chosen.starts_at, ends_at: chosen.ends_at },
  );
  page.slots = (page.slots || []).filter((s) => s.starts_at !== chosen.starts_at);
  page.chosen = null;
  renderSlots();
  announce(t("booked", { service: service.name, when: i18n.when(chosen.starts_at), name: master.name }));
  byId("mine-h").focus();
}

// ------------------------------------------------------------------ my bookings

function renderBookings() {
  const list = byId("bookings");
  const note = byId("mine-note");
  if (!page.user) {
    note.hidden = false;
    note.textContent = t("signInToSee");
    return fill(list, []);
  }
  // Coming and running ones first (soonest first), then the finished ones (latest first).
  const all = sync.bookings().filter((b) => b.master_id === master.id);
  const open = all.filter((b) => ACTIVE.has(b.status));
  const done = all.filter((b) => !ACTIVE.has(b.status)).reverse();
  const mine = [...open, ...done];
  note.hidden = mine.length > 0;
  note.textContent = t("noBookings", { name: master.name });
  keepingFocus(() => fill(list, mine.map(bookingItem)), (key) => `item:${key.split(":")[1]}`);
}

/** @param {import("./sync.js").Booking & {sending?: string}} booking */
function bookingItem(booking) {
  const allowed = booking.sending ? [] : sync.allowed(booking);
  const id = booking.id;
  const buttons = [];
  if (allowed.includes("cancel")) {
    buttons.push(h("button", {
      type: "button", dataset: { key: `cancel:${id}` },
      "aria-label": `${t("cancel")}: ${booking.service}, ${i18n.when(booking.starts_at)}`,
      onclick: () => { sync.cancel(id); announce(t("cancelled")); },
    }, t("cancel")));
  }
  if (allowed.includes("reschedule")) {
    buttons.push(h("button", {
      type: "button", dataset: { key: `reschedule:${id}` }, "aria-expanded": String(page.rescheduling === id),
      "aria-label": `${t("reschedule")}: ${booking.service}, ${i18n.when(booking.starts_at)}`,
      onclick: () => { page.rescheduling = page.rescheduling === id ? null : id; renderBookings(); },
    }, t("reschedule")));
  }
  return h("li", {
    class: `booking status-${booking.status}${booking.sending ? " is-sending" : ""}`,
    tabindex: "-1", dataset: { key: `item:${id}`, id, status: booking.status },
  },
  h("p", { class: "booking-when" }, i18n.when(booking.starts_at)),
  h("p", { class: "booking-what" }, booking.service),
  h("p", { class: "booking-state" },
    h("span", { class: `badge badge-${booking.status}` }, t(`status_${booking.status}`)),
    booking.sending ? h("span", { class: "sending" }, t(booking.sending)) : null),
  booking.reason ? h("p", { class: "reason" }, t("reasonLabel", { reason: booking.reason })) : null,
  buttons.length ? h("div", { class: "row" }, ...buttons) : null,
  page.rescheduling === id && allowed.includes("reschedule") ? rescheduleForm(booking) : null);
}

/** @param {import("./sync.js").Booking} booking */
function rescheduleForm(booking) {
  const inputId = `when-${booking.id}`;
  const input = h("input", {
    id: inputId, type: "datetime-local", value: i18n.wallClock(booking.starts_at), step: "300", required: true,
    "aria-describedby": i18n.foreignZone() ? `${inputId}-zone` : undefined,
  });
  return h("form", {
    class: "reschedule",
    onsubmit: (/** @type {Event} */ event) => {
      event.preventDefault();
      const value = /** @type {HTMLInputElement} */ (input).value;
      const startsAt = i18n.fromWallClock(value);
      if (!startsAt) return;
      const length = Date.parse(booking.ends_at) - Date.parse(booking.starts_at);
      page.rescheduling = null;
      sync.reschedule(booking.id, startsAt.toISOString(), new Date(startsAt.getTime() + length).toISOString());
    },
  },
  h("label", { for: inputId }, t("newTime")), input,
  i18n.foreignZone() ? h("p", { id: `${inputId}-zone`, class: "hint" }, t("zoneNote", { zone: i18n.timeZone() })) : null,
  h("div", { class: "row" },
    h("button", { type: "submit", class: "primary", dataset: { key: `move:${booking.id}` } }, t("move")),
    h("button", {
      type: "button", onclick: () => { page.rescheduling = null; renderBookings(); },
    }, t("back"))));
}

// ------------------------------------------------------------------ account

/** Phone numbers are stored as "+digits" / "digits": the sign-in name is normalised the same way.
 * @param {string} text */
function phoneOf(text) {
  if (!/^\+?[0-9 ()./-]+$/.test(text)) return null;
  const digits = text.replace(/[^0-9]/g, "");
  if (digits.length < 6 || digits.length > 15) return null;
  return (text.startsWith("+") ? "+" : "") + digits;
}

/** @param {string} errorId @param {string} text */
function formError(errorId, text) {
  byId(errorId).textContent = text;
}

/** @param {import("./api.js").Reply} reply @param {string} errorId */
function refusal(reply, errorId) {
  if (reply.status === 429) return formError(errorId, t("tooMany", { s: retryAfter(reply.headers) }));
  if (reply.status === 401) return formError(errorId, t("wrongLogin"));
  const taken = (reply.data?.errors || []).some((/** @type {any} */ e) => e.type === "taken");
  if (taken) return formError(errorId, t("taken"));
  formError(errorId, reply.data?.detail || t("rb_gave_up"));
}

/** @param {string} path @param {object} payload @param {string} errorId */
async function authenticate(path, payload, errorId) {
  let reply;
  try {
    reply = await api.request("POST", path, { body: payload });
  } catch (error) {
    if (error instanceof NetworkError) return formError(errorId, t("unreachable"));
    throw error;
  }
  if (!reply.ok) return refusal(reply, errorId);
  formError(errorId, "");
  api.token = reply.data.token;
  page.user = reply.data.user;
  renderAccount();
  await sync.start(reply.data.user);
  if (page.chosen) byId("confirm-book").focus();
  else byId("mine-h").focus();
}

/** @param {SubmitEvent} event */
function signIn(event) {
  event.preventDefault();
  const name = /** @type {HTMLInputElement} */ (byId("signin-name")).value.trim();
  const password = /** @type {HTMLInputElement} */ (byId("signin-password")).value;
  if (!name || !password) return formError("signin-error", t("fillAll"));
  const username = name.includes("@") ? name.toLowerCase() : phoneOf(name) || name;
  void authenticate("/auth/login", { username, password }, "signin-error");
}

/** @param {SubmitEvent} event */
function signUp(event) {
  event.preventDefault();
  const name = /** @type {HTMLInputElement} */ (byId("signup-name")).value.trim();
  const email = /** @type {HTMLInputElement} */ (byId("signup-email")).value.trim();
  const phone = /** @type {HTMLInputElement} */ (byId("signup-phone")).value.trim();
  const password = /** @type {HTMLInputElement} */ (byId("signup-password")).value;
  if (!name || !password) return formError("signup-error", t("fillAll"));
  if (!email && !phone) return formError("signup-error", t("badContact"));
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return formError("signup-error", t("badEmail"));
  if (phone && !phoneOf(phone)) return formError("signup-error", t("badPhone"));
  if (password.length < 8) return formError("signup-error", t("shortPassword"));
  /** @type {Record<string, string>} */
  const payload = { name, password };
  if (email) payload.email = email;
  if (phone) payload.phone = phone;
  void authenticate("/auth/signup", payload, "signup-error");
}

async function signOut() {
  const token = api.token;
  sync.stop();
  page.user = null;
  renderAccount();
  if (token) await api.request("POST", "/auth/logout").catch(() => undefined);
  api.token = null;
  byId("signin-name").focus();
}

function renderAccount() {
  byId("signed-out").hidden = page.user !== null;
  byId("signed-in").hidden = page.user === null;
  byId("me-name").textContent = page.user?.display_name || "";
  renderConfirm();
  renderBookings();
  renderStatus();
}

/** @param {"signin" | "signup"} which */
function selectTab(which) {
  for (const name of ["signin", "signup"]) {
    const on = name === which;
    const tab = byId(`tab-${name}`);
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    byId(`form-${name}`).hidden = !on;
  }
  byId(`tab-${which}`).focus();
}

// ------------------------------------------------------------------ rollbacks

/** @param {CustomEvent} event */
function onRollback(event) {
  const { code, detail, current } = event.detail;
  const status = current ? t(`status_${current.status}`) : "";
  const known = ["slot_taken", "slot_unavailable", "version_conflict", "invalid_transition",
    "forbidden", "not_found", "gave_up"];
  const reason = known.includes(code)
    ? t(`rb_${code}`, { status }) : t("rb_invalid_request", { detail: detail || code });
  toast(`${t("rb_prefix")} ${reason}`);
  if (code === "slot_taken" || code === "slot_unavailable") void loadSlots();
}

// ------------------------------------------------------------------ start

function renderAll() {
  renderStatus();
  renderCatalog();
  renderAccount();
}

async function start() {
  const select = /** @type {HTMLSelectElement} */ (byId("lang"));
  select.value = i18n.initialLang();
  i18n.setLang(/** @type {i18n.Lang} */ (select.value));
  select.addEventListener("change", () => {
    i18n.setLang(/** @type {i18n.Lang} */ (select.value));
    renderAll();
  });
  byId("form-signin").addEventListener("submit", signIn);
  byId("form-signup").addEventListener("submit", signUp);
  byId("tab-signin").addEventListener("click", () => selectTab("signin"));
  byId("tab-signup").addEventListener("click", () => selectTab("signup"));
  byId("signed-out").querySelector("[role=tablist]")?.addEventListener("keydown", (event) => {
    const key = /** @type {KeyboardEvent} */ (event).key;
    if (key === "ArrowRight" || key === "ArrowLeft") {
      selectTab(byId("tab-signin").getAttribute("aria-selected") === "true" ? "signup" : "signin");
    }
  });
  byId("sign-out").addEventListener("click", () => void signOut());
  byId("confirm-book").addEventListener("click", book);
  byId("confirm-cancel").addEventListener("click", () => {
    page.chosen = null;
    renderSlots();
  });
  sync.addEventListener("change", () => {
    renderStatus();
    renderBookings();
  });
  sync.addEventListener("rollback", (event) => onRollback(/** @type {CustomEvent} */ (event)));
  sync.addEventListener("slots", () => void loadSlots());
  sync.addEventListener("status", (event) => {
    const booking = /** @type {CustomEvent} */ (event).detail.booking;
    if (booking.master_id !== master.id) return;
    announce(t("nowStatus", {
      service: booking.service, when: i18n.when(booking.starts_at), status: t(`status_${booking.status}`),
    }));
  });
  sync.addEventListener("signedout", () => {
    page.user = null;
    api.token = null;
    renderAccount();
    toast(t("signedOut"));
  });
  window.addEventListener("online", () => {
    if (page.loaded?.state === "failed") void loadCatalog();
    renderStatus();
  });
  window.addEventListener("offline", renderStatus);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") byId("toast").hidden = true;
  });
  body.dataset.timeZone = i18n.timeZone();
  renderAll();
  await loadCatalog();
  body.dataset.ready = "true";
  performance.mark("booking-page-ready");
}

void start();
