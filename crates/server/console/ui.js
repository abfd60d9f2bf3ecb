// Small DOM helpers: elements are built with `h`, never from HTML strings, so nothing a
// customer writes can become markup.

/** Script errors and blocked loads, kept for the browser test (and for whoever opens devtools). */
export const errors = (window.chatdConsole ??= { errors: [] }).errors;
addEventListener("error", (e) => errors.push(`error: ${e.message}`));
addEventListener("unhandledrejection", (e) => errors.push(`unhandled: ${e.reason}`));
document.addEventListener("securitypolicyviolation", (e) => errors.push(`CSP: ${e.violatedDirective} ${e.blockedURI}`));

/** h("button.primary", {onclick}, "Send") → <button class="primary">Send</button> */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split(".");
  const el = document.createElement(tag || "div");
  if (classes.length) el.className = classes.join(" ");
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = [el.className, v].filter(Boolean).join(" ");
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k in el && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function toast(text, ms = 5000) {
  const t = h("div.toast", {}, text);
  document.getElementById("toasts").append(t);
  setTimeout(() => t.remove(), ms);
}

/** The problem document of a failed call as one line. */
export function problem(answer) {
  const e = answer?.error;
  return e ? `${e.detail ?? e.title ?? "failed"} (${e.code ?? answer.status})` : "";
}

export const CHANNEL_ICONS = {
  telegram: "✈️", whatsapp_qr: "🟢", whatsapp_business: "💼", facebook: "📘", instagram: "📸", livechat: "💬", custom: "🔌",
};

/** The seed's delivery marks: a watch while queued, one tick delivered, two ticks read, a red
 * cross with the reason when it failed. `sent` (handed to a channel that reports no more) is
 * one pale tick. */
export const STATUS_MARKS = {
  queued: ["⌚", "queued: waiting to go out"], sent: ["✓", "sent to the channel"], delivered: ["✓", "delivered, not read yet"], read: ["✓✓", "read"], failed: ["✕", "not delivered"],
};

/** Why a message failed, as a sentence a manager can act on. */
export function failureSentence(error) {
  const known = {
    network_error: "Not delivered: the channel's integration could not be reached.",
    rejected_by_integration: "Not delivered: the channel's integration refused it.",
    not_responsible: "Not delivered: the dialog is no longer yours.",
    customer_blocked: "Not delivered: the customer is blocked.",
    reply_window_closed: "Not delivered: the channel's reply window had closed.",
  };
  return known[error?.code] ?? `Not delivered: ${error?.message || error?.code || "the channel reported an error"}.`;
}

export function time(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : d.toLocaleString([], { dateStyle: "short", timeStyle: "short" });
}

export function actorName(a) {
  if (!a) return "";
  return a.name ?? (a.type === "customer" ? "Customer" : a.type === "system" ? "chatd" : a.type);
}

/** Debounce `fn` by `ms`. */
export function debounce(fn, ms) {
  let t;
  const d = (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
  d.flush = (...args) => {
    clearTimeout(t);
    return fn(...args);
  };
  d.cancel = () => clearTimeout(t);
  return d;
}

/** Images of the API need the bearer token: fetch once, show from a blob: URL. */
const blobs = new Map();
export async function imageUrl(api, fileId, preview = true) {
  const key = `${fileId}:${preview}`;
  if (!blobs.has(key)) {
    blobs.set(
      key,
      (async () => {
        const r = await fetch(`/api/v1/files/${fileId}${preview ? "/preview" : ""}`, { headers: { authorization: `Bearer ${api.token}` } });
        if (!r.ok) throw new Error(String(r.status));
        return URL.createObjectURL(await r.blob());
      })(),
    );
  }
  return blobs.get(key);
}

/** Download a file with the token (a link cannot carry it). */
export async function download(api, file) {
  const r = await fetch(`/api/v1/files/${file.file_id ?? file.id}`, { headers: { authorization: `Bearer ${api.token}` } });
  if (!r.ok) return toast(`Download failed (${r.status})`);
  const url = URL.createObjectURL(await r.blob());
  const a = h("a", { href: url, download: file.name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
