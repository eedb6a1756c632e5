"use strict";
/* get_price_trend: the median per month as a line over the deal count as bars. A month without
   statistics (failed, incomplete, no deals) is a gap in the line and an empty bar slot, never a zero. */

function renderTrend(main, data) {
  const months = data.months || [];
  const chips = [["기간 중위", RE.won(data.overall && data.overall.median_10k)], ["거래", RE.count((data.overall && data.overall.count) || 0)]];
  if (data.change) chips.push(["변동 " + RE.month(data.change.from_month) + "→" + RE.month(data.change.to_month), RE.pct(data.change.change_pct) + (data.change.thin ? " (표본 적음)" : "")]);
  RE.header(main, (data.region_name || data.region_code) + " 가격 추이", data, chips);

  if (!months.some((m) => m.median_10k !== undefined)) {
    RE.el("p", { class: "status", text: "이 기간에는 통계를 낼 거래가 없습니다." }, main);
  } else {
    drawMonthChart(main, months.map((m) => m.year_month), [{ key: data.region_code, months }], {
      label: "월별 중위가격과 거래 건수",
      showCounts: true,
      tooltip: (ym, i) => {
        const m = months[i];
        const lines = [RE.month(ym)];
        if (m.median_10k === undefined) {
          lines.push(monthNote(m));
          return lines;
        }
        lines.push("중위 " + RE.won(m.median_10k));
        lines.push("거래 " + RE.count(m.count) + (m.thin ? " · 표본 적음" : ""));
        lines.push("전월 대비 " + RE.pct(m.mom_pct));
        if (m.yoy_pct !== undefined) lines.push("전년 동월 대비 " + RE.pct(m.yoy_pct));
        return lines;
      },
    });
    RE.legend(main, [
      { kind: "dot", label: "중위가격", color: "var(--series-0)" },
      { kind: "barsw", label: "거래 건수" },
      { kind: "hollow", label: "표본 적음 (5건 미만)" },
      { kind: "gap", mark: "×", label: "조회 실패 (빈칸)" },
    ]);
  }

  RE.notes(main, (data.notes || []).concat(months.filter((m) => m.error).map((m) => RE.month(m.year_month) + ": " + m.error)));
  RE.table(
    main,
    "월별 수치",
    ["월", "중위가격", "거래", "전월 대비", "전년 대비", "비고"],
    months.map((m) => [
      RE.month(m.year_month),
      RE.won(m.median_10k),
      m.median_10k === undefined && m.status !== "ok" ? "–" : RE.count(m.count),
      RE.pct(m.mom_pct),
      RE.pct(m.yoy_pct),
      { text: monthNote(m), cls: "text" },
    ]),
    (i) => months[i].status,
  );
}

RE.start(renderTrend);
