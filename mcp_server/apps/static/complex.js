"use strict";
/* get_complex_summary: per area type the range (min–max) and median of trade prices and 전세 deposits,
   the latest deals on a time axis coloured by area type, and the latest deals as tables. The result
   holds statistics over the whole range per area type (not per month), so "over time" is what the
   latest deals show. */

function areaOf(deal) {
  return deal.area_m2 === undefined ? null : Math.floor(deal.area_m2);
}

function rangeBar(list, label, stats, scale, kind) {
  const item = RE.el("li", { class: "hbar area " + kind + (stats.thin ? " thin" : "") }, list);
  const head = RE.el("div", { class: "label" }, item);
  const name = RE.el("span", { text: label }, head);
  if (stats.thin && stats.count) RE.el("span", { class: "badge", text: "표본 적음" }, name);
  RE.el("span", { class: "value", text: stats.count ? RE.won(stats.median_10k) : "거래 없음" }, head);
  const track = RE.el("div", { class: "track" }, item);
  if (stats.count) {
    const range = RE.el("div", { class: "range" }, track);
    range.style.left = ((stats.min_10k / scale) * 100).toFixed(2) + "%";
    range.style.width = Math.max(0.5, ((stats.max_10k - stats.min_10k) / scale) * 100).toFixed(2) + "%";
    RE.el("div", { class: "tick", "data-median": stats.median_10k }, track).style.left = ((stats.median_10k / scale) * 100).toFixed(2) + "%";
    RE.el("div", { class: "meta", text: RE.count(stats.count) + " · " + RE.won(stats.min_10k) + " ~ " + RE.won(stats.max_10k) }, item);
    RE.withTooltip(item, () => [label, "중위 " + RE.won(stats.median_10k), "최저 " + RE.won(stats.min_10k) + " · 최고 " + RE.won(stats.max_10k), RE.count(stats.count)]);
  }
}

function dealTimeline(main, trades, areaColors) {
  const dated = trades.filter((t) => t.price_10k !== undefined);
  if (!dated.length) return;
  const W = RE.width(main);
  const L = 52, R = 14, T = 10, PH = 130, AXIS = 18, H = T + PH + AXIS;
  const days = dated.map((t) => Date.parse(t.deal_date + "T00:00:00Z"));
  let first = Math.min(...days), last = Math.max(...days);
  if (last === first) { first -= 86400000 * 3; last += 86400000 * 3; }
  const prices = dated.map((t) => t.price_10k);
  const low = Math.min(...prices), high = Math.max(...prices);
  const pad = (high - low) * 0.1 || high * 0.05;
  const yt = RE.ticks(Math.max(0, low - pad), high + pad, 3);
  const y = (v) => T + PH - ((v - yt[0]) / (yt[yt.length - 1] - yt[0])) * PH;
  const x = (d) => L + 8 + ((d - first) / (last - first)) * (W - L - R - 16);
  const chart = RE.el("div", { class: "chart" }, main);
  const root = RE.svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, "aria-label": "최근 매매 가격" }, chart);
  for (const t of yt) {
    RE.svg("line", { class: "grid", x1: L, x2: W - R, y1: y(t), y2: y(t) }, root);
    RE.svg("text", { class: "axis-y", x: L - 6, y: y(t) + 4, "text-anchor": "end", text: RE.wonShort(t, yt[1] - yt[0]) }, root);
  }
  const fmt = (d) => new Date(d).toISOString().slice(2, 10).replace(/-/g, ".");
  RE.svg("text", { x: L + 8, y: H - 4, "text-anchor": "start", text: fmt(first) }, root);
  RE.svg("text", { x: W - R, y: H - 4, "text-anchor": "end", text: fmt(last) }, root);
  dated.forEach((t, i) => {
    const area = areaOf(t);
    const dot = RE.svg("circle", { class: "point ok deal", "data-price": t.price_10k, cx: x(days[i]).toFixed(1), cy: y(t.price_10k).toFixed(1), r: 5 }, root);
    dot.style.color = areaColors.get(area) || "var(--muted)";
    dot.style.stroke = dot.style.color;
    RE.withTooltip(dot, () => [t.deal_date, RE.won(t.price_10k), (t.area_m2 === undefined ? "" : t.area_m2 + "㎡") + (t.floor === undefined ? "" : " · " + t.floor + "층")]);
  });
}

function renderComplex(main, data) {
  const groups = data.area_groups || [];
  const chips = [];
  if (data.build_year) chips.push(["준공", data.build_year + "년"]);
  chips.push(["면적 타입", groups.length + "개"]);
  RE.header(main, data.name + (data.dong ? " (" + data.dong + ")" : "") + " 단지 요약", data, chips);

  const areaColors = new Map(groups.map((g, i) => [g.area_type, "var(--series-" + (i % 5) + ")"]));
  if (groups.length) {
    RE.el("h2", { text: "면적별 가격대 (최저~최고, 막대 속 선은 중위)" }, main);
    const scale = Math.max(1, ...groups.flatMap((g) => [g.trade.max_10k || 0, g.jeonse.max_10k || 0]));
    const list = RE.el("ol", { class: "hbars" }, main);
    for (const g of groups) {
      rangeBar(list, g.area_type + "㎡ 매매", g.trade, scale, "trade");
      rangeBar(list, g.area_type + "㎡ 전세", g.jeonse, scale, "jeonse");
    }
  }
  const trades = data.latest_trades || [];
  if (trades.length) {
    RE.el("h2", { text: "최근 매매 " + trades.length + "건" }, main);
    dealTimeline(main, trades, areaColors);
    RE.legend(main, groups.map((g) => ({ kind: "dot", label: g.area_type + "㎡", color: areaColors.get(g.area_type) })));
  }
  RE.notes(main, (data.notes || []).concat((data.month_issues || []).map((i) => RE.month(i.year_month) + " " + i.dataset + ": " + i.error)));

  RE.table(
    main,
    "면적별 수치",
    ["면적", "매매 중위", "매매 최저~최고", "매매 건수", "전세 중위", "전세 건수", "월세 중위 (보증금 / 월세)", "월세 건수"],
    groups.map((g) => [
      g.area_type + "㎡",
      RE.won(g.trade.median_10k) + (g.trade.thin && g.trade.count ? " (표본 적음)" : ""),
      g.trade.count ? RE.won(g.trade.min_10k) + " ~ " + RE.won(g.trade.max_10k) : "–",
      RE.count(g.trade.count),
      RE.won(g.jeonse.median_10k) + (g.jeonse.thin && g.jeonse.count ? " (표본 적음)" : ""),
      RE.count(g.jeonse.count),
      g.wolse.count ? RE.won(g.wolse.median_10k) + " / " + RE.won(g.wolse.median_monthly_rent_10k) : "–",
      RE.count(g.wolse.count),
    ]),
  );
  const dealRow = (d, amount) => [d.deal_date, d.area_m2 === undefined ? "–" : d.area_m2 + "㎡", d.floor === undefined ? "–" : d.floor + "층"].concat(amount(d));
  RE.table(main, "최근 매매", ["계약일", "면적", "층", "가격"], trades.map((d) => dealRow(d, (t) => [RE.won(t.price_10k)])));
  const rents = data.latest_rents || [];
  RE.table(
    main,
    "최근 전월세",
    ["계약일", "면적", "층", "보증금", "월세"],
    rents.map((d) => dealRow(d, (r) => [RE.won(r.deposit_10k), r.monthly_rent_10k ? RE.won(r.monthly_rent_10k) : "전세"])),
  );
}

RE.start(renderComplex);
