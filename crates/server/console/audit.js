// For auditors (and admins): whether the whole log verifies (a signed checkpoint can be made
// only over an intact log, R29), a dialog found by its customer's name (deleted ones too), its
// full event history with its hash links, each link checked against the event before it, and
// the latest events of the log. Authors are shown by name (R39).
import { h, fill, toast, problem, time } from "/console/ui.js";

export class Audit {
  constructor(ctx, dialogId) {
    this.api = ctx.api;
    this.status = h("div", { "aria-live": "polite" });
    this.input = h("input", { id: "audit-dialog", placeholder: "Dialog id", size: 40, value: dialogId ?? "", "aria-label": "Dialog id" });
    this.name = h("input", { id: "audit-customer", type: "search", placeholder: "Customer name", size: 30, "aria-label": "Customer name" });
    this.found = h("div");
    this.history = h("div");
    this.log = h("div");
    this.el = h(
      "div",
      {},
      h("section.panel", { "aria-label": "Verification" }, h("h3", {}, "Log integrity"), this.status, h("button", { onclick: () => this.verify() }, "Verify again")),
      h(
        "section.panel",
        { "aria-label": "Dialog history" },
        h("h3", {}, "A dialog's history"),
        h("form.inline.find", { onsubmit: (e) => { e.preventDefault(); this.find(this.name.value.trim()); } }, this.name, h("button.primary", { type: "submit" }, "Find")),
        this.found,
        h("form.inline", { onsubmit: (e) => { e.preventDefault(); this.dialog(this.input.value.trim()); } }, this.input, h("button", { type: "submit" }, "Show by id")),
        this.history,
      ),
      h("section.panel", { "aria-label": "Latest events" }, h("h3", {}, "Latest events of the log"), this.log),
    );
    this.dialogId = dialogId;
  }

  open() {
    this.verify().then(() => this.latest());
    if (this.dialogId) this.dialog(this.dialogId);
  }

  /** The dialogs of customers with this name (deleted ones too). */
  async find(name) {
    if (!name) return;
    const r = await this.api.GET("/api/audit/v1/dialogs", { query: { q: name } });
    if (r.error) return fill(this.found, h("p.error", {}, problem(r)));
    if (!r.data.items.length) return fill(this.found, h("p.muted", {}, "No customer of that name."));
    fill(
      this.found,
      h(
        "ul.found",
        {},
        r.data.items.map((d) =>
          h(
            "li",
            {},
            h("button", { onclick: () => { this.input.value = d.id; this.dialog(d.id); } }, `${d.customer_name} · ${d.channel?.name ?? ""} · ${d.deleted ? "deleted" : d.status} · ${time(d.last_activity_at)}`),
          ),
        ),
      ),
    );
  }

  async verify() {
    fill(this.status, "Verifying…");
    const r = await this.api.GET("/api/audit/v1/checkpoint", { query: { heads: false } });
    if (r.error) {
      return fill(this.status, h("p.error", { role: "alert" }, r.error.code === "log_not_intact" ? `The log does NOT verify: ${r.error.detail}` : problem(r)));
    }
    const c = r.data;
    this.head = c.position;
    fill(
      this.status,
      h("p", {}, `✔ Every hash chain verifies: ${c.events} events in ${c.streams} streams up to position ${c.position}.`),
      h("p.muted", {}, `Signed checkpoint at ${c.at} by key ${c.key_id}; root ${c.root.slice(0, 16)}…. Keep full checkpoints off this machine (docs/AUDIT.md).`),
    );
  }

  async dialog(id) {
    if (!id) return;
    const events = [];
    let cursor;
    do {
      const r = await this.api.GET("/api/audit/v1/dialogs/{id}/events", { params: { id }, query: { limit: 1000, cursor } });
      if (r.error) return fill(this.history, h("p.error", {}, r.status === 404 ? "No such dialog in the log." : problem(r)));
      events.push(...r.data.items);
      cursor = r.data.next_cursor ?? undefined;
    } while (cursor);
    fill(this.history, this.table(events, true));
  }

  /** The last 50 events: read from 50 before the verified head (the log's end), newest first. */
  async latest() {
    const head = Number.parseInt(this.head ?? "0", 10) || 0;
    const after = head > 50 ? String(head - 50) : undefined;
    const r = await this.api.GET("/api/audit/v1/events", { query: { limit: 1000, after } });
    if (r.error) return toast(problem(r));
    fill(this.log, this.table(r.data.items.slice(-50).reverse(), false));
  }

  table(events, chained) {
    return h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ["Position", "Version", "When", "Who", "Event", "Data", "Hash", "Previous", chained ? "Link" : null].filter(Boolean).map((t) => h("th", {}, t)))),
      h(
        "tbody",
        {},
        events.map((e, i) => {
          const linked = i === 0 ? /^0+$/.test(e.prev_hash) : e.prev_hash === events[i - 1].hash;
          return h(
            "tr",
            {},
            h("td", {}, e.position),
            h("td", {}, String(e.version)),
            h("td", {}, time(e.at ?? e.recorded_at)),
            h("td", { title: e.author?.id ?? "" }, e.author?.name ? `${e.author.name} (${e.author.type})` : `${e.author?.type ?? ""}${e.author?.id ? ` ${e.author.id.slice(0, 8)}` : ""}`),
            h("td", {}, `${e.type} v${e.schema_version}`),
            h("td.hash", {}, JSON.stringify(e.data).slice(0, 160)),
            h("td.hash", { title: e.hash }, e.hash.slice(0, 12)),
            h("td.hash", { title: e.prev_hash }, e.prev_hash.slice(0, 12)),
            chained ? h("td", { class: linked ? "" : "error", "aria-label": linked ? "linked" : "broken link" }, linked ? "✔" : "✘") : null,
          );
        }),
      ),
    );
  }
}
