// The live feed (GET /api/v1/ws) as a client should hold it: every frame once, in order,
// across dropped connections.
//
// - It remembers the position and part of the last frame it delivered and reconnects with
//   `since=<position>&part=<part>`, so frames missed while disconnected arrive on reconnection.
//   One change can make several frames at one position (`message_new` part 0, then
//   `dialog_updated` part 1): a connection cut between them resumes with the rest. A frame at
//   or before the last one delivered (a replay overlap) is dropped, never delivered twice.
//   Frames without a part (typing, presence, a waiting level crossed) are live only: always
//   delivered, never a point to resume from.
// - It reconnects with exponential back-off and jitter (reset once a connection opens).
// - On `resync_required` (the server no longer has what was missed, or this client fell too far
//   behind) it calls `onResync(position)` and waits for it: reload what you show, reading with
//   `min_position` = that position; then it resumes from there.
// - 4401 `session_ended` stops it (log in again: `onClosed`); 4403 `access_changed`
//   reconnects at once, to see what the user may see now.
// - Pings are answered by the WebSocket implementation (browsers and Node do).
import { comparePositions } from "./position.js";

export const SESSION_ENDED = 4401;
export const ACCESS_CHANGED = 4403;

export class Feed {
  #url;
  #token;
  #WS;
  #backoff;
  #handlers = new Map();
  #socket = null;
  #position;
  /** The part of the last frame delivered at `#position` (`null`: all of that change). */
  #part = null;
  #attempt = 0;
  #timer = null;
  #running = false;
  #resyncing = false;
  #onResync;
  #onClosed;
  #onState;

  constructor({ baseUrl, token, since = null, WebSocket: WS = globalThis.WebSocket, backoff = {}, onResync, onClosed, onState } = {}) {
    if (!baseUrl || !token) throw new TypeError("Feed: baseUrl and token are required");
    if (!WS) throw new TypeError("Feed: no WebSocket implementation (pass one)");
    this.#url = baseUrl.replace(/^http/, "ws").replace(/\/$/, "") + "/api/v1/ws";
    this.#token = token;
    this.#WS = WS;
    this.#position = since;
    this.#backoff = { initialMs: 250, maxMs: 15000, ...backoff };
    this.#onResync = onResync ?? (async () => {});
    this.#onClosed = onClosed ?? (() => {});
    this.#onState = onState ?? (() => {});
  }

  /** The position of the last frame delivered: resume point and `min_position` for reads. */
  get position() {
    return this.#position;
  }

  get connected() {
    return this.#socket?.readyState === 1;
  }

  /** Call `handler(frame)` for frames of `type` ("*": every frame); returns an unsubscribe. */
  on(type, handler) {
    if (!this.#handlers.has(type)) this.#handlers.set(type, new Set());
    this.#handlers.get(type).add(handler);
    return () => this.#handlers.get(type)?.delete(handler);
  }

  start() {
    if (this.#running) return this;
    this.#running = true;
    this.#connect();
    return this;
  }

  stop() {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#socket?.close(1000);
    this.#socket = null;
  }

  /** Drop the current connection as a network failure would (the feed reconnects). */
  drop() {
    this.#socket?.close(4000, "dropped by the client");
  }

  #connect() {
    if (!this.#running) return;
    const url = new URL(this.#url);
    url.searchParams.set("token", this.#token);
    if (this.#position != null) {
      url.searchParams.set("since", this.#position);
      if (this.#part != null) url.searchParams.set("part", String(this.#part));
    }
    const ws = new this.#WS(url.toString());
    this.#socket = ws;
    this.#onState("connecting");
    ws.onopen = () => {
      this.#attempt = 0;
      this.#onState("open");
    };
    ws.onmessage = (event) => {
      if (this.#socket !== ws) return;
      let frame;
      try {
        frame = JSON.parse(typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data));
      } catch {
        return;
      }
      this.#receive(ws, frame);
    };
    ws.onclose = (event) => {
      if (this.#socket !== ws) return;
      this.#socket = null;
      this.#onState("closed");
      if (!this.#running || this.#resyncing) return;
      if (event.code === SESSION_ENDED) {
        this.#running = false;
        this.#onClosed(event.code, event.reason);
        return;
      }
      this.#retry(event.code === ACCESS_CHANGED ? 0 : undefined);
    };
    ws.onerror = () => {};
  }

  #receive(ws, frame) {
    if (frame.type === "resync_required") {
      this.#resync(ws, frame.position ?? null);
      return;
    }
    if (frame.position != null && frame.part != null) {
      const order = this.#position == null ? 1 : comparePositions(frame.position, this.#position);
      const seen = order < 0 || (order === 0 && (this.#part == null || frame.part <= this.#part));
      if (seen) return;
      this.#position = frame.position;
      this.#part = frame.part;
    }
    for (const key of [frame.type, "*"]) {
      for (const handler of this.#handlers.get(key) ?? []) handler(frame);
    }
  }

  async #resync(ws, position) {
    this.#resyncing = true;
    this.#socket = null;
    ws.close(1000);
    let reloaded = false;
    try {
      await this.#onResync(position);
      reloaded = true;
    } catch {
      // The reload failed: keep the old position, so the server asks again after the back-off.
    }
    this.#resyncing = false;
    if (reloaded && position != null) {
      this.#position = position;
      this.#part = null;
    }
    this.#retry(reloaded ? 0 : undefined);
  }

  #retry(delay) {
    if (!this.#running) return;
    const { initialMs, maxMs } = this.#backoff;
    const wait = delay ?? Math.min(maxMs, initialMs * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
    this.#attempt += 1;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#connect(), wait);
  }
}
