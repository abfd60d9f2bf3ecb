// A small typed fetch wrapper over chatd's REST API (types: client.d.ts, from schema.d.ts).
// Every answer is `{ data, error, status, response }`: `data` on 2xx, `error` (the problem
// document, with its stable `code`) otherwise. Read-your-writes: the client remembers the
// highest `position` any write answered and sends it as `min_position` on the reads that take
// it and on every write (R38), so a read or a write after a write sees that write, on any node.
import { MIN_POSITION_PATHS } from "./operations.js";
import { laterPosition } from "./position.js";

export function createClient({ baseUrl, token = null, fetch: doFetch = globalThis.fetch.bind(globalThis), readYourWrites = true } = {}) {
  if (!baseUrl) throw new TypeError("createClient: baseUrl is required");
  const base = baseUrl.replace(/\/$/, "");
  let bearer = token;
  let minPosition = null;

  async function request(method, path, { params = {}, query = {}, body, headers = {}, signal } = {}) {
    const url = new URL(
      base +
        path.replace(/\{(\w+)\}/g, (_, name) => {
          if (params[name] == null) throw new TypeError(`${path}: missing path parameter ${name}`);
          return encodeURIComponent(String(params[name]));
        }),
    );
    const q = { ...query };
    const takesIt = method === "GET" ? MIN_POSITION_PATHS.has(path) : method !== "HEAD" && method !== "OPTIONS";
    if (readYourWrites && minPosition && takesIt && q.min_position == null) {
      q.min_position = minPosition;
    }
    for (const [k, v] of Object.entries(q)) {
      if (v == null) continue;
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
    }
    const h = { ...headers };
    if (bearer && !h.authorization) h.authorization = `Bearer ${bearer}`;
    let payload;
    if (body !== undefined) {
      if (typeof Blob !== "undefined" && body instanceof Blob) {
        payload = body;
        h["content-type"] ??= body.type || "application/octet-stream";
      } else {
        payload = JSON.stringify(body);
        h["content-type"] = "application/json";
      }
    }
    const response = await doFetch(url, { method, headers: h, body: payload, signal });
    const type = response.headers.get("content-type") ?? "";
    const parsed = type.includes("json") ? await response.json().catch(() => null) : null;
    if (!response.ok) return { data: undefined, error: parsed ?? { status: response.status, code: "unknown" }, status: response.status, response };
    if (parsed && typeof parsed.position === "string") minPosition = laterPosition(minPosition, parsed.position);
    return { data: parsed ?? undefined, error: undefined, status: response.status, response };
  }

  return {
    GET: (path, init) => request("GET", path, init),
    POST: (path, init) => request("POST", path, init),
    PUT: (path, init) => request("PUT", path, init),
    PATCH: (path, init) => request("PATCH", path, init),
    DELETE: (path, init) => request("DELETE", path, init),
    /** The highest position a write answered (sent as `min_position` on later reads). */
    get minPosition() {
      return minPosition;
    },
    /** Count a position seen elsewhere (e.g. a feed frame) as already written. */
    observe(position) {
      minPosition = laterPosition(minPosition, position);
    },
    get token() {
      return bearer;
    },
    setToken(t) {
      bearer = t;
    },
    /** Log in and keep the token for later calls. */
    async logIn(login, password) {
      const r = await request("POST", "/api/v1/auth/login", { body: { login, password } });
      if (r.data) bearer = r.data.token;
      return r;
    },
  };
}
