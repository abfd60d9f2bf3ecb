// One dialog: its header and actions (reassign, close, mark unread, block, unpin, attachments,
// history), the timeline (quotes, attachments with previews, statuses, system entries, notes,
// edits, deletions, reactions), and the typing area (2000-character counter, quote, files by
// paperclip or drag and drop within the channel's limits, quick replies, templates, notes,
// a draft kept on the server as you type).
import { snoozeControls, Later } from "/console/later.js";
import { h, fill, toast, problem, CHANNEL_ICONS, STATUS_MARKS, failureSentence, time, actorName, debounce, imageUrl, download } from "/console/ui.js";
import { CustomerCard } from "/console/card.js";

/** A few everyday emoji for the insert button (the seed's "Emoji insert"). */
const EMOJI = ["🙂", "😊", "👍", "🙏", "❤️", "🎉", "😉", "👋", "✅", "📦", "🚚", "⏰"];

const MAX_TEXT = 2000;
let channels = null;
let users = null;

async function channelsOf(api) {
  channels ??= api.GET("/api/v1/channels").then((r) => new Map((r.data?.items ?? []).map((c) => [c.id, c])));
  return channels;
}
async function usersOf(api) {
  users ??= api.GET("/api/v1/users").then((r) => r.data?.items ?? []);
  return users;
}

export class DialogView {
  constructor(ctx, id, row, gone, leave) {
    this.ctx = ctx;
    this.api = ctx.api;
    this.id = id;
    this.row = row;
    this.gone = gone;
    this.leave = leave;
    this.quote = null;
    this.files = [];
    this.entries = [];
    this.cursor = null;
    this.typingTimer = null;
    this.lastTyping = 0;
    this.mentions = [];
    this.dirty = false;
    this.serverDraft = "";
    this.refresh = debounce(() => this.loadTimeline(), 120);
    this.saveDraft = debounce((text) => this.storeDraft(text), 700);
    // R39: a reply typed in the last moment before a reload or a closed tab is not lost.
    this.onHide = () => this.keepOnUnload();
    addEventListener("pagehide", this.onHide);
    this.build();
  }

  /** Where an internal note being written is kept: this tab only, never the server's draft,
   * so a note can never come back as a reply (R39). */
  get noteKey() {
    return `chatd.note.${this.id}`;
  }

  build() {
    this.head = h("div.dialog-head");
    this.timeline = h("div.timeline", { role: "log", "aria-label": "Conversation", "aria-live": "polite" });
    this.typingLine = h("div.typing-line", { "aria-live": "polite" });
    this.side = h("div.panel.hidden", { "aria-label": "Attachments" });
    this.composer = h("div.composer");
    this.card = new CustomerCard(this.api, () => this.reload());
    this.el = h("div.dialog-wrap", {}, h("div.dialog-main", {}, this.head, this.side, this.timeline, this.typingLine, this.composer), this.card.el);
  }

  /** Switching away: what was typed is kept at once, not 0.7 s later (R11, R39). */
  close() {
    clearTimeout(this.typingTimer);
    removeEventListener("pagehide", this.onHide);
    if (this.dirty && this.textarea) this.saveDraft.flush(this.textarea.value);
    else this.saveDraft.cancel();
  }

  /** The page goes away: a pending reply draft travels with `keepalive`, which outlives it. */
  keepOnUnload() {
    if (!this.dirty || !this.textarea || this.noteMode?.checked) return;
    this.saveDraft.cancel();
    const text = this.textarea.value;
    const url = `${location.origin}/api/v1/dialogs/${this.id}/draft`;
    const headers = { authorization: `Bearer ${this.api.token}`, "content-type": "application/json" };
    fetch(url, text.trim() ? { method: "PUT", headers, body: JSON.stringify({ text }), keepalive: true } : { method: "DELETE", headers, keepalive: true }).catch(() => {});
    this.dirty = false;
  }

  async reload() {
    const [detail, chans] = await Promise.all([this.api.GET("/api/v1/dialogs/{id}", { params: { id: this.id } }), channelsOf(this.api)]);
    if (detail.error) {
      if (detail.status === 404) return this.gone();
      return toast(problem(detail));
    }
    this.detail = detail.data;
    this.channel = chans.get(detail.data.channel?.id) ?? null;
    this.renderHead();
    this.card.render(this.detail);
    await Promise.all([this.renderComposer(), this.loadTimeline()]);
    // Opening a dialog reads it: the unread count and one's own "unread" mark both clear (R5).
    if (this.detail.unread_count > 0 || this.detail.marked_unread) {
      const r = await this.api.POST("/api/v1/dialogs/{id}/read", { params: { id: this.id } });
      if (!r.error) this.detail.marked_unread = false;
    }
  }

  /** Frames of the feed, all of them: act on this dialog's. */
  frame(f) {
    const d = f.data ?? {};
    const mine = d.dialog_id === this.id || d.dialog?.id === this.id || d.message?.dialog_id === this.id;
    if (f.type === "customer_updated" && d.customer?.id === this.detail?.customer_card?.id) return this.reload();
    if (!mine) return;
    if (f.type === "typing") return this.showTyping(d.actor);
    if (f.type === "message_new" || f.type === "message_updated" || f.type === "note_updated") {
      this.refresh();
      if (f.type === "message_new" && d.message?.author?.type === "customer") {
        this.typingLine.textContent = "";
        this.api.POST("/api/v1/dialogs/{id}/read", { params: { id: this.id } });
      }
    }
    if (f.type === "scheduled_updated") this.later?.load();
    if (f.type === "dialog_updated" && d.dialog) {
      Object.assign(this.detail, d.dialog);
      this.renderHead();
    }
  }

  showTyping(actor) {
    this.typingLine.textContent = `${actorName(actor)} is typing…`;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => (this.typingLine.textContent = ""), 4000);
  }

  /** What the caller may do here, as R2/R3/R13 say, and why not (R39: an action is offered
   * only where it is allowed, and otherwise says why). */
  rights() {
    const d = this.detail;
    const me = this.ctx.me.user;
    const chatAdmin = me.role === "admin" || me.role === "chat_admin";
    const mine = d.responsible?.type === "user" && d.responsible.id === me.id;
    const unassigned = !d.responsible;
    const seesByR2 = !!d.external_chat_id || chatAdmin;
    const who = d.responsible ? actorName(d.responsible) : "nobody";
    return {
      write: seesByR2 && (chatAdmin || mine || (unassigned && me.role === "manager")),
      close: seesByR2 && (chatAdmin || mine),
      reassign: seesByR2 && (chatAdmin || mine || (unassigned && me.role === "manager")),
      why: `The dialog is ${who === "nobody" ? "unassigned" : `${who}'s`}: only its responsible manager, an admin or a chat admin may do this.`,
    };
  }

  renderHead() {
    const d = this.detail;
    const card = d.customer_card;
    const may = this.rights();
    const action = (label, fn, cls = "", allowed = true, why = may.why) =>
      h(`button${cls}`, { onclick: fn, disabled: !allowed, title: allowed ? null : why, "aria-description": allowed ? null : why }, label);
    fill(
      this.head,
      h("span.icon", { "aria-hidden": "true" }, CHANNEL_ICONS[d.channel?.type] ?? "💬"),
      h("h2", {}, d.customer?.name ?? card?.name ?? "Unpinned customer"),
      h("span.muted", {}, `${d.channel?.name ?? ""} · ${d.status} · ${d.responsible ? actorName(d.responsible) : "unassigned"}`),
      (card?.tags ?? []).map((t) => h(`span.tag.tag-${t.color}`, {}, t.name)),
      h(
        "div.actions",
        {},
        action("Reassign", () => this.reassign(), "", may.reassign),
        d.status === "open" ? action("Close", () => this.act("/api/v1/dialogs/{id}/close", "Closed"), "", may.close) : null,
        action("Mark unread", () => this.markUnread()),
        card ? (card.blocked ? action("Unblock customer", () => this.block(false), "", may.write) : action("Block customer", () => this.block(true), ".danger", may.write)) : null,
        card ? action("Unpin customer", () => this.unpin(), ".danger", may.write) : null,
        action("Attachments", () => this.attachments()),
        snoozeControls(this, may.close, may.why),
        this.ctx.me.user.role === "admin" ? action("History", () => this.ctx.show("audit", this.id)) : null,
      ),
      may.write ? null : h("p.muted.why", {}, `${may.why} You can read it and add internal notes.`),
    );
  }

  async act(path, done) {
    const r = await this.api.POST(path, { params: { id: this.id } });
    if (r.error) return toast(problem(r));
    toast(done);
    this.reload();
  }

  /** R5: unread for me only; the dialog is put down so the mark shows until I open it again. */
  async markUnread() {
    const r = await this.api.POST("/api/v1/dialogs/{id}/unread", { params: { id: this.id } });
    if (r.error) return toast(problem(r));
    toast("Marked unread for you");
    this.leave?.();
  }

  async reassign() {
    const list = (await usersOf(this.api)).filter((u) => u.active && u.role !== "auditor");
    const select = h("select", { "aria-label": "New responsible" }, list.map((u) => h("option", { value: u.id }, `${u.name} (${u.work_status}${u.online ? ", online" : ""})`)));
    const dlg = h(
      "dialog",
      { "aria-label": "Reassign the dialog" },
      h("form", { method: "dialog" }, h("p", {}, "Hand the dialog to:"), select, " ", h("button.primary", { value: "ok" }, "Reassign"), " ", h("button", { value: "cancel" }, "Cancel")),
    );
    document.body.append(dlg);
    dlg.addEventListener("close", async () => {
      dlg.remove();
      if (dlg.returnValue !== "ok") return;
      const r = await this.api.POST("/api/v1/dialogs/{id}/reassign", { params: { id: this.id }, body: { to: { type: "user", id: select.value } } });
      if (r.error) return toast(problem(r));
      toast("Reassigned");
      this.reload();
    });
    dlg.showModal();
    select.focus();
  }

  async block(on) {
    if (on && !confirm("Block this customer? Messages from and to them stop.")) return;
    const id = this.detail.customer_card.id;
    const r = await this.api.POST(on ? "/api/v1/customers/{id}/block" : "/api/v1/customers/{id}/unblock", { params: { id } });
    if (r.error) return toast(problem(r));
    this.reload();
  }

  async unpin() {
    if (!confirm("Unpin the customer from this dialog? The customer stays in the system; the link to this chat is removed from their card.")) return;
    const r = await this.api.POST("/api/v1/dialogs/{id}/unpin-customer", { params: { id: this.id } });
    if (r.error) return toast(problem(r));
    this.reload();
  }

  async attachments(kind = "image") {
    if (!this.side.classList.contains("hidden") && this.side.dataset.kind === kind) {
      this.side.classList.add("hidden");
      return;
    }
    this.side.dataset.kind = kind;
    const r = await this.api.GET("/api/v1/dialogs/{id}/attachments", { params: { id: this.id }, query: { kind, limit: 100 } });
    if (r.error) return toast(problem(r));
    const tab = (k, label) => h("button", { "aria-pressed": String(k === kind), onclick: () => { this.side.dataset.kind = ""; this.attachments(k); } }, label);
    fill(
      this.side,
      h("div.attach-tabs", { role: "group", "aria-label": "Attachment kind" }, tab("image", "Images"), tab("file", "Files")),
      r.data.items.length ? null : h("p.muted", {}, "Nothing here yet."),
      h(
        "div.files-grid",
        {},
        r.data.items.map((a) =>
          h(
            "div.file-cell",
            {},
            this.fileChip({ file_id: a.file.id, name: a.file.name, kind: a.file.kind, size: a.file.size }),
            h("button", { "aria-label": `Send ${a.file.name} again`, title: "Send again", onclick: () => this.resend(a.file) }, "↻ Send again"),
          ),
        ),
      ),
    );
    this.side.classList.remove("hidden");
  }

  /** The seed's re-send: a file already in the dialog goes into the reply, without uploading. */
  resend(file) {
    if (!this.files.some((f) => f.id === file.id)) this.files.push(file);
    this.addFiles([]);
    this.focusReply();
    toast(`${file.name} will be sent with your next reply`);
  }

  fileChip(a) {
    if (a.kind === "image") {
      const img = h("img", { alt: a.name, title: a.name, tabindex: 0, onclick: () => download(this.api, a) });
      imageUrl(this.api, a.file_id).then((u) => (img.src = u), () => (img.alt = `${a.name} (no preview)`));
      return img;
    }
    return h("button.chip", { onclick: () => download(this.api, a) }, `📎 ${a.name} (${Math.ceil((a.size ?? 0) / 1024)} KB)`);
  }

  async loadTimeline(more = false) {
    const r = await this.api.GET("/api/v1/dialogs/{id}/timeline", { params: { id: this.id }, query: { limit: 100, cursor: more ? this.cursor ?? undefined : undefined } });
    if (r.error) return r.status === 404 ? this.gone() : toast(problem(r));
    this.entries = more ? [...this.entries, ...r.data.items] : r.data.items;
    this.cursor = r.data.next_cursor ?? null;
    const atBottom = this.timeline.scrollHeight - this.timeline.scrollTop - this.timeline.clientHeight < 40;
    fill(
      this.timeline,
      this.cursor ? h("button", { onclick: () => this.loadTimeline(true) }, "Load earlier") : null,
      [...this.entries].reverse().map((e) => this.entry(e)),
    );
    if (atBottom || !more) this.timeline.scrollTop = this.timeline.scrollHeight;
  }

  entry(e) {
    if (e.type === "system") {
      const what = { opened: "opened the dialog", closed: "closed the dialog", reopened: "reopened the dialog", reassigned: `reassigned it${e.from ? ` from ${actorName(e.from)}` : ""} to ${e.to ? actorName(e.to) : "nobody"}`, customer_unpinned: "unpinned the customer", customer_pinned: "pinned the customer" }[e.event] ?? e.event;
      return h("div.system", {}, `${actorName(e.by)} ${what} · ${time(e.at)}`);
    }
    if (e.type === "note") {
      const n = e.note;
      return h(
        "div.note",
        { "aria-label": "Internal note" },
        h("div.meta", {}, `📝 Note by ${actorName(n.author)} · ${time(n.created_at)}${n.edited_at ? " · edited" : ""}`),
        h("div.text", { dir: "auto" }, n.deleted ? "note deleted" : n.text),
        n.mentions?.length ? h("div.muted", {}, `Mentions: ${n.mentions.map((m) => m.name ?? m.user_id ?? m.id).join(", ")}`) : null,
      );
    }
    const m = e.message;
    const out = m.author?.type !== "customer";
    const mine = m.author?.type === "user" && m.author.id === this.ctx.me.user.id;
    const mark = out && m.status ? STATUS_MARKS[m.status] : null;
    const caps = this.channel?.capabilities ?? {};
    const hover = [];
    if (!m.deleted) {
      if (!out && caps.quoting !== false) hover.push(h("button", { title: "Quote", "aria-label": "Quote this message", onclick: () => this.setQuote(m) }, "↩"));
      hover.push(h("button", { title: "Save as a quick reply", "aria-label": "Save as a quick reply", onclick: () => this.quickReplyFrom(m) }, "⚡"));
      // R23: the channel's own reaction (❤️ on Instagram), and only for who may write (R3).
      const emoji = caps.reaction_emoji?.[0] ?? "👍";
      if (!out && caps.reactions !== false && this.rights().write) hover.push(h("button", { title: `React ${emoji}`, "aria-label": `React with ${emoji}`, onclick: () => this.react(m, emoji) }, emoji));
      if (mine && caps.editing) hover.push(h("button", { title: "Edit", "aria-label": "Edit this message", onclick: () => this.edit(m) }, "✎"));
      if (mine && caps.deleting !== false) hover.push(h("button", { title: "Delete", "aria-label": "Delete this message", onclick: () => this.remove(m) }, "🗑"));
    }
    return h(
      `div.msg${out ? ".out" : ""}${m.deleted ? ".deleted" : ""}`,
      { dataset: { id: m.id } },
      h("div.hover", {}, hover),
      m.quote ? h("div.quote", { dir: "auto" }, `${actorName(m.quote.author)}: ${m.quote.text ?? "(deleted)"}`) : null,
      h("div.text", { dir: "auto" }, m.deleted ? "message deleted" : m.text ?? ""),
      m.attachments?.length ? h("div.attachments", {}, m.attachments.map((a) => this.fileChip(a))) : null,
      m.reactions?.length ? h("div.reactions", {}, m.reactions.map((r) => h("span", { title: actorName(r.by) }, `${r.emoji} ${actorName(r.by)}`))) : null,
      h(
        "div.meta",
        {},
        `${actorName(m.author)} · ${time(m.created_at)}`,
        m.edited_at ? " · edited" : "",
        m.template ? ` · template ${m.template.code}` : "",
        mark ? h(`span.status.${m.status}`, { title: mark[1], "aria-label": mark[1] }, mark[0]) : null,
        m.status === "failed" ? h("span.error", {}, ` ${failureSentence(m.error)}`) : null,
      ),
    );
  }

  setQuote(m) {
    this.quote = m;
    this.renderQuote();
    this.focusReply();
  }

  async quickReplyFrom(m) {
    const name = prompt("Name of the quick reply:", (m.text ?? "").slice(0, 30));
    if (!name) return;
    const r = await this.api.POST("/api/v1/quick-replies", { body: { name, from_message_id: m.id, dialog_id: this.id } });
    toast(r.error ? problem(r) : `Quick reply "${name}" saved`);
    if (!r.error) this.renderComposer();
  }

  async react(m, emoji) {
    const me = m.reactions?.find((r) => r.by?.id === this.ctx.me.user.id);
    const r = await this.api.PUT("/api/v1/dialogs/{id}/messages/{message_id}/reaction", { params: { id: this.id, message_id: m.id }, body: { emoji: me?.emoji === emoji ? null : emoji } });
    if (r.error) toast(problem(r));
  }

  async edit(m) {
    const text = prompt("Edit the message:", m.text ?? "");
    if (text == null || text === m.text) return;
    const r = await this.api.PATCH("/api/v1/dialogs/{id}/messages/{message_id}", { params: { id: this.id, message_id: m.id }, body: { text } });
    if (r.error) toast(problem(r));
  }

  async remove(m) {
    if (!confirm("Delete this message for everyone?")) return;
    const r = await this.api.DELETE("/api/v1/dialogs/{id}/messages/{message_id}", { params: { id: this.id, message_id: m.id } });
    if (r.error) toast(problem(r));
  }

  renderQuote() {
    fill(this.quoteBox, this.quote ? [h("span", {}, `↩ ${actorName(this.quote.author)}: ${(this.quote.text ?? "").slice(0, 80)}`), " ", h("button", { "aria-label": "Remove the quote", onclick: () => { this.quote = null; this.renderQuote(); } }, "✕")] : []);
  }

  limitText() {
    const max = Math.min(MAX_TEXT, this.channel?.capabilities?.text_max_len || MAX_TEXT);
    const kinds = Object.entries(this.channel?.limits ?? {})
      .map(([k, v]) => (v == null ? `${k}: not carried` : `${k} ≤ ${Math.round(v / 1048576)} MB`))
      .join(", ");
    return { max, files: `${this.channel?.capabilities?.max_attachments ?? 10} files; ${kinds}` };
  }

  /** Put the cursor in the reply box, now or as soon as the box is drawn. */
  focusReply() {
    this.focusWanted = true;
    if (this.textarea?.isConnected) {
      this.textarea.focus();
      this.focusWanted = false;
    }
  }

  async renderComposer() {
    // A box drawn anew (a live frame, a saved quick reply) keeps the cursor where it was; only
    // the latest of overlapping draws is put on the page.
    const gen = (this.composerGen = (this.composerGen ?? 0) + 1);
    if (this.textarea != null && document.activeElement === this.textarea) this.focusWanted = true;
    const d = this.detail;
    const blocked = d.customer_card?.blocked;
    const windowClosed = d.reply_window_closes_at && new Date(d.reply_window_closes_at) < new Date();
    this.windowClosed = !!windowClosed;
    this.mayWrite = this.rights().write;
    const { max, files } = this.limitText();
    this.textarea = h("textarea", {
      id: "composer-text",
      dir: "auto",
      "aria-label": "Message",
      placeholder: blocked ? "The customer is blocked" : "Write a reply (Enter sends, Shift+Enter for a new line)",
      disabled: blocked,
      oninput: () => {
        this.updateCount();
        this.keep();
        if (!this.noteMode.checked) this.typing();
      },
      onkeydown: (e) => {
        if (e.key === "Enter" && !e.shiftKey) {
          e.preventDefault();
          this.send();
        }
      },
    });
    const note = sessionStorage.getItem(this.noteKey);
    this.serverDraft = d.draft ?? "";
    this.textarea.value = note ?? this.serverDraft;
    this.count = h("span.count", { "aria-live": "polite" });
    this.quoteBox = h("div.chips");
    this.fileBox = h("div.chips");
    this.mentionBox = h("div.chips.mentions");
    this.noteMode = h("input", { type: "checkbox", id: "note-mode", checked: note != null, onchange: () => this.modeChanged() });
    const picker = h("input", { type: "file", multiple: true, class: "hidden", onchange: () => this.addFiles(picker.files) });
    const [replies, templates] = await Promise.all([
      this.api.GET("/api/v1/quick-replies").then((r) => r.data?.items ?? []),
      d.channel ? this.api.GET("/api/v1/channels/{id}/templates", { params: { id: d.channel.id } }).then((r) => r.data?.items ?? []) : [],
    ]);
    const replySelect = h(
      "select",
      { "aria-label": "Quick replies", onchange: async () => { const q = replies.find((x) => x.id === replySelect.value); if (q) { this.textarea.value += q.text; this.updateCount(); this.saveDraft(this.textarea.value); this.api.POST("/api/v1/quick-replies/{id}/use", { params: { id: q.id } }); } replySelect.value = ""; } },
      h("option", { value: "" }, "⚡ Quick replies"),
      replies.map((q) => h("option", { value: q.id }, q.name)),
    );
    const mentionPicker = await this.mentionSelect();
    if (gen !== this.composerGen) return;
    this.mentionPicker = mentionPicker;
    const approved = (Array.isArray(templates) ? templates : []).filter((t) => t.status === "approved");
    const templateSelect = approved.length
      ? h("select", { "aria-label": "Templates", onchange: () => { const t = approved.find((x) => x.code === templateSelect.value); templateSelect.value = ""; if (t) this.sendTemplate(t); } }, h("option", { value: "" }, "Templates"), approved.map((t) => h("option", { value: t.code }, `${t.name} (${t.language})`)))
      : null;
    fill(
      this.composer,
      blocked ? h("div.warning-box", { role: "alert" }, "This customer is blocked: you cannot send them messages, and theirs are not received.") : null,
      !blocked && windowClosed ? h("div.info-box", {}, "The channel's reply window has closed: only an approved template can be sent until the customer writes again.") : null,
      this.mayWrite ? null : h("div.info-box", {}, "You can add internal notes here; only the dialog's responsible writes to the customer."),
      this.quoteBox,
      this.textarea,
      this.fileBox,
      h(
        "div.bar",
        {},
        h("button", { "aria-label": "Attach files", title: `Attach (${files})`, disabled: blocked, onclick: () => picker.click() }, "📎"),
        picker,
        this.emojiButton(blocked),
        replySelect,
        templateSelect,
        h("label", {}, this.noteMode, "Internal note"),
        this.mentionPicker,
        h("span.muted", {}, `Limits: ${files}`),
        h("span", { class: "spacer" }),
        this.count,
        h("button.primary", { disabled: blocked, onclick: () => this.send() }, "Send"),
        this.sendWhy = h("span.why", { "aria-live": "polite" }),
      ),
      this.mayWrite && !blocked ? (this.later = new Later(this)).el : null,
    );
    this.later?.load();
    this.maxText = max;
    this.sendButton = this.composer.querySelector("button.primary");
    this.composer.insertBefore(this.mentionBox, this.textarea.nextSibling);
    this.updateCount();
    this.showMode();
    if (this.focusWanted) this.focusReply();
    this.composer.ondragover = (e) => {
      e.preventDefault();
      this.composer.classList.add("drop");
    };
    this.composer.ondragleave = () => this.composer.classList.remove("drop");
    this.composer.ondrop = (e) => {
      e.preventDefault();
      this.composer.classList.remove("drop");
      this.addFiles(e.dataTransfer.files);
    };
  }

  /** An emoji insert: a small menu that types the emoji where the cursor is. */
  emojiButton(disabled) {
    const menu = h(
      "div.emoji-menu.hidden",
      { role: "menu", "aria-label": "Emoji" },
      EMOJI.map((e) =>
        h("button", { role: "menuitem", "aria-label": `Insert ${e}`, onclick: () => { this.insert(e); menu.classList.add("hidden"); } }, e),
      ),
    );
    const button = h("button", { "aria-label": "Insert an emoji", "aria-haspopup": "menu", disabled, onclick: () => { menu.classList.toggle("hidden"); menu.querySelector("button")?.focus(); } }, "🙂");
    return h("span.emoji", {}, button, menu);
  }

  insert(text) {
    const t = this.textarea;
    const at = t.selectionStart ?? t.value.length;
    t.value = t.value.slice(0, at) + text + t.value.slice(t.selectionEnd ?? at);
    t.selectionStart = t.selectionEnd = at + text.length;
    t.focus();
    this.updateCount();
    this.keep();
  }

  updateCount() {
    const n = [...this.textarea.value].length;
    this.count.textContent = `${n} / ${this.maxText}`;
    this.count.classList.toggle("over", n > this.maxText);
    this.checkSend();
  }

  /** Send is offered only when this text may go out, and otherwise says why (R39). */
  checkSend() {
    if (!this.sendButton) return;
    const note = this.noteMode.checked;
    const n = [...this.textarea.value].length;
    const why = this.detail.customer_card?.blocked && !note
      ? "The customer is blocked."
      : !note && !this.mayWrite
        ? "Only the dialog's responsible writes to the customer: tick Internal note."
        : !note && this.windowClosed
          ? "The reply window is closed: send an approved template."
          : n > (note ? 2000 : this.maxText)
            ? `Too long: at most ${note ? 2000 : this.maxText} characters.`
            : "";
    this.sendButton.disabled = !!why;
    this.sendWhy.textContent = why;
  }

  /** A colleague picker for the note's mentions (R27): active users who see dialogs, not me. */
  async mentionSelect() {
    const me = this.ctx.me.user.id;
    const people = (await usersOf(this.api)).filter((u) => u.active && u.role !== "auditor" && u.id !== me);
    const select = h(
      "select",
      {
        id: "mention-picker",
        "aria-label": "Mention a colleague",
        onchange: () => {
          const u = people.find((p) => p.id === select.value);
          select.value = "";
          if (u && !this.mentions.some((m) => m.id === u.id)) this.mentions.push(u);
          this.renderMentions();
        },
      },
      h("option", { value: "" }, "@ Mention a colleague"),
      people.map((u) => h("option", { value: u.id }, u.name)),
    );
    return select;
  }

  renderMentions() {
    fill(
      this.mentionBox,
      this.mentions.map((u, i) => h("span.chip", {}, `@${u.name} `, h("button", { "aria-label": `Do not mention ${u.name}`, onclick: () => { this.mentions.splice(i, 1); this.renderMentions(); } }, "✕"))),
    );
  }

  /** The composer shows plainly whether it writes to the customer or to the team. */
  showMode() {
    const note = this.noteMode.checked;
    this.checkSend();
    this.composer.classList.toggle("note-mode", note);
    this.mentionPicker.classList.toggle("hidden", !note);
    this.mentionBox.classList.toggle("hidden", !note);
    if (this.sendButton) this.sendButton.textContent = note ? "Add note" : "Send";
    this.textarea.placeholder = note ? "An internal note for the team: the customer never sees it" : "Write a reply (Enter sends, Shift+Enter for a new line)";
  }

  /** Switching between reply and note moves the text to where that kind is kept. */
  modeChanged() {
    this.showMode();
    this.dirty = true;
    this.saveDraft.cancel();
    this.keep();
    if (!this.noteMode.checked) this.saveDraft.flush(this.textarea.value);
  }

  /** Keep what is typed: a note in this tab at once, a reply as the server's draft soon. */
  keep() {
    const text = this.textarea.value;
    if (this.noteMode.checked) {
      if (text) sessionStorage.setItem(this.noteKey, text);
      else sessionStorage.removeItem(this.noteKey);
      if (this.serverDraft) this.saveDraft.flush("");
      return;
    }
    sessionStorage.removeItem(this.noteKey);
    this.dirty = true;
    this.saveDraft(text);
  }

  typing() {
    if (Date.now() - this.lastTyping < 3000) return;
    this.lastTyping = Date.now();
    this.api.POST("/api/v1/dialogs/{id}/typing", { params: { id: this.id } });
  }

  async storeDraft(text) {
    this.dirty = false;
    if (!text.trim() && !this.serverDraft) return;
    this.serverDraft = text.trim() ? text : "";
    try {
      const r = text.trim()
        ? await this.api.PUT("/api/v1/dialogs/{id}/draft", { params: { id: this.id }, body: { text } })
        : await this.api.DELETE("/api/v1/dialogs/{id}/draft", { params: { id: this.id } });
      if (r.error && r.status !== 404) toast(problem(r));
    } catch {
      this.dirty = true; // offline: kept in the box, saved when the next keystroke or switch comes
    }
  }

  async addFiles(list) {
    for (const file of list) {
      const r = await this.api.POST("/api/v1/files", { query: { name: file.name }, body: file });
      if (r.error) {
        toast(`${file.name}: ${problem(r)}`);
        continue;
      }
      this.files.push(r.data);
    }
    fill(this.fileBox, this.files.map((f, i) => h("span.chip", {}, `📎 ${f.name} `, h("button", { "aria-label": `Remove ${f.name}`, onclick: () => { this.files.splice(i, 1); this.addFiles([]); } }, "✕"))));
  }

  async send() {
    if (this.sendButton?.disabled) return toast(this.sendWhy.textContent || "Nothing to send.");
    const text = this.textarea.value;
    if (!text.trim() && !this.files.length) return;
    const note = this.noteMode.checked;
    let r;
    try {
      if (note) {
        r = await this.api.POST("/api/v1/dialogs/{id}/notes", { params: { id: this.id }, body: { text, mentions: this.mentions.map((u) => u.id) } });
      } else {
        r = await this.api.POST("/api/v1/dialogs/{id}/messages", {
          params: { id: this.id },
          body: { text, quote_message_id: this.quote?.id ?? null, attachment_ids: this.files.map((f) => f.id) },
        });
      }
    } catch {
      // R39: nothing typed offline is lost silently.
      document.body.classList.add("offline");
      return toast("Not sent: chatd cannot be reached. Your text is kept; send it again when the connection is back.");
    }
    if (r.error) return toast(problem(r));
    this.clearComposer(note);
    this.loadTimeline();
  }

  /** What was sent (now or for later) leaves the composer, and no draft of it stays behind:
   * not the note's, not the reply's (R11, R39). */
  clearComposer(note = false) {
    this.saveDraft.cancel();
    this.dirty = false;
    this.textarea.value = "";
    this.quote = null;
    this.files = [];
    this.mentions = [];
    this.renderMentions();
    this.renderQuote();
    fill(this.fileBox);
    this.updateCount();
    sessionStorage.removeItem(this.noteKey);
    if (this.serverDraft || !note) {
      this.serverDraft = "";
      this.api.DELETE("/api/v1/dialogs/{id}/draft", { params: { id: this.id } });
    }
  }

  async sendTemplate(t) {
    const count = new Set(t.body.match(/\{\{\d+\}\}/g) ?? []).size;
    const params = [];
    for (let i = 1; i <= count; i++) {
      const v = prompt(`${t.name}: value for {{${i}}}\n${t.body}`);
      if (v == null) return;
      params.push(v);
    }
    const r = await this.api.POST("/api/v1/dialogs/{id}/messages", { params: { id: this.id }, body: { template: { code: t.code, params } } });
    if (r.error) return toast(problem(r));
    this.loadTimeline();
  }
}
