// @ts-check
/** The REST client: one `request` that adds the bearer token (kept in this object only, never in
 * storage), If-Match, If-None-Match and Idempotency-Key, and tells a network failure (thrown
 * `NetworkError`) from an answer (returned, whatever its status). */

export const API = "/api/v1";
const TIMEOUT_MS = 15000;

export class NetworkError extends Error {}

/**
 * @typedef {{status: number, ok: boolean, data: any, headers: Headers}} Reply
 * @typedef {{body?: unknown, ifMatch?: number, ifNoneMatch?: number, key?: string}} RequestOptions
 */

export class Api {
  constructor() {
    /** @type {string | null} */
    this.token = null;
  }

  /**
   * @param {string} method
   * @param {string} path  under /api/v1
   * @param {RequestOptions} [options]
   * @returns {Promise<Reply>}
   */
  async request(method, path, options = {}) {
    /** @type {Record<string, string>} */
    const headers = { Accept: "application/json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (options.ifMatch !== undefined) headers["If-Match"] = `"${options.ifMatch}"`;
    if (options.ifNoneMatch !== undefined) headers["If-None-Match"] = `"${options.ifNoneMatch}"`;
    if (options.key) headers["Idempotency-Key"] = options.key;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(API + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: abort.signal,
        cache: "no-store",
        credentials: "omit",
      });
      let data = null;
      if (response.status !== 204 && response.status !== 304) {
        const text = await response.text();
        data = text ? safeJson(text) : null;
      }
      return { status: response.status, ok: response.ok, data, headers: response.headers };
    } catch (error) {
      throw new NetworkError(String(error));
    } finally {
      clearTimeout(timer);
    }
  }
}

/** @param {string} text */
function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A fresh Idempotency-Key: 128 random bits (getRandomValues works outside secure contexts too,
 * unlike randomUUID: a page served over plain http on a LAN address). */
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Seconds from a Retry-After header (at least 1). @param {Headers} headers */
export function retryAfter(headers) {
  const value = Number(headers.get("Retry-After"));
  return Number.isFinite(value) && value > 0 ? value : 1;
}
