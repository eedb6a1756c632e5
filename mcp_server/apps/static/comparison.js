"use strict";
/* compare_regions: one line per region with a legend; for a single month, one bar per region. */

function regionLabel(region) {
  return region.region_name || region.region_code;
}

function renderBars(main, regions) {
  const most = Math.max(1, ...regions.map((r) => r.median_10k || 0));
  const list = RE.el("ol", { class: "hbars", "aria-label": "지역별 중위가격" }, main);
  regions.forEach((region, index) => {
    const m = region.months[0] || {};
    const item = RE.el("li", { class: "hbar region" + (region.thin ? " thin" : ""), "data-region": region.region_code }, list);
    const label = RE.el("div", { class: "label" }, item);
    RE.el("span", { text: regionLabel(region) }, label);
    RE.el("span", { class: "value", text: region.median_10k === undefined ? RE.STATUS[m.status] || "–" : RE.won(region.median_10k) }, label);
    const track = RE.el("div", { class: "track" }, item);
    if (region.median_10k !== undefined) {
      const fill = RE.el("div", { class: "fill", "data-median": region.median_10k }, track);
      fill.style.width = ((region.median_10k / most) * 100).toFixed(2) + "%";
      fill.style.background = "var(--series-" + (index % 5) + ")";
    }
    RE.el("div", { class: "meta", text: "거래 " + RE.count(region.count) + (region.thin ? " · 표본 적음" : "") }, item);
    RE.withTooltip(item, () => [regionLabel(region), "중위 " + RE.won(region.median_10k), "거래 " + RE.count(region.count)]);
  });
}

function renderComparison(main, data) {
  const regions = data.regions || [];
  const months = regions.length ? regions[0].months.map((m) => m.year_month) : [];
  RE.header(main, regions.map(regionLabel).join(" · ") + " 비교", data, [["지역", regions.length + "곳"], ["기간", months.length + "개월"]]);

  if (months.length === 1) {
    renderBars(main, regions);
  } else if (regions.some((r) => r.months.some((m) => m.median_10k !== undefined))) {
    drawMonthChart(main, months, regions.map((r) => ({ key: r.region_code, months: r.months })), {
      label: "지역별 월 중위가격",
      showCounts: false,
      tooltip: (ym, i) => {
        const lines = [RE.month(ym)];
        for (const region of regions) {
          const m = region.months[i];
          lines.push(
            regionLabel(region) + ": " + (m.median_10k === undefined ? monthNote(m) || "–" : RE.won(m.median_10k) + " (" + RE.count(m.count) + ")"),
          );
        }
        return lines;
      },
    });
    RE.legend(
      main,
      regions
        .map((region, index) => ({
          label: regionLabel(region) + (region.change ? " " + RE.pct(region.change.change_pct) : ""),
          color: "var(--series-" + (index % 5) + ")",
        }))
        .concat([{ kind: "hollow", label: "표본 적음" }, { kind: "gap", mark: "×", label: "조회 실패" }]),
    );
  } else {
    RE.el("p", { class: "status", text: "이 기간에는 통계를 낼 거래가 없습니다." }, main);
  }

  RE.notes(main, data.notes);
  RE.table(
    main,
    "지역별 요약",
    ["지역", "중위가격", "최저", "최고", "거래", "변동"],
    regions.map((r) => [
      { text: regionLabel(r), cls: "text" },
      RE.won(r.median_10k),
      RE.won(r.min_10k),
      RE.won(r.max_10k),
      RE.count(r.count),
      r.change ? RE.pct(r.change.change_pct) : "–",
    ]),
  );
  RE.table(
    main,
    "월별 중위가격",
    ["월"].concat(regions.map(regionLabel)),
    months.map((ym, i) =>
      [RE.month(ym)].concat(
        regions.map((r) => {
          const m = r.months[i];
          return m.median_10k === undefined ? monthNote(m) || "–" : RE.won(m.median_10k) + " (" + RE.count(m.count) + ")";
        }),
      ),
    ),
  );
}

RE.start(renderComparison);
