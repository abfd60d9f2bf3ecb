// The seed's block of interaction with the customer, beside the dialog (R39): contacts, the
// source with its UTM fields, tags to add, pin and remove, and the customer's orders. A dialog
// whose customer was unpinned, or that the user sees only through a mention, shows why there
// is no card.
import { h, fill, toast, problem, CHANNEL_ICONS, time } from "/console/ui.js";

let tags = null;
function tagsOf(api) {
  tags ??= api.GET("/api/v1/tags").then((r) => r.data?.items ?? []);
  return tags;
}

/** Forget the cached tag list (an admin created one). */
export function forgetTags() {
  tags = null;
}

const UTM = ["source", "medium", "campaign", "content", "term"];

export class CustomerCard {
  /** `changed`: called after a change, to reload the dialog. */
  constructor(api, changed) {
    this.api = api;
    this.changed = changed;
    this.el = h("aside.card", { "aria-label": "Customer" });
  }

  async render(detail) {
    const c = detail.customer_card;
    if (!c) {
      const why = detail.customer
        ? "You see this dialog through a mention: the customer's card stays with who handles it."
        : "The customer is unpinned from this dialog: only the chat's contact is known.";
      return fill(this.el, h("h2", {}, "Customer"), h("p.muted", {}, why), detail.external_chat_id ? h("p", {}, `Chat: ${detail.external_chat_id}`) : null);
    }
    const [all, orders] = await Promise.all([tagsOf(this.api), this.api.GET("/api/v1/orders").then((r) => r.data?.items ?? [])]);
    const utm = UTM.filter((k) => c.source?.utm?.[k]).map((k) => h("div", {}, h("span.muted", {}, `utm_${k}: `), c.source.utm[k]));
    const held = new Set(c.tags.map((t) => t.id));
    const addable = all.filter((t) => !held.has(t.id));
    const adder = h(
      "select",
      { id: "card-add-tag", "aria-label": "Add a tag", onchange: () => this.addTag(c.id, adder.value) },
      h("option", { value: "" }, "+ Add a tag"),
      addable.map((t) => h("option", { value: t.id }, t.name)),
    );
    const mine = orders.filter((o) => o.customer_id === c.id);
    fill(
      this.el,
      h("h2", {}, c.name),
      c.blocked ? h("p.warning-box", {}, "Blocked") : null,
      h(
        "dl.contacts",
        {},
        c.phone ? [h("dt", {}, "Phone"), h("dd", { dir: "auto" }, c.phone)] : null,
        c.email ? [h("dt", {}, "E-mail"), h("dd", { dir: "auto" }, c.email)] : null,
        [h("dt", {}, "Contact"), h("dd", { dir: "auto" }, c.external_id)],
      ),
      h("h3", {}, "Source"),
      h("div.source", {}, h("div", {}, `${CHANNEL_ICONS[c.source?.channel_type] ?? ""} ${c.source?.channel_type ?? "unknown"}`), utm.length ? utm : h("div.muted", {}, "no UTM fields")),
      h("h3", {}, "Tags"),
      h(
        "ul.card-tags",
        {},
        c.tags.map((t) =>
          h(
            "li",
            {},
            h(`span.tag.tag-${t.color}`, {}, t.pinned ? `📌 ${t.name}` : t.name),
            " ",
            h("button", { "aria-label": `${t.pinned ? "Unpin" : "Pin"} tag ${t.name}`, "aria-pressed": String(t.pinned), onclick: () => this.setTag(c.id, t.id, !t.pinned) }, "📌"),
            h("button", { "aria-label": `Remove tag ${t.name}`, onclick: () => this.removeTag(c.id, t.id) }, "✕"),
          ),
        ),
      ),
      addable.length ? adder : null,
      h("h3", {}, "Orders"),
      mine.length ? h("ul.orders", {}, mine.map((o) => h("li", {}, `${o.status} · ${time(o.created_at)}`))) : h("p.muted", {}, "No orders yet."),
    );
  }

  async addTag(customer, tag) {
    if (!tag) return;
    await this.setTag(customer, tag, false);
  }

  async setTag(customer, tag_id, pinned) {
    const r = await this.api.POST("/api/v1/customers/{id}/tags", { params: { id: customer }, body: { tag_id, pinned } });
    if (r.error) return toast(problem(r));
    this.changed();
  }

  async removeTag(customer, tag) {
    const r = await this.api.DELETE("/api/v1/customers/{id}/tags/{tag_id}", { params: { id: customer, tag_id: tag } });
    if (r.error) return toast(problem(r));
    this.changed();
  }
}
