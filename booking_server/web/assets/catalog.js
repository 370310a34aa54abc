// @ts-check
/** The master's services and free times, from the public availability API. A server without that
 * API (or a master with no services) is told apart from a network failure, so the page can say
 * which it is. */

/**
 * @typedef {{id: string, name: string, duration_minutes: number, price_minor: number | null,
 *   currency: string | null, active: boolean}} Service
 * @typedef {{starts_at: string, ends_at: string}} Slot
 * @typedef {{state: "ok", services: Service[], timeZone: string | null}
 *   | {state: "missing"} | {state: "failed"}} Loaded
 */

const DAYS = 14;

export class Catalog {
  /** @param {import("./api.js").Api} api @param {string} masterId */
  constructor(api, masterId) {
    this.api = api;
    this.masterId = masterId;
    /** @type {string | null} */
    this.timeZone = null;
  }

  /** @returns {Promise<Loaded>} */
  async load() {
    try {
      const id = encodeURIComponent(this.masterId);
      const [master, services] = await Promise.all([
        this.api.request("GET", `/masters/${id}`),
        this.api.request("GET", `/masters/${id}/services`),
      ]);
      if (services.status === 404 || services.status === 405) return { state: "missing" };
      if (!services.ok) return { state: "failed" };
      this.timeZone = master.ok ? master.data.time_zone || null : null;
      const list = /** @type {Service[]} */ (services.data.services || []);
      return { state: "ok", services: list.filter((s) => s.active !== false), timeZone: this.timeZone };
    } catch {
      return { state: "failed" };
    }
  }

  /** The free times of the next two weeks (dates in the master's zone), or null on failure.
   * @param {string} serviceId @returns {Promise<Slot[] | null>} */
  async slots(serviceId) {
    const now = Date.now();
    const from = this.#date(now);
    const to = this.#date(now + (DAYS - 1) * 86400000);
    const query = new URLSearchParams({ service: serviceId, from, to });
    try {
      const reply = await this.api.request(
        "GET", `/masters/${encodeURIComponent(this.masterId)}/availability?${query}`,
      );
      return reply.ok ? /** @type {Slot[]} */ (reply.data.slots) : null;
    } catch {
      return null;
    }
  }

  /** YYYY-MM-DD of an instant in the master's time zone (the browser's when unknown).
   * @param {number} at */
  #date(at) {
    const options = /** @type {Intl.DateTimeFormatOptions} */ ({
      year: "numeric", month: "2-digit", day: "2-digit",
    });
    if (this.timeZone) options.timeZone = this.timeZone;
    return new Intl.DateTimeFormat("en-CA", options).format(at);
  }
}
