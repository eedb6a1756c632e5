"use strict";
/* get_jeonse_ratio: one bar per complex and area type, highest ratio first, with both sample sizes and
   the thin flag; the complexes with deals on one side only are listed under the bars. */

function groupLabel(g) {
  return g.name + " " + g.area_type + "㎡" + (g.dong ? " (" + g.dong + ")" : "");
}

function renderJeonseRatio(main, data) {
  const groups = (data.groups || []).slice().sort((a, b) => b.ratio_pct - a.ratio_pct);
  RE.header(main, (data.region_name || data.region_code) + " 아파트 전세가율", data, [
    ["중위 전세가율", data.median_ratio_pct === null || data.median_ratio_pct === undefined ? "–" : data.median_ratio_pct.toFixed(1) + "%"],
    ["비교한 단지·면적", data.group_count + "개" + (data.thin_group_count ? " (표본 적음 " + data.thin_group_count + ")" : "")],
  ]);

  if (!groups.length) {
    RE.el("p", { class: "status", text: "매매와 전세가 함께 있는 단지·면적이 없습니다." }, main);
  } else {
    const scale = Math.max(100, ...groups.map((g) => g.ratio_pct));
    const list = RE.el("ol", { class: "hbars", "aria-label": "단지·면적별 전세가율" }, main);
    for (const g of groups) {
      const item = RE.el("li", { class: "hbar ratio" + (g.thin ? " thin" : ""), "data-ratio": g.ratio_pct }, list);
      const label = RE.el("div", { class: "label" }, item);
      const name = RE.el("span", { text: groupLabel(g) }, label);
      if (g.thin) RE.el("span", { class: "badge", text: "표본 적음" }, name);
      RE.el("span", { class: "value", text: g.ratio_pct.toFixed(1) + "%" }, label);
      const track = RE.el("div", { class: "track" }, item);
      RE.el("div", { class: "fill" }, track).style.width = ((g.ratio_pct / scale) * 100).toFixed(2) + "%";
      RE.el("div", {
        class: "meta",
        text: "매매 " + RE.won(g.trade.median_10k) + " (" + RE.count(g.trade.count) + ") · 전세 " + RE.won(g.jeonse.median_10k) + " (" + RE.count(g.jeonse.count) + ")",
      }, item);
      RE.withTooltip(item, () => [
        groupLabel(g),
        "전세가율 " + g.ratio_pct.toFixed(1) + "%",
        "매매 중위 " + RE.won(g.trade.median_10k) + " · " + RE.count(g.trade.count),
        "전세 중위 " + RE.won(g.jeonse.median_10k) + " · " + RE.count(g.jeonse.count),
      ]);
    }
  }

  const unmatched = data.unmatched || [];
  if (unmatched.length) {
    RE.el("h2", { text: "한쪽 거래만 있는 단지 (" + data.unmatched_count + ")" }, main);
    const list = RE.el("ul", { class: "notes unmatched" }, main);
    for (const u of unmatched) {
      RE.el("li", { text: groupLabel(u) + " — " + (u.side === "trade" ? "매매" : "전세") + "만 " + RE.count(u.count) }, list);
    }
    if (data.unmatched_count > unmatched.length) RE.el("li", { text: "외 " + (data.unmatched_count - unmatched.length) + "개" }, list);
  }
  RE.notes(main, (data.notes || []).concat((data.month_issues || []).map((i) => RE.month(i.year_month) + " " + i.dataset + ": " + i.error)));
  RE.table(
    main,
    "단지·면적별 수치",
    ["단지", "면적", "매매 중위", "매매 건수", "전세 중위", "전세 건수", "전세가율", "비고"],
    groups.map((g) => [
      { text: g.name + (g.dong ? " (" + g.dong + ")" : ""), cls: "text" },
      g.area_type + "㎡",
      RE.won(g.trade.median_10k),
      RE.count(g.trade.count),
      RE.won(g.jeonse.median_10k),
      RE.count(g.jeonse.count),
      g.ratio_pct.toFixed(1) + "%",
      g.thin ? "표본 적음" : "",
    ]),
  );
}

RE.start(renderJeonseRatio);
