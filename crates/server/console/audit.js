// For auditors (and admins): whether the whole log verifies (a signed checkpoint can be made
// only over an intact log, R29), and any dialog's full event history with its hash links,
// each link checked against the event before it.
import { h, fill, toast, problem, time } from "/console/ui.js";

export class Audit {
  constructor(ctx, dialogId) {
    this.api = ctx.api;
    this.status = h("div", { "aria-live": "polite" });
    this.input = h("input", { id: "audit-dialog", placeholder: "Dialog id", size: 40, value: dialogId ?? "", "aria-label": "Dialog id" });
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
        h("form.inline", { onsubmit: (e) => { e.preventDefault(); this.dialog(this.input.value.trim()); } }, this.input, h("button.primary", { type: "submit" }, "Show")),
        this.history,
      ),
      h("section.panel", { "aria-label": "Latest events" }, h("h3", {}, "Latest events of the log"), this.log),
    );
    this.dialogId = dialogId;
  }

  open() {
    this.verify();
    if (this.dialogId) this.dialog(this.dialogId);
    this.latest();
  }

  async verify() {
    fill(this.status, "Verifying…");
    const r = await this.api.GET("/api/audit/v1/checkpoint", { query: { heads: false } });
    if (r.error) {
      return fill(this.status, h("p.error", { role: "alert" }, r.error.code === "log_not_intact" ? `The log does NOT verify: ${r.error.detail}` : problem(r)));
    }
    const c = r.data;
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

  async latest() {
    const r = await this.api.GET("/api/audit/v1/events", { query: { limit: 1000 } });
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
            h("td", {}, `${e.author?.type ?? ""}${e.author?.id ? ` ${e.author.id.slice(0, 8)}` : ""}`),
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
