// The desk (a manager's workspace): the dialog list with both sorts, the R16 filters with their
// facets and search, bulk deletion, paging; the open dialog beside it (dialog.js). Live frames
// update rows in place; `resync_required` reloads both.
import { h, fill, toast, problem, CHANNEL_ICONS, debounce, time } from "/console/ui.js";
import { DialogView } from "/console/dialog.js";

const PAGE = 50;

export class Desk {
  constructor(ctx) {
    this.ctx = ctx;
    this.api = ctx.api;
    this.rows = new Map();
    this.cursor = null;
    this.selected = new Set();
    this.current = null;
    this.query = { sort: "last_activity", status: "open", q: "", responsible: [], channel: [], tags: [], no_tags: false, last_message: "", pinned_only: false, queued: false, mentioned: false };
    this.offs = [];
    this.refreshSoon = debounce(() => this.reloadList(), 400);
    this.build();
  }

  build() {
    const q = this.query;
    this.search = h("input", { type: "search", placeholder: "Search name, phone, e-mail", "aria-label": "Search dialogs", oninput: debounce(() => { q.q = this.search.value; this.reloadList(); }, 300) });
    this.sort = h(
      "select",
      { "aria-label": "Sort", onchange: () => { q.sort = this.sort.value; this.reloadList(); } },
      h("option", { value: "last_activity" }, "Last activity"),
      h("option", { value: "processing_order" }, "Processing order"),
    );
    this.filterButton = h("button", { "aria-expanded": "false", "aria-controls": "filters", onclick: () => this.toggleFilters() }, "Filters");
    this.resetButton = h("button.hidden", { id: "reset-filters", onclick: () => this.resetFilters() }, "Reset filters");
    this.selectAll = h("input", { type: "checkbox", "aria-label": "Select every dialog in the list", onchange: () => this.selectEvery(this.selectAll.checked) });
    this.actions = h("button.danger.hidden", { onclick: () => this.deleteSelected() }, "Delete selected");
    this.filters = h("div.filters.hidden", { id: "filters" });
    // A list of rows, each focusable (arrows move, Enter opens); not a listbox, because a row
    // holds its own checkbox, and an option may hold nothing interactive.
    this.list = h("ul.dialogs", { "aria-label": "Dialogs", onkeydown: (e) => this.keys(e) });
    this.more = h("div.more", {}, h("button", { onclick: () => this.page() }, "Load more"));
    this.count = h("span.muted");
    this.pane = h("section.dialog-pane", { "aria-label": "Dialog" }, h("p.empty", {}, "Choose a dialog."));
    this.el = h(
      "div.desk",
      {},
      h(
        "section.list-pane",
        { "aria-label": "Dialog list" },
        h("div.toolbar", {}, this.selectAll, this.search, this.actions, this.sort, this.filterButton),
        this.filters,
        h("div.toolbar", {}, this.count, this.resetButton),
        this.list,
        this.more,
      ),
      this.pane,
    );
  }

  open() {
    const feed = this.ctx.feed;
    if (feed) {
      const upsert = (f) => this.upsert(f.data.dialog);
      this.offs.push(
        feed.on("dialog_opened", upsert),
        feed.on("dialog_updated", upsert),
        feed.on("mention_new", (f) => this.upsert(f.data.dialog)),
        feed.on("dialog_removed", (f) => this.remove(f.data.dialog_id)),
        // R37: a scheduled message of one's own that could not be sent, wherever one is.
        feed.on("scheduled_updated", (f) => f.data.change === "failed" && toast(`A scheduled message was not sent: ${f.data.error?.message ?? "refused"}`, 10000)),
        feed.on("*", (f) => this.current?.frame(f)),
      );
    }
    this.reload();
  }

  close() {
    this.refreshSoon.cancel();
    this.offs.forEach((off) => off());
    this.current?.close();
  }

  params() {
    const q = this.query;
    if (q.mentioned) return { mentioned: "me", limit: PAGE };
    if (q.queued) return { queued: true, limit: PAGE, channel: q.channel.join(",") || undefined };
    return {
      sort: q.sort,
      status: q.status,
      q: q.q || undefined,
      responsible: q.responsible.join(",") || undefined,
      channel: q.channel.join(",") || undefined,
      tags: q.tags.join(",") || undefined,
      no_tags: q.no_tags || undefined,
      last_message: q.last_message || undefined,
      pinned_only: q.pinned_only || undefined,
      limit: PAGE,
    };
  }

  async reload() {
    await this.reloadList();
    await this.current?.reload();
  }

  /** The list again from its first page (and the facets, when shown). */
  async reloadList() {
    this.cursor = null;
    this.rows.clear();
    this.selected.clear();
    this.list.replaceChildren();
    await this.page();
    this.showFiltered();
    if (!this.filters.classList.contains("hidden")) this.loadFacets();
  }

  async page() {
    const r = await this.api.GET("/api/v1/dialogs", { query: { ...this.params(), cursor: this.cursor ?? undefined } });
    if (r.error) {
      if (r.error.code === "sort_unavailable") {
        toast("Processing order needs time limits (Administration → Time limits).");
        this.sort.value = this.query.sort = "last_activity";
        return this.reloadList();
      }
      return toast(problem(r));
    }
    for (const row of r.data.items) this.upsert(row, true);
    this.cursor = r.data.next_cursor ?? null;
    this.more.classList.toggle("hidden", !this.cursor);
    this.count.textContent = `${this.rows.size} dialog${this.rows.size === 1 ? "" : "s"} shown`;
    this.updateActions();
  }

  /** Insert or refresh a row. Under "last activity" with no filter, a row with new activity
   * moves to the top; under any other order or filter the first page is fetched again (the
   * server knows where the row now belongs). */
  upsert(row, append = false) {
    if (!row) return;
    const q = this.query;
    const state = row.status === "open" && row.snoozed_until ? "snoozed" : row.status;
    const matches = q.mentioned || q.queued || q.status === "all" || state === q.status;
    const old = this.rows.get(row.id);
    // The open dialog stays in view when it leaves the filter (closing one's own dialog, R39):
    // its row is shown as it is now, and goes at the next reload.
    const open = this.current?.id === row.id;
    if (!matches && !open) return old && this.remove(row.id);
    const li = this.rowElement(row);
    this.rows.set(row.id, { row, li });
    if (this.current?.id === row.id) this.current.row = row;
    if (append) {
      if (old) old.li.replaceWith(li);
      else this.list.append(li);
      return;
    }
    const plain = q.sort === "last_activity" && !q.q && !this.activeFilters();
    const moved = !old || old.row.last_activity_at !== row.last_activity_at;
    if (plain && moved) {
      old?.li.remove();
      this.list.prepend(li);
    } else if (old) {
      old.li.replaceWith(li);
      if (!plain && moved) this.refreshSoon();
    } else {
      this.refreshSoon();
    }
  }

  /** Put the open dialog down (after "Mark unread"): its row stays, the pane empties. */
  leave() {
    this.current?.close();
    this.current = null;
    for (const li of this.list.children) li.removeAttribute("aria-current");
    fill(this.pane, h("p.empty", {}, "Choose a dialog."));
  }

  /** The dialog left the caller's sight (reassigned away, deleted): its row and pane go. */
  remove(id) {
    const old = this.rows.get(id);
    old?.li.remove();
    this.rows.delete(id);
    this.selected.delete(id);
    if (this.current?.id === id) {
      this.current.close();
      this.current = null;
      fill(this.pane, h("p.empty", {}, "The dialog is no longer yours to see."));
    }
  }

  /** R13: only who may delete dialogs gets the checkboxes that select them. */
  mayDelete() {
    const u = this.ctx.me.user;
    return u.role === "admin" || (u.rights ?? []).includes("dialogs.delete");
  }

  rowElement(row) {
    const checked = this.selected.has(row.id);
    const box = !this.mayDelete() ? h("span") : h("input", {
      type: "checkbox",
      checked,
      "aria-label": `Select ${row.customer?.name ?? "dialog"}`,
      onclick: (e) => e.stopPropagation(),
      onchange: (e) => {
        e.target.checked ? this.selected.add(row.id) : this.selected.delete(row.id);
        this.updateActions();
      },
    });
    const last = row.draft
      ? h("div.row-last.draft", { dir: "auto" }, h("em", {}, "Draft: "), row.draft)
      : h("div.row-last", { dir: "auto" }, row.last_message ? (row.last_message.deleted ? "message deleted" : `${{ customer: "", bot: "🤖 " }[row.last_message.author_type] ?? "↪ "}${row.last_message.text ?? "📎"}`) : "");
    const unread = row.unread_count > 0 || row.marked_unread;
    return h(
      "li",
      {
        tabindex: 0,
        "aria-current": this.current?.id === row.id ? "true" : null,
        "aria-label": `${row.customer?.name ?? "Unpinned customer"}, ${row.channel?.name ?? ""}${unread ? ", unread" : ""}${row.status === "closed" ? ", closed" : ""}`,
        class: `level-${row.waiting_level ?? "none"}${row.status === "closed" ? " closed" : ""}`,
        dataset: { id: row.id },
        title: row.waiting_level !== "none" ? `Waiting: ${row.waiting_level}` : "",
        onclick: () => this.openDialog(row.id),
      },
      box,
      h("span.icon", { title: row.channel?.type, "aria-hidden": "true" }, CHANNEL_ICONS[row.channel?.type] ?? "💬"),
      h(
        "div.row-main",
        {},
        h("div.row-name", {}, row.customer?.name ?? "Unpinned customer", h("span.row-channel", {}, row.channel?.name ?? ""), row.status === "closed" ? h("span.muted", {}, " · closed") : null, row.snoozed_until ? h("span.muted", { title: `Snoozed until ${new Date(row.snoozed_until).toLocaleString()}` }, " · 💤 snoozed") : null),
        h("div", {}, (row.customer?.pinned_tags ?? []).map((t) => h(`span.tag.tag-${t.color}`, {}, t.name))),
        last,
        row.queue_position != null ? h("div.muted", {}, `Queue position ${row.queue_position}`) : null,
      ),
      h("div", {}, unread ? h("span.badge", { "aria-label": "unread" }, row.unread_count > 0 ? String(row.unread_count) : "•") : null, h("div.muted", {}, time(row.last_activity_at))),
    );
  }

  keys(e) {
    const items = [...this.list.children];
    const i = items.indexOf(document.activeElement);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = items[Math.max(0, Math.min(items.length - 1, i + (e.key === "ArrowDown" ? 1 : -1)))];
      next?.focus();
    } else if (e.key === "Enter" && i >= 0) {
      // From the keyboard, opening a dialog goes straight to its reply box.
      this.openDialog(items[i].dataset.id);
      this.current?.focusReply();
    }
  }

  async openDialog(id) {
    this.current?.close();
    for (const li of this.list.children) li.toggleAttribute("aria-current", li.dataset.id === id);
    this.current = new DialogView(this.ctx, id, this.rows.get(id)?.row, () => this.remove(id), () => this.leave());
    fill(this.pane, this.current.el);
    await this.current.reload();
  }

  selectEvery(on) {
    this.selected = new Set(on ? this.rows.keys() : []);
    for (const { li } of this.rows.values()) li.querySelector("input[type=checkbox]").checked = on;
    this.updateActions();
  }

  updateActions() {
    const may = this.mayDelete();
    this.selectAll.classList.toggle("hidden", !may);
    this.actions.classList.toggle("hidden", !may || this.selected.size === 0);
    this.search.classList.toggle("hidden", may && this.selected.size > 0);
    this.actions.textContent = `Delete ${this.selected.size} selected`;
  }

  async deleteSelected() {
    if (!confirm(`Delete ${this.selected.size} dialog(s)? Auditors keep their history.`)) return;
    const r = await this.api.POST("/api/v1/dialogs/delete", { body: { ids: [...this.selected] } });
    if (r.error) return toast(problem(r));
    for (const item of r.data.items) if (item.result === "deleted") this.remove(item.id);
    toast(`${r.data.items.filter((i) => i.result === "deleted").length} deleted`);
    this.selected.clear();
    this.updateActions();
  }

  toggleFilters() {
    const hidden = this.filters.classList.toggle("hidden");
    this.filterButton.setAttribute("aria-expanded", String(!hidden));
    if (!hidden) this.loadFacets();
  }

  /** How many filters are on: the Filters button says so, and Reset clears them (R39). */
  activeFilters() {
    const q = this.query;
    return q.responsible.length + q.channel.length + q.tags.length + (q.no_tags ? 1 : 0) + (q.last_message ? 1 : 0) + (q.pinned_only ? 1 : 0) + (q.mentioned ? 1 : 0) + (q.queued ? 1 : 0) + (q.status !== "open" ? 1 : 0);
  }

  showFiltered() {
    const n = this.activeFilters();
    this.filterButton.textContent = n ? `Filters (${n})` : "Filters";
    this.filterButton.classList.toggle("active", n > 0);
    this.resetButton.classList.toggle("hidden", n === 0);
  }

  resetFilters() {
    Object.assign(this.query, { status: "open", responsible: [], channel: [], tags: [], no_tags: false, last_message: "", pinned_only: false, queued: false, mentioned: false });
    this.tagSearch = "";
    this.reloadList();
  }

  async loadFacets() {
    const q = this.query;
    this.showFiltered();
    // The counts narrow with the list's other filters (the server leaves each facet's own out).
    const p = this.params();
    const r = await this.api.GET("/api/v1/dialogs/facets", {
      query: { status: q.status, responsible: p.responsible, channel: p.channel, tags: p.tags, no_tags: q.no_tags || undefined, last_message: p.last_message, pinned_only: q.pinned_only || undefined, q: p.q },
    });
    if (r.error) return toast(problem(r));
    const f = r.data;
    const check = (list, value, label) =>
      h("label", {}, h("input", { type: "checkbox", checked: list.includes(value), onchange: (e) => { e.target.checked ? list.push(value) : list.splice(list.indexOf(value), 1); this.reloadList(); } }), label);
    const radio = (name, value, label, current, set) =>
      h("label", {}, h("input", { type: "radio", name, checked: current === value, onchange: () => { set(value); this.reloadList(); } }), label);
    // The seed's tag filter: all / no tags set / chosen tags (AND), a search over the tags, the
    // pinned switch narrowing the list to pinned tags, chosen tags first.
    const needle = (this.tagSearch ?? "").toLowerCase();
    const shown = f.tags
      .filter((t) => q.tags.includes(t.id) || ((!q.pinned_only || t.dialogs > 0) && t.name.toLowerCase().includes(needle)))
      .sort((a, b) => Number(q.tags.includes(b.id)) - Number(q.tags.includes(a.id)));
    const tagSearch = h("input", {
      type: "search",
      id: "tag-search",
      placeholder: "Find a tag",
      "aria-label": "Find a tag",
      value: this.tagSearch ?? "",
      oninput: debounce(() => {
        this.tagSearch = tagSearch.value;
        this.loadFacets().then(() => {
          // The window is drawn anew: the search box keeps the focus, the caret at its end.
          const box = document.getElementById("tag-search");
          box?.focus();
          box?.setSelectionRange(box.value.length, box.value.length);
        });
      }, 250),
    });
    fill(
      this.filters,
      h("div.filter-bar", {}, h("span.muted", {}, this.activeFilters() ? "Filtered: the list shows only what matches." : "Showing every dialog you may see.")),
      h("fieldset", {}, h("legend", {}, "Status"), ["open", "snoozed", "closed", "all"].map((s) => radio("status", s, s, q.status, (v) => (q.status = v)))),
      h(
        "fieldset",
        {},
        h("legend", {}, "Responsible"),
        check(q.responsible, "me", "Me"),
        check(q.responsible, "unassigned", `Unassigned (${f.unassigned})`),
        f.managers.map((m) => check(q.responsible, `user:${m.id}`, `${m.name} (${m.dialogs})`)),
        (f.bots ?? []).map((b) => check(q.responsible, `bot:${b.id}`, `🤖 ${b.name} (${b.dialogs})`)),
      ),
      h("fieldset", {}, h("legend", {}, "Channels"), f.channels.map((c) => check(q.channel, c.id, `${CHANNEL_ICONS[c.type] ?? ""} ${c.name} (${c.dialogs})`))),
      h(
        "fieldset.tags",
        {},
        h("legend", {}, "Tags"),
        h("label", {}, h("input", { type: "radio", name: "tagmode", checked: !q.no_tags && !q.tags.length, onchange: () => { q.no_tags = false; q.tags.length = 0; this.reloadList(); } }), "All"),
        h("label", {}, h("input", { type: "radio", name: "tagmode", id: "no-tags", checked: q.no_tags, onchange: () => { q.no_tags = true; q.tags.length = 0; this.reloadList(); } }), "No tags set"),
        h("label.switch", {}, h("input", { type: "checkbox", role: "switch", id: "pinned-only", checked: q.pinned_only, onchange: (e) => { q.pinned_only = e.target.checked; this.reloadList(); } }), "Pinned tags only"),
        tagSearch,
        h(
          "div.tag-list",
          {},
          shown.map((t) => h("label", {}, h("input", { type: "checkbox", checked: q.tags.includes(t.id), onchange: (e) => { q.no_tags = false; e.target.checked ? q.tags.push(t.id) : q.tags.splice(q.tags.indexOf(t.id), 1); this.reloadList(); } }), h(`span.tag.tag-${t.color}`, {}, t.name), ` (${t.dialogs})`)),
          shown.length ? null : h("span.muted", {}, "No tag matches."),
        ),
      ),
      h(
        "fieldset",
        {},
        h("legend", {}, "Last message"),
        [["", "Any"], ["customer", "From the customer"], ["manager", "From us"]].map(([v, l]) => radio("last", v, l, q.last_message, (x) => (q.last_message = x))),
      ),
      h(
        "fieldset",
        {},
        h("legend", {}, "Lists"),
        h("label", {}, h("input", { type: "checkbox", checked: q.mentioned, onchange: (e) => { q.mentioned = e.target.checked; this.reloadList(); } }), "Mentioning me"),
        h("label", {}, h("input", { type: "checkbox", checked: q.queued, onchange: (e) => { q.queued = e.target.checked; this.reloadList(); } }), `Waiting in a queue (${f.queued.reduce((n, c) => n + c.dialogs, 0)})`),
      ),
    );
  }
}
