// @ts-check
/** English and German strings, and dates and prices in the chosen language. */

/** @typedef {"en" | "de"} Lang */

/** @type {Record<Lang, Record<string, string>>} */
const STRINGS = {
  en: {
    skip: "Skip to content",
    bookWith: "Book with",
    language: "Language",
    connecting: "Connecting…",
    loading: "Loading…",
    services: "Services",
    noServices: "Online booking is not set up yet. Please contact {name} directly.",
    noServicesListed: "{name} offers no services online at the moment.",
    catalogFailed: "The services could not be loaded. Retrying when the connection is back.",
    chooseService: "Choose a service to see the free times.",
    freeTimes: "Free times for {service}",
    noSlots: "No free times in the next two weeks.",
    days: "Days",
    zoneNote: "Times are in {zone}.",
    minutes: "{n} min",
    book: "Book",
    back: "Back",
    confirmBook: "Book {service} on {when}?",
    signInFirst: "Sign in or create an account to book {service} on {when}.",
    account: "Your account",
    signIn: "Sign in",
    signUp: "Create account",
    login: "Email, phone or user name",
    password: "Password",
    name: "Your name",
    email: "Email",
    phone: "Phone",
    contactHint: "At least one of the two. You sign in with the email, else the phone number. We send no messages.",
    newPassword: "Password (at least 8 characters)",
    signedInAs: "Signed in as",
    signOut: "Sign out",
    myBookings: "My bookings",
    signInToSee: "Sign in to see your bookings.",
    noBookings: "No bookings with {name} yet.",
    cancel: "Cancel",
    reschedule: "Reschedule",
    move: "Move",
    newTime: "New start time",
    sending: "Sending…",
    queued: "Waiting to be sent",
    status_pending: "Pending",
    status_confirmed: "Confirmed",
    status_in_progress: "In progress",
    status_completed: "Completed",
    status_cancelled: "Cancelled",
    status_declined: "Declined",
    status_no_show: "No-show",
    status_expired: "Expired",
    reasonLabel: "Reason: {reason}",
    live: "Live · last sync {time}",
    online: "Online",
    updating: "Updating… · last sync {time}",
    polling: "Checking every {s} s · last sync {time}",
    offline: "Offline · last sync {time}",
    never: "never",
    offlineBanner: "You are offline. Changes are kept and sent when you are back.",
    offlineBannerCount_one: "You are offline. 1 change will be sent when you are back.",
    offlineBannerCount_other: "You are offline. {n} changes will be sent when you are back.",
    booked: "Booked {service} on {when}: waiting for {name} to confirm.",
    nowStatus: "{service} on {when} is now {status}.",
    cancelled: "Cancellation sent.",
    rb_slot_taken: "Sorry, that time was just taken by someone else. The free times are updated.",
    rb_slot_unavailable: "That time is not free. The free times are updated.",
    rb_version_conflict: "The booking was changed in the meantime; you see its current state.",
    rb_invalid_transition: "That is no longer possible: the booking is now {status}.",
    rb_forbidden: "You are not allowed to do that.",
    rb_not_found: "That booking no longer exists.",
    rb_invalid_request: "The server refused it: {detail}",
    rb_gave_up: "The server did not accept the change. Please try again.",
    rb_prefix: "Your change was undone.",
    wrongLogin: "Wrong sign-in name or password.",
    tooMany: "Too many attempts. Please wait {s} s.",
    unreachable: "The server cannot be reached. Please try again.",
    fillAll: "Please fill in every field.",
    shortPassword: "The password needs at least 8 characters.",
    taken: "An account with this sign-in name exists: sign in instead.",
    badContact: "Please enter an email address, a phone number or both.",
    badEmail: "This is not an email address.",
    badPhone: "This is not a phone number (6 to 15 digits).",
    signedOut: "You were signed out. Please sign in again.",
    dismiss: "Dismiss",
  },
  de: {
    skip: "Zum Inhalt springen",
    bookWith: "Termin buchen bei",
    language: "Sprache",
    connecting: "Verbinde…",
    loading: "Lädt…",
    services: "Leistungen",
    noServices: "Online-Buchung ist noch nicht eingerichtet. Bitte wenden Sie sich direkt an {name}.",
    noServicesListed: "{name} bietet zurzeit keine Leistungen online an.",
    catalogFailed: "Die Leistungen konnten nicht geladen werden. Neuer Versuch, sobald die Verbindung steht.",
    chooseService: "Wählen Sie eine Leistung, um freie Zeiten zu sehen.",
    freeTimes: "Freie Zeiten für {service}",
    noSlots: "In den nächsten zwei Wochen ist nichts frei.",
    days: "Tage",
    zoneNote: "Zeiten in {zone}.",
    minutes: "{n} Min.",
    book: "Buchen",
    back: "Zurück",
    confirmBook: "{service} am {when} buchen?",
    signInFirst: "Melden Sie sich an oder legen Sie ein Konto an, um {service} am {when} zu buchen.",
    account: "Ihr Konto",
    signIn: "Anmelden",
    signUp: "Konto anlegen",
    login: "E-Mail, Telefon oder Benutzername",
    password: "Passwort",
    name: "Ihr Name",
    email: "E-Mail",
    phone: "Telefon",
    contactHint: "Mindestens eines von beiden. Sie melden sich mit der E-Mail an, sonst mit der Telefonnummer. Wir senden keine Nachrichten.",
    newPassword: "Passwort (mindestens 8 Zeichen)",
    signedInAs: "Angemeldet als",
    signOut: "Abmelden",
    myBookings: "Meine Termine",
    signInToSee: "Melden Sie sich an, um Ihre Termine zu sehen.",
    noBookings: "Noch keine Termine bei {name}.",
    cancel: "Stornieren",
    reschedule: "Verschieben",
    move: "Verschieben",
    newTime: "Neue Anfangszeit",
    sending: "Wird gesendet…",
    queued: "Wartet auf Senden",
    status_pending: "Angefragt",
    status_confirmed: "Bestätigt",
    status_in_progress: "Läuft",
    status_completed: "Abgeschlossen",
    status_cancelled: "Storniert",
    status_declined: "Abgelehnt",
    status_no_show: "Nicht erschienen",
    status_expired: "Verfallen",
    reasonLabel: "Grund: {reason}",
    live: "Live · zuletzt synchronisiert {time}",
    online: "Online",
    updating: "Aktualisiere… · zuletzt synchronisiert {time}",
    polling: "Prüfe alle {s} s · zuletzt synchronisiert {time}",
    offline: "Offline · zuletzt synchronisiert {time}",
    never: "nie",
    offlineBanner: "Sie sind offline. Änderungen bleiben erhalten und werden gesendet, sobald Sie wieder online sind.",
    offlineBannerCount_one: "Sie sind offline. 1 Änderung wird gesendet, sobald Sie wieder online sind.",
    offlineBannerCount_other: "Sie sind offline. {n} Änderungen werden gesendet, sobald Sie wieder online sind.",
    booked: "{service} am {when} gebucht: wartet auf Bestätigung durch {name}.",
    nowStatus: "{service} am {when} ist jetzt: {status}.",
    cancelled: "Stornierung gesendet.",
    rb_slot_taken: "Diese Zeit wurde gerade von jemand anderem gebucht. Die freien Zeiten sind aktualisiert.",
    rb_slot_unavailable: "Diese Zeit ist nicht frei. Die freien Zeiten sind aktualisiert.",
    rb_version_conflict: "Der Termin wurde inzwischen geändert; Sie sehen den aktuellen Stand.",
    rb_invalid_transition: "Das ist nicht mehr möglich: Der Termin ist jetzt „{status}“.",
    rb_forbidden: "Das dürfen Sie nicht.",
    rb_not_found: "Diesen Termin gibt es nicht mehr.",
    rb_invalid_request: "Der Server hat abgelehnt: {detail}",
    rb_gave_up: "Der Server hat die Änderung nicht angenommen. Bitte versuchen Sie es erneut.",
    rb_prefix: "Ihre Änderung wurde zurückgenommen.",
    wrongLogin: "Anmeldename oder Passwort falsch.",
    tooMany: "Zu viele Versuche. Bitte warten Sie {s} s.",
    unreachable: "Der Server ist nicht erreichbar. Bitte versuchen Sie es erneut.",
    fillAll: "Bitte füllen Sie alle Felder aus.",
    shortPassword: "Das Passwort braucht mindestens 8 Zeichen.",
    taken: "Ein Konto mit diesem Anmeldenamen gibt es schon: Bitte melden Sie sich an.",
    badContact: "Bitte geben Sie eine E-Mail-Adresse, eine Telefonnummer oder beides ein.",
    badEmail: "Das ist keine E-Mail-Adresse.",
    badPhone: "Das ist keine Telefonnummer (6 bis 15 Ziffern).",
    signedOut: "Sie wurden abgemeldet. Bitte melden Sie sich erneut an.",
    dismiss: "Schließen",
  },
};

/** @type {Lang} */
let current = "en";
/** The zone times are shown in (the master's once known); undefined: the browser's. */
/** @type {string | undefined} */
let zone;

/** @param {string | null} timeZone */
export function setTimeZone(timeZone) {
  zone = timeZone || undefined;
}

/** Whether times are shown in a zone other than the browser's own. */
export function foreignZone() {
  return zone !== undefined && zone !== Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function timeZone() {
  return zone || Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The language asked for in `?lang=`, else the browser's first English or German one. */
export function initialLang() {
  const asked = new URLSearchParams(location.search).get("lang");
  for (const tag of [asked, ...navigator.languages]) {
    const base = (tag || "").slice(0, 2).toLowerCase();
    if (base === "en" || base === "de") return /** @type {Lang} */ (base);
  }
  return "en";
}

/** @param {Lang} lang */
export function setLang(lang) {
  current = lang;
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = t(/** @type {HTMLElement} */ (el).dataset.i18n || "");
  }
}

export function lang() {
  return current;
}

/**
 * @param {string} key
 * @param {Record<string, string | number>} [vars]
 */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

/** The plural form of `key` for `n` (`key_one`, `key_other`, …).
 * @param {string} key @param {number} n @param {Record<string, string | number>} [vars] */
export function plural(key, n, vars = {}) {
  const form = new Intl.PluralRules(current).select(n);
  const chosen = `${key}_${form}` in STRINGS[current] ? `${key}_${form}` : `${key}_other`;
  return t(chosen, { n, ...vars });
}

/** @param {string} iso */
export function when(iso) {
  return new Intl.DateTimeFormat(current, {
    weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit",
    timeZone: zone,
  }).format(new Date(iso));
}

/** @param {string} iso */
export function day(iso) {
  return new Intl.DateTimeFormat(current, {
    weekday: "long", day: "numeric", month: "long", timeZone: zone,
  }).format(new Date(iso));
}

/** A short day label for the day picker ("Tue 8"). @param {string} iso */
export function shortDay(iso) {
  return new Intl.DateTimeFormat(current, { weekday: "short", day: "numeric", timeZone: zone })
    .format(new Date(iso));
}

/** YYYY-MM-DD of an instant in the shown zone. @param {string | number} at */
export function dayKey(at) {
  return new Intl.DateTimeFormat("en-CA", {
    year: "numeric", month: "2-digit", day: "2-digit", timeZone: zone,
  }).format(new Date(at));
}

/** @param {string} iso */
export function clock(iso) {
  return new Intl.DateTimeFormat(current, { hour: "numeric", minute: "2-digit", timeZone: zone })
    .format(new Date(iso));
}

/** The wall-clock minutes of the shown zone at an instant, as "YYYY-MM-DDTHH:MM" (for
 * datetime-local inputs). @param {string} iso */
export function wallClock(iso) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23", timeZone: zone,
  }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The instant at which the shown zone's clock reads `local` ("YYYY-MM-DDTHH:MM"), or null.
 * @param {string} local */
export function fromWallClock(local) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const [y, mo, d, h, mi] = match.slice(1).map(Number);
  const wanted = Date.UTC(y, mo - 1, d, h, mi);
  // Guess, then correct by the zone's offset at the guess (twice: across a DST change).
  let at = wanted;
  for (let i = 0; i < 2; i += 1) {
    const shown = Date.parse(`${wallClock(new Date(at).toISOString())}:00Z`);
    at += wanted - shown;
  }
  return new Date(at);
}

/** @param {Date | null} at */
export function syncTime(at) {
  if (!at) return t("never");
  return new Intl.DateTimeFormat(current, { hour: "2-digit", minute: "2-digit", second: "2-digit" })
    .format(at);
}

/**
 * @param {number} minor
 * @param {string} currency
 */
export function price(minor, currency) {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency })
    .resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(current, { style: "currency", currency })
    .format(minor / 10 ** digits);
}
