import type { components } from "./frames.js";

/** One frame of the feed: `{type, data, position, part}`. */
export type Frame = components["schemas"]["Frame"];
export type FrameType = Frame["type"];
/** The frame of one type, with its `data` typed. */
export type FrameOf<T extends FrameType> = Extract<Frame, { type: T }>;

export const SESSION_ENDED: 4401;
export const ACCESS_CHANGED: 4403;

export interface FeedOptions {
  /** Where chatd listens (`http(s)://…`; the feed uses `ws(s)://…/api/v1/ws`). */
  baseUrl: string;
  token: string;
  /** Resume after this position (e.g. from an earlier session). */
  since?: string | null;
  /** A WebSocket constructor (default: the global one). */
  WebSocket?: typeof globalThis.WebSocket;
  /** Reconnection back-off: first delay and cap, in ms (jittered; default 250 and 15000). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** `resync_required`: reload what you show (reads with `min_position` = `position`), then resolve. */
  onResync?: (position: string | null) => Promise<void> | void;
  /** The server ended the session (4401): log in again. */
  onClosed?: (code: number, reason: string) => void;
  onState?: (state: "connecting" | "open" | "closed") => void;
}

export class Feed {
  constructor(options: FeedOptions);
  /** The position of the last frame delivered (the resume point). */
  readonly position: string | null;
  readonly connected: boolean;
  on<T extends FrameType>(type: T, handler: (frame: FrameOf<T>) => void): () => void;
  on(type: "*", handler: (frame: Frame) => void): () => void;
  start(): this;
  stop(): void;
  /** Drop the connection as a network failure would; the feed reconnects and resumes. */
  drop(): void;
}
