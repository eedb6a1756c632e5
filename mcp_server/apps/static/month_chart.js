"use strict";
/* The month chart shared by the trend and comparison views: a line per series over the months, gaps
   where a month has no statistics (failed, incomplete or without deals), never zeros; deal counts as bars
   beneath when asked. */

/** `series` ({key, months}) over `monthsList` (YYYYMM) into `main`; `options.tooltip(ym, i)` gives a month's lines. */
function drawMonthChart(main, monthsList, series, options) {
  const W = RE.width(main);
  const L = 52, R = 10, T = 10, PRICE_H = options.compact ? 150 : 190, GAP = 16;
  const COUNT_H = options.showCounts ? 56 : 0;
  const AXIS = 18;
  const H = T + PRICE_H + (COUNT_H ? GAP + COUNT_H : 0) + AXIS;
  const n = monthsList.length;
  const band = (W - L - R) / n;
  const x = (i) => L + band * (i + 0.5);

  const medians = [];
  for (const s of series) for (const m of s.months) if (m.median_10k !== undefined && m.median_10k !== null) medians.push(m.median_10k);
  const low = medians.length ? Math.min(...medians) : 0;
  const high = medians.length ? Math.max(...medians) : 1;
  const pad = (high - low) * 0.08 || high * 0.05 || 1;
  const yt = RE.ticks(Math.max(0, low - pad), high + pad, 4);
  const y0 = yt[0], y1 = yt[yt.length - 1];
  const y = (v) => T + PRICE_H - ((v - y0) / (y1 - y0)) * PRICE_H;

  const chart = RE.el("div", { class: "chart" }, main);
  const root = RE.svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, "aria-label": options.label }, chart);
  for (const t of yt) {
    RE.svg("line", { class: "grid", x1: L, x2: W - R, y1: y(t), y2: y(t) }, root);
    RE.svg("text", { class: "axis-y", x: L - 6, y: y(t) + 4, "text-anchor": "end", text: RE.wonShort(t, yt[1] - yt[0]) }, root);
  }

  // Months where no series has statistics: a shaded band and a mark, so a failure reads as a gap.
  monthsList.forEach((ym, i) => {
    const states = series.map((s) => s.months[i]);
    if (states.some((m) => m && m.median_10k !== undefined)) return;
    const failed = states.some((m) => m && (m.status === "failed" || m.status === "incomplete"));
    if (failed) RE.svg("rect", { class: "gap-band", x: L + band * i, y: T, width: band, height: PRICE_H }, root);
    RE.svg("text", {
      class: "gap-mark " + (failed ? "failed" : "empty"),
      "data-month": ym,
      x: x(i),
      y: T + PRICE_H - 4,
      "text-anchor": "middle",
      text: failed ? "×" : "–",
    }, root);
  });

  series.forEach((s, index) => {
    const color = "var(--series-" + (index % 5) + ")";
    const group = RE.svg("g", { class: "series", "data-series": s.key }, root);
    group.style.color = color;
    let run = [];
    const flush = () => {
      if (run.length > 1) {
        const path = RE.svg("path", { class: "line", d: "M" + run.map(([px, py]) => px.toFixed(1) + "," + py.toFixed(1)).join("L") }, group);
        path.style.stroke = color;
      }
      run = [];
    };
    s.months.forEach((m, i) => {
      if (m.median_10k === undefined || m.median_10k === null) {
        flush();
        return;
      }
      run.push([x(i), y(m.median_10k)]);
    });
    flush();
    s.months.forEach((m, i) => {
      if (m.median_10k === undefined || m.median_10k === null) return;
      const dot = RE.svg("circle", {
        class: "point " + (m.thin ? "thin" : "ok"),
        "data-month": m.year_month,
        "data-median": m.median_10k,
        cx: x(i).toFixed(1),
        cy: y(m.median_10k).toFixed(1),
        r: m.thin ? 4.5 : 3.5,
      }, group);
      dot.style.stroke = m.thin ? "var(--thin)" : color;
    });
  });

  if (COUNT_H) {
    const top = T + PRICE_H + GAP;
    const counts = series[0].months.map((m) => m.count || 0);
    const most = Math.max(1, ...counts);
    RE.svg("line", { class: "grid", x1: L, x2: W - R, y1: top + COUNT_H, y2: top + COUNT_H }, root);
    RE.svg("text", { x: L - 6, y: top + 9, "text-anchor": "end", text: RE.count(most) }, root);
    series[0].months.forEach((m, i) => {
      if (!m.count) return;
      const h = Math.max(1, (m.count / most) * (COUNT_H - 4));
      RE.svg("rect", {
        class: "bar" + (m.thin ? " thin" : ""),
        "data-month": m.year_month,
        "data-count": m.count,
        x: (L + band * i + band * 0.18).toFixed(1),
        width: (band * 0.64).toFixed(1),
        y: (top + COUNT_H - h).toFixed(1),
        height: h.toFixed(1),
      }, root);
    });
  }

  const every = Math.max(1, Math.ceil(n / Math.floor((W - L - R) / 46)));
  monthsList.forEach((ym, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    if (i === n - 1 && i % every !== 0 && i % every < every / 2) return;
    RE.svg("text", { x: x(i), y: H - 4, "text-anchor": "middle", text: RE.monthShort(ym) }, root);
  });

  // One focusable column per month: hover or focus shows the figures of that month.
  monthsList.forEach((ym, i) => {
    const hit = RE.svg("rect", { class: "hit", "data-month": ym, x: L + band * i, y: T, width: band, height: H - T - AXIS }, root);
    RE.withTooltip(hit, () => options.tooltip(ym, i));
  });
  return chart;
}

function monthNote(m) {
  if (m.status === "ok" || !m.status) return m.thin ? "표본 적음 (5건 미만)" : "";
  return RE.STATUS[m.status] || m.status;
}
