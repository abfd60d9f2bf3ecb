// Administration: users, groups, channels (the transport token shown once), tags, time limits,
// bots (their token shown once). Each tab is a table and a form over the public API.
import { h, fill, toast, problem, CHANNEL_ICONS } from "/console/ui.js";

const TABS = [
  ["users", "Users"],
  ["groups", "Groups"],
  ["channels", "Channels"],
  ["tags", "Tags"],
  ["limits", "Time limits"],
  ["bots", "Bots"],
];
const COLORS = ["red", "orange", "yellow", "lime", "green", "teal", "cyan", "blue", "indigo", "purple", "pink", "grey"];
const CHANNEL_TYPES = Object.keys(CHANNEL_ICONS);
const RIGHTS = ["dialogs.delete", "dialogs.view_all", "settings.manage", "quick_replies.manage_shared"];

export class Admin {
  constructor(ctx) {
    this.api = ctx.api;
    this.body = h("div");
    this.secret = h("div");
    this.tabs = h("div.toolbar", { role: "tablist" }, TABS.map(([id, label]) => h("button", { role: "tab", dataset: { tab: id }, onclick: () => this.tab(id) }, label)));
    this.el = h("div.panel", {}, this.tabs, this.secret, this.body);
  }

  open() {
    this.tab("users");
  }

  reload() {
    return this.tab(this.current ?? "users");
  }

  async tab(id) {
    this.current = id;
    for (const b of this.tabs.children) b.setAttribute("aria-selected", String(b.dataset.tab === id));
    fill(this.body, await this[id]());
  }

  /** A secret shown once (a transport or bot token). */
  once(what, value) {
    fill(this.secret, h("div.secret", { role: "alert" }, `${what} (shown once, copy it now): `, h("code", {}, value)));
  }

  form(fields, submit, label) {
    const inputs = {};
    const el = h(
      "form.inline",
      {
        onsubmit: async (e) => {
          e.preventDefault();
          const values = Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.multiple ? [...i.selectedOptions].map((o) => o.value) : i.type === "number" ? Number(i.value) : i.value]));
          const r = await submit(values);
          if (r?.error) return toast(problem(r));
          this.tab(this.current);
        },
      },
      fields.map(([name, text, input]) => {
        inputs[name] = input;
        input.name = name;
        return h("label", {}, text, input);
      }),
      h("button.primary", { type: "submit" }, label),
    );
    return el;
  }

  async users() {
    const [users, groups] = await Promise.all([this.api.GET("/api/v1/users"), this.api.GET("/api/v1/groups")]);
    const names = new Map((groups.data?.items ?? []).map((g) => [g.id, g.name]));
    return [
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ["Login", "Name", "Role", "Groups", "Status", "Active", ""].map((t) => h("th", {}, t)))),
        h(
          "tbody",
          {},
          (users.data?.items ?? []).map((u) =>
            h(
              "tr",
              {},
              h("td", {}, u.login),
              h("td", {}, u.name),
              h("td", {}, u.role),
              h("td", {}, u.group_ids.map((g) => names.get(g) ?? g).join(", ")),
              h("td", {}, `${u.work_status}${u.online ? " · online" : ""}`),
              h("td", {}, u.active ? "yes" : "no"),
              h("td", {}, h("button", { onclick: async () => { const r = await this.api.PATCH("/api/v1/users/{id}", { params: { id: u.id }, body: { active: !u.active } }); if (r.error) toast(problem(r)); this.tab("users"); } }, u.active ? "Deactivate" : "Activate")),
            ),
          ),
        ),
      ),
      h("h3", {}, "New user"),
      this.form(
        [
          ["login", "Login", h("input", { required: true })],
          ["name", "Name", h("input", { required: true })],
          ["password", "Password", h("input", { type: "password", required: true, minlength: 8 })],
          ["role", "Role", h("select", {}, ["manager", "chat_admin", "admin", "auditor"].map((r) => h("option", {}, r)))],
          ["group_ids", "Groups", h("select", { multiple: true }, (groups.data?.items ?? []).map((g) => h("option", { value: g.id }, g.name)))],
        ],
        (v) => this.api.POST("/api/v1/users", { body: v }),
        "Create user",
      ),
    ];
  }

  async groups() {
    const groups = await this.api.GET("/api/v1/groups");
    return [
      h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Group"), h("th", {}, "Rights"))), h("tbody", {}, (groups.data?.items ?? []).map((g) => h("tr", {}, h("td", {}, g.name), h("td", {}, g.rights.join(", ")))))),
      h("h3", {}, "New group"),
      this.form(
        [
          ["name", "Name", h("input", { required: true })],
          ["rights", "Rights", h("select", { multiple: true }, RIGHTS.map((r) => h("option", {}, r)))],
        ],
        (v) => this.api.POST("/api/v1/groups", { body: v }),
        "Create group",
      ),
    ];
  }

  async channels() {
    const channels = await this.api.GET("/api/v1/channels");
    return [
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ["", "Name", "Type", "Webhook", "Text up to", "Files"].map((t) => h("th", {}, t)))),
        h(
          "tbody",
          {},
          (channels.data?.items ?? []).map((c) =>
            h("tr", {}, h("td", {}, CHANNEL_ICONS[c.type] ?? ""), h("td", {}, c.name), h("td", {}, c.type), h("td", {}, c.webhook_url ?? "—"), h("td", {}, String(c.capabilities.text_max_len)), h("td", {}, String(c.capabilities.max_attachments))),
          ),
        ),
      ),
      h("h3", {}, "New channel"),
      this.form(
        [
          ["name", "Name", h("input", { required: true })],
          ["type", "Type", h("select", {}, CHANNEL_TYPES.map((t) => h("option", {}, t)))],
          ["webhook_url", "Webhook URL (optional)", h("input", { type: "url" })],
        ],
        async (v) => {
          const r = await this.api.POST("/api/v1/channels", { body: { ...v, webhook_url: v.webhook_url || null } });
          if (r.data) this.once(`Transport token of ${r.data.name}`, r.data.transport_token);
          return r;
        },
        "Register channel",
      ),
    ];
  }

  async tags() {
    const tags = await this.api.GET("/api/v1/tags");
    return [
      h("div.chips", {}, (tags.data?.items ?? []).map((t) => h(`span.tag.tag-${t.color}`, {}, t.name))),
      h("h3", {}, "New tag"),
      this.form(
        [
          ["name", "Name", h("input", { required: true })],
          ["color", "Colour", h("select", {}, COLORS.map((c) => h("option", {}, c)))],
        ],
        (v) => this.api.POST("/api/v1/tags", { body: v }),
        "Create tag",
      ),
    ];
  }

  async limits() {
    const limits = await this.api.GET("/api/v1/settings/time-limits");
    const d = limits.data?.default;
    return [
      h("p", {}, d ? `Every channel: warning after ${d.warning_after} s, limit ${d.limit} s.` : "No default time limit: processing order is not available."),
      Object.keys(limits.data?.channels ?? {}).length ? h("p.muted", {}, `${Object.keys(limits.data.channels).length} channel(s) have their own limits.`) : null,
      this.form(
        [
          ["warning_after", "Warning after (s)", h("input", { type: "number", min: 10, step: 10, value: d?.warning_after ?? 300, required: true })],
          ["limit", "Limit (s)", h("input", { type: "number", min: 10, step: 10, value: d?.limit ?? 600, required: true })],
        ],
        (v) => this.api.PUT("/api/v1/settings/time-limits", { body: { default: v, channels: limits.data?.channels ?? {} } }),
        "Save",
      ),
    ];
  }

  async bots() {
    const bots = await this.api.GET("/api/v1/bots");
    return [
      h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Bot"), h("th", {}, "Active"), h("th", {}, "Channels with rules"))), h("tbody", {}, (bots.data?.items ?? []).map((b) => h("tr", {}, h("td", {}, b.name), h("td", {}, b.active ? "yes" : "no"), h("td", {}, String(b.distribution.length)))))),
      h("h3", {}, "New bot"),
      this.form(
        [["name", "Name", h("input", { required: true })]],
        async (v) => {
          const r = await this.api.POST("/api/v1/bots", { body: v });
          if (r.data?.token) this.once(`Token of bot ${r.data.name}`, r.data.token);
          return r;
        },
        "Create bot",
      ),
    ];
  }
}
