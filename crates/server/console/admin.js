// Administration: users, groups, channels (the transport token shown once), tags, time limits,
// bots (their token shown once), quick replies. Each tab is a table and a form over the public
// API, and everything an admin creates can be edited there (R39): users' name, role, groups,
// work status and password; groups' rights; tags' name and colour, or deletion; channels'
// webhook, capabilities and own time limits; bots' rules; quick replies.
import { h, fill, toast, problem, CHANNEL_ICONS } from "/console/ui.js";

const TABS = [
  ["users", "Users"],
  ["groups", "Groups"],
  ["channels", "Channels"],
  ["tags", "Tags"],
  ["limits", "Time limits"],
  ["hours", "Hours"],
  ["bots", "Bots"],
  ["replies", "Quick replies"],
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

  /** A modal form to edit one thing: `fields` are [name, label, input, read?]; `submit` gets
   * the values read from the inputs (checkboxes give booleans, empty numbers `null`). */
  edit(title, fields, submit) {
    const read = (input) =>
      input.type === "checkbox" ? input.checked : input.multiple ? [...input.selectedOptions].map((o) => o.value) : input.type === "number" ? (input.value === "" ? null : Number(input.value)) : input.value;
    const error = h("p.error", { role: "alert" });
    const dlg = h(
      "dialog.editor",
      { "aria-label": title },
      h(
        "form",
        {
          onsubmit: async (e) => {
            e.preventDefault();
            const values = Object.fromEntries(fields.map(([name, , input, get]) => [name, (get ?? read)(input)]));
            const r = await submit(values);
            if (r?.error) return fill(error, problem(r));
            dlg.close();
            toast(`${title}: saved`);
            this.tab(this.current);
          },
        },
        h("h3", {}, title),
        fields.map(([name, label, input]) => {
          input.name = name;
          return input.type === "checkbox" ? h("label.check", {}, input, label) : h("label", {}, label, input);
        }),
        error,
        h("div.bar", {}, h("button.primary", { type: "submit" }, "Save"), " ", h("button", { type: "button", onclick: () => dlg.close() }, "Cancel")),
      ),
    );
    dlg.addEventListener("close", () => dlg.remove());
    document.body.append(dlg);
    dlg.showModal();
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
              h(
                "td",
                {},
                h("button", { "aria-label": `Edit ${u.login}`, onclick: () => this.editUser(u, groups.data?.items ?? []) }, "Edit"),
                " ",
                h("button", { onclick: async () => { const r = await this.api.PATCH("/api/v1/users/{id}", { params: { id: u.id }, body: { active: !u.active } }); if (r.error) toast(problem(r)); this.tab("users"); } }, u.active ? "Deactivate" : "Activate"),
              ),
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

  editUser(u, groups) {
    this.edit(
      `User ${u.login}`,
      [
        ["name", "Name", h("input", { value: u.name, required: true })],
        ["role", "Role", h("select", {}, ["manager", "chat_admin", "admin", "auditor"].map((r) => h("option", { selected: r === u.role }, r)))],
        ["group_ids", "Groups", h("select", { multiple: true }, groups.map((g) => h("option", { value: g.id, selected: u.group_ids.includes(g.id) }, g.name)))],
        ["work_status", "Work status", h("select", {}, ["free", "busy", "lunch", "break"].map((w) => h("option", { selected: w === u.work_status }, w)))],
        ["password", "New password (empty: unchanged; their sessions end)", h("input", { type: "password", minlength: 8, autocomplete: "new-password" })],
      ],
      (v) => {
        const body = { name: v.name, role: v.role, group_ids: v.group_ids, work_status: v.work_status };
        if (v.password) body.password = v.password;
        return this.api.PATCH("/api/v1/users/{id}", { params: { id: u.id }, body });
      },
    );
  }

  async groups() {
    const groups = await this.api.GET("/api/v1/groups");
    return [
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, h("th", {}, "Group"), h("th", {}, "Rights"), h("th", {}, ""))),
        h(
          "tbody",
          {},
          (groups.data?.items ?? []).map((g) =>
            h(
              "tr",
              {},
              h("td", {}, g.name),
              h("td", {}, g.rights.join(", ")),
              h(
                "td",
                {},
                h("button", {
                  "aria-label": `Edit group ${g.name}`,
                  onclick: () =>
                    this.edit(
                      `Group ${g.name}`,
                      [
                        ["name", "Name", h("input", { value: g.name, required: true })],
                        ["rights", "Rights", h("select", { multiple: true }, RIGHTS.map((r) => h("option", { selected: g.rights.includes(r) }, r)))],
                      ],
                      (v) => this.api.PATCH("/api/v1/groups/{id}", { params: { id: g.id }, body: v }),
                    ),
                }, "Edit"),
              ),
            ),
          ),
        ),
      ),
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

  /** A channel's name, webhook, the capabilities a shop changes, and its own time limit. */
  editChannel(c, limits) {
    const caps = c.capabilities;
    const own = limits?.channels?.[c.id];
    const check = (name, label) => [name, label, h("input", { type: "checkbox", checked: !!caps[name] })];
    this.edit(
      `Channel ${c.name}`,
      [
        ["name", "Name", h("input", { value: c.name, required: true })],
        ["webhook_url", "Webhook URL (empty: none)", h("input", { type: "url", value: c.webhook_url ?? "" })],
        ["text_max_len", "Longest text", h("input", { type: "number", min: 1, max: 2000, value: caps.text_max_len })],
        ["reply_window_s", "Reply window in seconds (empty: none)", h("input", { type: "number", min: 1, value: caps.reply_window_s ?? "" })],
        check("editing", "Messages can be edited"),
        check("deleting", "Messages can be deleted"),
        check("delivered_status", "Reports delivered"),
        check("read_status", "Reports read"),
        check("reactions", "Carries reactions"),
        ["warning_after", "Own time limit: warning after (s, empty: the default)", h("input", { type: "number", min: 10, step: 10, value: own?.warning_after ?? "" })],
        ["limit", "Own time limit: limit (s)", h("input", { type: "number", min: 10, step: 10, value: own?.limit ?? "" })],
        ["away_text", "Away reply outside working hours (empty: none)", h("textarea", { maxlength: 2000, dir: "auto", value: c.away_text ?? "" })],
      ],
      async (v) => {
        const capabilities = { text_max_len: v.text_max_len, reply_window_s: v.reply_window_s, editing: v.editing, deleting: v.deleting, delivered_status: v.delivered_status, read_status: v.read_status, reactions: v.reactions };
        const r = await this.api.PATCH("/api/v1/channels/{id}", { params: { id: c.id }, body: { name: v.name, webhook_url: v.webhook_url || null, settings: { capabilities }, away_text: v.away_text.trim() ? v.away_text : null } });
        if (r.error) return r;
        const channels = { ...(limits?.channels ?? {}) };
        if (v.warning_after != null && v.limit != null) channels[c.id] = { warning_after: v.warning_after, limit: v.limit };
        else delete channels[c.id];
        if (JSON.stringify(channels) === JSON.stringify(limits?.channels ?? {})) return r;
        return this.api.PUT("/api/v1/settings/time-limits", { body: { default: limits?.default ?? null, channels } });
      },
    );
  }

  async channels() {
    const [channels, limits] = await Promise.all([this.api.GET("/api/v1/channels"), this.api.GET("/api/v1/settings/time-limits")]);
    return [
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ["", "Name", "Type", "Webhook", "Text up to", "Files", ""].map((t) => h("th", {}, t)))),
        h(
          "tbody",
          {},
          (channels.data?.items ?? []).map((c) =>
            h(
              "tr",
              {},
              h("td", {}, CHANNEL_ICONS[c.type] ?? ""),
              h("td", {}, c.name),
              h("td", {}, c.type),
              h("td", {}, c.webhook_url ?? "—"),
              h("td", {}, String(c.capabilities.text_max_len)),
              h("td", {}, String(c.capabilities.max_attachments)),
              h("td", {}, h("button", { "aria-label": `Edit channel ${c.name}`, onclick: () => this.editChannel(c, limits.data) }, "Edit")),
            ),
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
      h(
        "ul.admin-tags",
        {},
        (tags.data?.items ?? []).map((t) =>
          h(
            "li",
            {},
            h(`span.tag.tag-${t.color}`, {}, t.name),
            " ",
            h("button", {
              "aria-label": `Edit tag ${t.name}`,
              onclick: () =>
                this.edit(
                  `Tag ${t.name}`,
                  [
                    ["name", "Name", h("input", { value: t.name, required: true })],
                    ["color", "Colour", h("select", {}, COLORS.map((c) => h("option", { selected: c === t.color }, c)))],
                  ],
                  (v) => this.api.PATCH("/api/v1/tags/{id}", { params: { id: t.id }, body: v }),
                ),
            }, "Edit"),
            " ",
            h("button.danger", {
              "aria-label": `Delete tag ${t.name}`,
              onclick: async () => {
                if (!confirm(`Delete the tag ${t.name}? It leaves every customer.`)) return;
                const r = await this.api.DELETE("/api/v1/tags/{id}", { params: { id: t.id } });
                if (r.error) return toast(problem(r));
                this.tab("tags");
              },
            }, "Delete"),
          ),
        ),
      ),
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

  /** R37: the shop's hours. Each day is a list of periods, "09:00-13:00, 14:00-18:00". */
  async hours() {
    const r = await this.api.GET("/api/v1/settings/calendar");
    const cal = r.data?.calendar;
    const days = [["mon", "Monday"], ["tue", "Tuesday"], ["wed", "Wednesday"], ["thu", "Thursday"], ["fri", "Friday"], ["sat", "Saturday"], ["sun", "Sunday"]];
    const text = (periods) => (periods ?? []).map((p) => `${p.from}-${p.to}`).join(", ");
    const parse = (s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
        .map((x) => {
          const [from, to] = x.split("-").map((t) => t.trim());
          return { from, to };
        });
    const state = !cal ? "No calendar: the shop counts as always open (no away replies)." : r.data.open ? `Open now${r.data.closes_at ? `, until ${new Date(r.data.closes_at).toLocaleString()}` : ""}.` : `Closed now${r.data.opens_at ? `; opens ${new Date(r.data.opens_at).toLocaleString()}` : ""}.`;
    const inputs = {
      time_zone: h("input", { required: true, value: cal?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC", "aria-label": "Time zone" }),
      holidays: h("input", { value: (cal?.holidays ?? []).join(", "), placeholder: "2026-12-25, 2027-01-01", "aria-label": "Holidays" }),
      working_hours_only: h("input", { type: "checkbox", checked: !!cal?.working_hours_only }),
    };
    const dayInputs = Object.fromEntries(days.map(([k, label]) => [k, h("input", { value: text(cal?.week?.[k] ?? (cal ? [] : k === "sat" || k === "sun" ? [] : [{ from: "09:00", to: "18:00" }])), placeholder: "closed", "aria-label": `${label} hours` })]));
    const save = async (e) => {
      e.preventDefault();
      const week = Object.fromEntries(days.map(([k]) => [k, parse(dayInputs[k].value)]));
      const holidays = inputs.holidays.value.split(",").map((d) => d.trim()).filter(Boolean);
      const put = await this.api.PUT("/api/v1/settings/calendar", { body: { time_zone: inputs.time_zone.value.trim(), week, holidays, channels: cal?.channels ?? {}, working_hours_only: inputs.working_hours_only.checked } });
      if (put.error) return toast(problem(put));
      toast("Hours saved");
      this.tab("hours");
    };
    return [
      h("p", { role: "status" }, state),
      h(
        "form.hours",
        { onsubmit: save },
        h("label", {}, "Time zone (IANA, e.g. Europe/Berlin)", inputs.time_zone),
        days.map(([k, label]) => h("label", {}, label, dayInputs[k])),
        h("label", {}, "Holidays (dates, comma-separated)", inputs.holidays),
        h("label.check", {}, inputs.working_hours_only, "Time limits count working hours only"),
        h("p.muted", {}, "A day's periods as 09:00-13:00, 14:00-18:00; empty is closed. Away replies are set per channel."),
        h("div.bar", {}, h("button.primary", { type: "submit" }, "Save hours"), " ", cal ? h("button", { type: "button", onclick: async () => { const d = await this.api.DELETE("/api/v1/settings/calendar"); if (d.error) toast(problem(d)); this.tab("hours"); } }, "Remove calendar") : null),
      ),
    ];
  }

  async bots() {
    const bots = await this.api.GET("/api/v1/bots");
    return [
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, h("th", {}, "Bot"), h("th", {}, "Active"), h("th", {}, "Channels with rules"), h("th", {}, ""))),
        h(
          "tbody",
          {},
          (bots.data?.items ?? []).map((b) =>
            h(
              "tr",
              {},
              h("td", {}, b.name),
              h("td", {}, b.active ? "yes" : "no"),
              h("td", {}, String(b.distribution.length)),
              h(
                "td",
                {},
                h("button", {
                  "aria-label": `Edit bot ${b.name}`,
                  onclick: () =>
                    this.edit(
                      `Bot ${b.name}`,
                      [
                        ["name", "Name", h("input", { value: b.name, required: true })],
                        ["active", "Active", h("input", { type: "checkbox", checked: b.active })],
                        ["distribution", "Distribution rules (R18, one object per channel; the server says what is wrong)", h("textarea", { rows: 10, cols: 60 }, JSON.stringify(b.distribution, null, 2)), (t) => t.value],
                      ],
                      (v) => {
                        let distribution;
                        try {
                          distribution = JSON.parse(v.distribution);
                        } catch (e) {
                          return { error: { detail: `the rules are not JSON: ${e.message}`, code: "malformed_json" } };
                        }
                        return this.api.PATCH("/api/v1/bots/{id}", { params: { id: b.id }, body: { name: v.name, active: v.active, distribution } });
                      },
                    ),
                }, "Edit"),
              ),
            ),
          ),
        ),
      ),
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

  async replies() {
    const replies = await this.api.GET("/api/v1/quick-replies");
    return [
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ["Name", "Text", "Shared", "Used", ""].map((t) => h("th", {}, t)))),
        h(
          "tbody",
          {},
          (replies.data?.items ?? []).map((q) =>
            h(
              "tr",
              {},
              h("td", {}, q.name),
              h("td", { dir: "auto" }, q.text),
              h("td", {}, q.shared ? "yes" : "personal"),
              h("td", {}, String(q.uses ?? 0)),
              h(
                "td",
                {},
                h("button", {
                  "aria-label": `Edit quick reply ${q.name}`,
                  onclick: () =>
                    this.edit(
                      `Quick reply ${q.name}`,
                      [
                        ["name", "Name", h("input", { value: q.name, required: true })],
                        ["text", "Text", h("textarea", { rows: 4, cols: 50 }, q.text), (t) => t.value],
                      ],
                      (v) => this.api.PATCH("/api/v1/quick-replies/{id}", { params: { id: q.id }, body: v }),
                    ),
                }, "Edit"),
                " ",
                h("button.danger", {
                  "aria-label": `Delete quick reply ${q.name}`,
                  onclick: async () => {
                    if (!confirm(`Delete the quick reply ${q.name}?`)) return;
                    const r = await this.api.DELETE("/api/v1/quick-replies/{id}", { params: { id: q.id } });
                    if (r.error) return toast(problem(r));
                    this.tab("replies");
                  },
                }, "Delete"),
              ),
            ),
          ),
        ),
      ),
      h("h3", {}, "New quick reply"),
      this.form(
        [
          ["name", "Name", h("input", { required: true })],
          ["text", "Text", h("input", { required: true, size: 50 })],
          ["shared", "Shared with the team", h("select", {}, h("option", { value: "true" }, "yes"), h("option", { value: "false" }, "personal"))],
        ],
        (v) => this.api.POST("/api/v1/quick-replies", { body: { ...v, shared: v.shared === "true" } }),
        "Create quick reply",
      ),
    ];
  }
}
