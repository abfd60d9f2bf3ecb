// R37 in a dialog: snooze (in the header), the shop's next opening, and messages scheduled for
// later (under the composer). The server decides; this only offers what it allows and says why.
import { h, fill, toast, problem } from "/console/ui.js";

export const when = (iso) =>
  new Date(iso).toLocaleString([], { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

/** Snooze choices: in an hour, in three, tomorrow at 09:00, next Monday at 09:00. */
function presets(now = new Date()) {
  const at9 = (days) => {
    const d = new Date(now);
    d.setDate(d.getDate() + days);
    d.setHours(9, 0, 0, 0);
    return d;
  };
  const monday = (8 - now.getDay()) % 7 || 7;
  return [
    ["In 1 hour", new Date(now.getTime() + 3600e3)],
    ["In 3 hours", new Date(now.getTime() + 3 * 3600e3)],
    ["Tomorrow 09:00", at9(1)],
    ["Next Monday 09:00", at9(monday)],
  ];
}

/** The header's part: "snoozed until" with a way back, or a way to snooze an open dialog. */
export function snoozeControls(view, allowed, why) {
  const d = view.detail;
  const done = async (r, text) => {
    if (r.error) return toast(problem(r));
    toast(text);
    view.reload();
  };
  const shop = d.shop_opens_at ? h("span.muted.shop", {}, `Shop closed · opens ${when(d.shop_opens_at)}`) : null;
  if (d.snoozed_until) {
    return [
      h("span.badge.snoozed", {}, `💤 Snoozed until ${when(d.snoozed_until)}`),
      h("button", { disabled: !allowed, title: allowed ? null : why, onclick: async () => done(await view.api.DELETE("/api/v1/dialogs/{id}/snooze", { params: { id: view.id } }), "Back in the open list") }, "Wake now"),
      shop,
    ];
  }
  if (d.status !== "open") return shop;
  const choices = presets();
  const select = h("select", { "aria-label": "Snooze until", disabled: !allowed }, choices.map(([label], i) => h("option", { value: String(i) }, label)));
  const snooze = async () => {
    const until = choices[Number(select.value)][1].toISOString();
    done(await view.api.POST("/api/v1/dialogs/{id}/snooze", { params: { id: view.id }, body: { until } }), `Snoozed until ${when(until)}`);
  };
  return [select, h("button", { disabled: !allowed, title: allowed ? null : why, onclick: snooze }, "Snooze"), shop];
}

/** A value for `<input type="datetime-local">`: local time, to the minute. */
function localInput(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Under the composer: "send later" for what is typed, and the dialog's scheduled messages. */
export class Later {
  constructor(view) {
    this.view = view;
    this.list = h("ul.scheduled", { "aria-label": "Scheduled messages" });
    this.when = h("input", { type: "datetime-local", "aria-label": "Send at", value: localInput(new Date(Date.now() + 3600e3)) });
    this.el = h(
      "details.later",
      {},
      h("summary", {}, "🕘 Send later"),
      h("div.bar", {}, this.when, h("button", { onclick: () => this.schedule() }, "Schedule")),
      this.list,
    );
  }

  async load() {
    const r = await this.view.api.GET("/api/v1/dialogs/{id}/scheduled", { params: { id: this.view.id } });
    const items = r.data?.items ?? [];
    if (items.some((s) => s.status === "pending" || s.status === "failed")) this.el.open = true;
    fill(
      this.list,
      items
        .filter((s) => s.status !== "cancelled")
        .map((s) =>
          h(
            `li.scheduled-${s.status}`,
            {},
            h("span", { dir: "auto" }, s.template ? `Template ${s.template.code}` : s.text || `${s.attachments.length} file(s)`),
            h("span.muted", {}, ` · ${s.status === "pending" ? `at ${when(s.send_at)}` : s.status}`),
            s.error ? h("span.error", { role: "alert" }, ` · not sent: ${s.error.message}`) : null,
            s.status === "pending" ? [" ", h("button", { "aria-label": "Cancel scheduled message", onclick: () => this.cancel(s) }, "Cancel")] : null,
          ),
        ),
    );
  }

  async schedule() {
    const v = this.view;
    if (v.noteMode?.checked) return toast("Notes are not scheduled: switch off “Internal note”.");
    const text = v.textarea.value;
    if (!text.trim() && !v.files.length) return toast("Write the message to send later first.");
    const at = new Date(this.when.value);
    if (Number.isNaN(at.getTime())) return toast("Choose when to send it.");
    const r = await v.api.POST("/api/v1/dialogs/{id}/scheduled", {
      params: { id: v.id },
      body: { send_at: at.toISOString(), text, attachment_ids: v.files.map((f) => f.id) },
    });
    if (r.error) return toast(problem(r));
    toast(`Scheduled for ${when(r.data.send_at)}`);
    v.clearComposer();
    this.load();
  }

  async cancel(s) {
    const r = await this.view.api.DELETE("/api/v1/dialogs/{id}/scheduled/{schedule_id}", { params: { id: this.view.id, schedule_id: s.id } });
    if (r.error) toast(problem(r));
    this.load();
  }
}
