// R36: the Reports page. A period, a grouping, the summary as a table and two charts drawn as
// inline SVG (nothing from a CDN; the CSP is unchanged), and the CSV downloads. What it shows is
// as wide as the viewer's rights: a manager sees their own figures (the server decides).
import { h, fill, toast, problem } from "/console/ui.js";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c != null) el.append(c);
  return el;
}

/** A bar chart of `values` ([label, number]), with each bar's value as its title. */
function barChart(title, values, unit) {
  const width = 640;
  const height = 180;
  const max = Math.max(1, ...values.map(([, v]) => v ?? 0));
  const slot = width / Math.max(1, values.length);
  const bar = Math.max(4, slot * 0.7);
  return h(
    "figure.chart",
    {},
    h("figcaption", {}, title),
    svg(
      "svg",
      { viewBox: `0 0 ${width} ${height + 30}`, role: "img", "aria-label": title, class: "chart-svg" },
      svg("line", { x1: 0, y1: height, x2: width, y2: height, stroke: "currentColor", "stroke-opacity": 0.3 }),
      values.map(([label, v], i) => {
        const hgt = ((v ?? 0) / max) * (height - 10);
        const x = i * slot + (slot - bar) / 2;
        return svg(
          "g",
          {},
          svg("rect", { x, y: height - hgt, width: bar, height: Math.max(hgt, 0.5), rx: 2, class: "bar" }, svg("title", {}, `${label}: ${v ?? "–"}${unit}`)),
          values.length <= 31 ? svg("text", { x: x + bar / 2, y: height + 14, "text-anchor": "middle", "font-size": 10 }, label.length > 10 ? label.slice(5) : label) : null,
        );
      }),
    ),
  );
}

const minutes = (s) => (s == null ? null : Math.round((s / 60) * 10) / 10);
const isoDay = (d) => d.toISOString().slice(0, 10);

export class Reports {
  constructor(ctx) {
    this.api = ctx.api;
    const today = new Date();
    this.from = h("input", { type: "date", "aria-label": "From", value: isoDay(new Date(today.getTime() - 6 * 86400e3)) });
    this.to = h("input", { type: "date", "aria-label": "To", value: isoDay(today) });
    this.groupBy = h(
      "select",
      { "aria-label": "Group by" },
      [["day", "Day"], ["week", "Week"], ["month", "Month"], ["manager", "Manager"], ["channel", "Channel"], ["tag", "Tag"]].map(([v, l]) => h("option", { value: v }, l)),
    );
    this.out = h("div", { "aria-live": "polite" });
    this.el = h(
      "section.panel.reports",
      { "aria-label": "Reports" },
      h("h2", {}, "Reports"),
      h(
        "form.inline",
        { onsubmit: (e) => { e.preventDefault(); this.load(); } },
        h("label", {}, "From ", this.from),
        h("label", {}, "To ", this.to),
        h("label", {}, "Group by ", this.groupBy),
        h("button.primary", { type: "submit" }, "Show"),
        h("button", { type: "button", onclick: () => this.download("summary") }, "Download CSV"),
        h("button", { type: "button", onclick: () => this.download("dialogs") }, "Dialogs as CSV"),
      ),
      this.out,
    );
  }

  open() {
    this.load();
  }

  query() {
    return { from: this.from.value, to: this.to.value, group_by: this.groupBy.value };
  }

  async load() {
    const r = await this.api.GET("/api/v1/reports/summary", { query: this.query() });
    if (r.error) return fill(this.out, h("p.error", { role: "alert" }, problem(r)));
    const s = r.data;
    const g = s.groups;
    const stat = (f, name) => f[name]?.median_s;
    fill(
      this.out,
      h("p.muted", {}, `Definitions v${s.definitions_version} · ${s.time_zone}${s.working_hours ? " · working-hours figures in the CSV" : ""}${s.manager ? " · your own figures" : ""}. Times are medians (p90 in brackets), in minutes.`),
      h(
        "div.charts",
        {},
        barChart("Dialogs opened", g.map((x) => [x.label, x.opened]), ""),
        barChart("First response, median (minutes)", g.map((x) => [x.label, minutes(stat(x, "first_response"))]), " min"),
      ),
      h(
        "table.report",
        {},
        h("thead", {}, h("tr", {}, ["", "Opened", "Reopened", "Closed", "In", "Out", "First response", "Response", "Resolution", "Breaches", "Open at end"].map((t) => h("th", {}, t)))),
        h(
          "tbody",
          {},
          [...g, { ...s.total, label: "Total" }].map((x) =>
            h(
              "tr",
              {},
              h("th", { scope: "row" }, x.label),
              [x.opened, x.reopened, x.closed, x.messages_in, x.messages_by_person + x.messages_by_bot + x.templates].map((n) => h("td", {}, String(n))),
              ["first_response", "response", "resolution"].map((n) => h("td", {}, x[n].count ? `${minutes(x[n].median_s)} (${minutes(x[n].p90_s)})` : "–")),
              h("td", {}, String(x.breaches)),
              h("td", {}, x.open_at_end == null ? "–" : String(x.open_at_end)),
            ),
          ),
        ),
      ),
    );
  }

  /** CSV needs the bearer token, so it is fetched and handed over as a file. */
  async download(which) {
    const q = new URLSearchParams(this.query());
    const res = await fetch(`/api/v1/reports/${which}?${q}`, { headers: { authorization: `Bearer ${this.api.token}`, accept: "text/csv" } });
    if (!res.ok) return toast(`CSV: ${res.status}`);
    const url = URL.createObjectURL(await res.blob());
    const a = h("a", { href: url, download: `chatd-${which}-${q.get("from")}-${q.get("to")}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
}
