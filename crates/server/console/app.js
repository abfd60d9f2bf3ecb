// The console's entry: log in, the header (tabs, the R5 counter), the live feed, and the three
// workspaces: the desk (managers), administration (admins), the audit view (auditors, admins).
// It uses the public API and the TypeScript client's modules like any other client.
import { createClient, Feed } from "/console/lib/index.js";
import { h, fill, toast, problem } from "/console/ui.js";
import { Desk } from "/console/desk.js";
import { Admin } from "/console/admin.js";
import { Audit } from "/console/audit.js";
import { Reports } from "/console/reports.js";

const root = document.getElementById("app");
const api = createClient({ baseUrl: location.origin });
const session = { me: null, feed: null, view: null, counter: null, desk: null };

function logIn(message = "") {
  const login = h("input", { id: "login", name: "login", autocomplete: "username", required: true });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const error = h("p.error", { role: "alert" }, message);
  const form = h(
    "form.login",
    {
      onsubmit: async (e) => {
        e.preventDefault();
        const r = await api.logIn(login.value, password.value);
        if (r.error) return fill(error, r.status === 401 ? "Wrong login or password." : problem(r));
        sessionStorage.setItem("chatd.token", r.data.token);
        if ("Notification" in window && Notification.permission === "default") Notification.requestPermission().catch(() => {});
        start();
      },
    },
    h("h1", {}, "chatd"),
    h("label", {}, "Login", login),
    h("label", {}, "Password", password),
    h("button.primary", { type: "submit" }, "Log in"),
    error,
  );
  fill(root, form);
  login.focus();
}

async function start() {
  const token = sessionStorage.getItem("chatd.token");
  if (!token) return logIn();
  api.setToken(token);
  const me = await api.GET("/api/v1/me");
  if (me.error) {
    sessionStorage.removeItem("chatd.token");
    return logIn(me.status === 401 ? "" : problem(me));
  }
  session.me = me.data;
  const role = me.data.user.role;
  const tabs = [];
  if (role !== "auditor") tabs.push(["desk", "Dialogs"]);
  if (role !== "auditor") tabs.push(["reports", "Reports"]);
  if (role === "admin" || role === "chat_admin") tabs.push(["admin", "Administration"]);
  if (role === "admin" || role === "auditor") tabs.push(["audit", "Audit"]);
  session.counter = h("span.counter", { title: "Unread dialogs", "aria-label": "unread dialogs" });
  session.conn = h("span.connection", { id: "connection", role: "status" }, role === "auditor" ? "" : "Connecting…");
  setCounter(me.data.unread_dialogs);
  const nav = h("nav", { "aria-label": "Workspaces" }, tabs.map(([id, label]) => h("button", { dataset: { view: id }, onclick: () => show(id) }, label)));
  const main = h("main", { id: "main" });
  fill(
    root,
    h(
      "header.top",
      {},
      h("h1.brand", {}, "chatd"),
      nav,
      h("span.spacer"),
      role !== "auditor" ? session.conn : null,
      role !== "auditor" ? session.counter : null,
      h("span", {}, me.data.user.name),
      h("button", { onclick: logOut }, "Log out"),
    ),
    main,
  );
  session.main = main;
  session.nav = nav;
  if (role !== "auditor") startFeed();
  show(tabs[0][0]);
}

/** R39: the connection's state is always visible; offline, nothing typed is sent or lost. */
function setConnection(state) {
  const live = state === "open";
  session.everLive ||= live;
  document.body.classList.toggle("offline", !live && session.everLive);
  session.conn.textContent = live ? "● Live" : session.everLive ? "Offline: reconnecting…" : "Connecting…";
  session.conn.classList.toggle("down", !live && session.everLive);
}

function setCounter(n) {
  if (!session.counter) return;
  session.counter.textContent = String(n);
  session.counter.classList.toggle("zero", n === 0);
  document.title = n ? `(${n}) chatd console` : "chatd console";
}

function show(view, arg) {
  for (const b of session.nav.querySelectorAll("button")) b.setAttribute("aria-current", b.dataset.view === view ? "page" : "false");
  session.view?.close?.();
  const ctx = { api, me: session.me, feed: session.feed, show };
  session.view = view === "desk" ? (session.desk = new Desk(ctx)) : view === "admin" ? new Admin(ctx) : view === "reports" ? new Reports(ctx) : new Audit(ctx, arg);
  fill(session.main, session.view.el);
  session.view.open?.();
}

function startFeed() {
  session.feed?.stop();
  const feed = new Feed({
    baseUrl: location.origin,
    token: api.token,
    onResync: async (position) => {
      api.observe(position);
      await session.view?.reload?.();
    },
    onClosed: () => {
      sessionStorage.removeItem("chatd.token");
      logIn("Your session ended: log in again.");
    },
    onState: setConnection,
  });
  feed.on("unread_count", (f) => setCounter(f.data.dialogs));
  feed.on("message_new", (f) => {
    if (f.data.unread_dialogs != null) setCounter(f.data.unread_dialogs);
    const m = f.data.message;
    if (m?.author?.type === "customer") notify(m);
  });
  feed.on("mention_new", (f) => toast(`📝 ${f.data.note?.by?.name ?? "A colleague"} mentioned you: ${f.data.note?.text ?? ""}`, 10000));
  session.feed = feed;
  feed.start();
}

/** R17/seed: a new customer message shows a notification with its text. */
function notify(m) {
  const text = m.text ?? (m.attachments?.length ? "📎 attachment" : "");
  const who = m.author?.name ?? "Customer";
  if ("Notification" in window && Notification.permission === "granted" && document.hidden) {
    new Notification(`New message from ${who}`, { body: text });
  }
  toast(`${who}: ${text}`);
}

async function logOut() {
  await api.POST("/api/v1/auth/logout");
  session.feed?.stop();
  session.view?.close?.();
  sessionStorage.removeItem("chatd.token");
  api.setToken(null);
  logIn();
}

start();
