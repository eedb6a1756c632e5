"use strict";
/*
 * The view side of MCP Apps (extension io.modelcontextprotocol/ui, protocol version 2026-01-26), plus
 * what every view shares: Korean number formatting, DOM and SVG builders, tooltip and table helpers.
 *
 * Protocol (JSON-RPC 2.0 over postMessage with the parent window, the host):
 *   view → host  ui/initialize (request), then ui/notifications/initialized once answered;
 *                ui/notifications/size-changed {width, height} whenever the document's size changes.
 *   host → view  ui/notifications/tool-input {arguments}, ui/notifications/tool-result (a CallToolResult),
 *                ui/notifications/tool-cancelled, ui/notifications/host-context-changed (partial context,
 *                merged), and the requests ui/resource-teardown and ping (answered with {}).
 * Only messages from window.parent are read. Every string from a result goes into the page as text
 * (textContent, createTextNode, SVG text nodes), never as markup.
 */
const RE = (() => {
  const PROTOCOL_VERSION = "2026-01-26";
  const SVG_NS = "http://www.w3.org/2000/svg";
  let nextId = 1;
  const pending = new Map();
  let hostContext = {};
  let renderer = null;
  let lastData = null;
  let lastSize = "";

  function post(message) {
    // The sandboxed document has an opaque origin and cannot know the host's: "*" is the only target.
    window.parent.postMessage(message, "*");
  }
  function request(method, params) {
    const id = nextId++;
    post({ jsonrpc: "2.0", id, method, params });
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  }
  function notify(method, params) {
    post({ jsonrpc: "2.0", method, params });
  }

  function applyHostContext(update) {
    hostContext = Object.assign({}, hostContext, update || {});
    const root = document.documentElement;
    if (hostContext.theme === "dark" || hostContext.theme === "light") root.dataset.theme = hostContext.theme;
    const variables = hostContext.styles && hostContext.styles.variables;
    if (variables && typeof variables === "object") {
      for (const [name, value] of Object.entries(variables)) {
        if (name.startsWith("--") && typeof value === "string") root.style.setProperty(name, value);
      }
    }
  }

  function showStatus(text, isError) {
    const main = document.getElementById("app");
    main.replaceChildren(el("p", { class: isError ? "status error" : "status", text }));
  }

  function resultData(result) {
    if (result && result.structuredContent && typeof result.structuredContent === "object") {
      return result.structuredContent;
    }
    const text = result && Array.isArray(result.content) && result.content.find((c) => c && c.type === "text");
    if (text) {
      try {
        return JSON.parse(text.text);
      } catch (_) {
        return null;
      }
    }
    return null;
  }

  function errorText(result) {
    const text = result && Array.isArray(result.content) && result.content.find((c) => c && c.type === "text");
    return text ? String(text.text) : "도구가 오류를 돌려주었습니다.";
  }

  function draw() {
    if (!renderer || !lastData) return;
    const main = document.getElementById("app");
    main.replaceChildren();
    hideTooltip();
    try {
      renderer(main, lastData);
    } catch (error) {
      showStatus("결과를 그리지 못했습니다: " + String(error && error.message ? error.message : error), true);
    }
  }

  function onToolResult(result) {
    if (result && result.isError) {
      lastData = null;
      showStatus(errorText(result), true);
      return;
    }
    const data = resultData(result);
    if (!data) {
      showStatus("결과에 표시할 데이터가 없습니다.", true);
      return;
    }
    lastData = data;
    draw();
  }

  function onMessage(event) {
    if (event.source !== window.parent) return;
    const message = event.data;
    if (!message || typeof message !== "object" || message.jsonrpc !== "2.0") return;
    if (message.method === undefined) {
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.error) waiting.reject(message.error);
      else waiting.resolve(message.result);
      return;
    }
    const params = message.params || {};
    if (message.id !== undefined) {
      if (message.method === "ui/resource-teardown" || message.method === "ping") {
        post({ jsonrpc: "2.0", id: message.id, result: {} });
      } else {
        post({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "Method not found" } });
      }
      return;
    }
    switch (message.method) {
      case "ui/notifications/tool-input":
        if (!lastData) showStatus("데이터를 가져오는 중…", false);
        break;
      case "ui/notifications/tool-result":
        onToolResult(params);
        break;
      case "ui/notifications/tool-cancelled":
        if (!lastData) showStatus("요청이 취소되었습니다.", false);
        break;
      case "ui/notifications/host-context-changed":
        applyHostContext(params);
        break;
      default:
        break;
    }
  }

  function reportSize() {
    const root = document.documentElement;
    const width = Math.ceil(root.scrollWidth);
    const height = Math.ceil(root.getBoundingClientRect().height);
    const size = width + "x" + height;
    if (size === lastSize) return;
    lastSize = size;
    notify("ui/notifications/size-changed", { width, height });
  }

  function start(render) {
    renderer = render;
    window.addEventListener("message", onMessage);
    let width = window.innerWidth;
    window.addEventListener("resize", () => {
      if (window.innerWidth !== width) {
        width = window.innerWidth;
        draw();
      }
    });
    request("ui/initialize", {
      protocolVersion: PROTOCOL_VERSION,
      appInfo: { name: "real-estate-mcp", version: "1" },
      appCapabilities: {},
    }).then(
      (result) => {
        applyHostContext((result && result.hostContext) || {});
        notify("ui/notifications/initialized", {});
        if (typeof ResizeObserver === "function") new ResizeObserver(reportSize).observe(document.documentElement);
        reportSize();
      },
      (error) => showStatus("호스트와 연결하지 못했습니다: " + String(error && error.message), true),
    );
  }

  /* ---------- formatting (amounts are in 만원) ---------- */

  function group(n, digits) {
    return n.toLocaleString("ko-KR", { maximumFractionDigits: digits || 0 });
  }
  /** 149800 → "14억 9,800만원"; 150000 → "15억원"; 9800 → "9,800만원"; 203962.5 → "20억 3,962.5만원". */
  function won(value) {
    if (value === null || value === undefined) return "–";
    const sign = value < 0 ? "-" : "";
    const v = Math.abs(value);
    const eok = Math.floor(v / 10000);
    const man = Math.round((v - eok * 10000) * 10) / 10;
    if (eok && man) return sign + group(eok) + "억 " + group(man, 1) + "만원";
    if (eok) return sign + group(eok) + "억원";
    return sign + group(man, 1) + "만원";
  }
  /**
   * Axis labels, precise enough to tell ticks `step` apart: 183750 → "18.4억" (step 2,500 → "18.38억"),
   * 9800 → "9,800만"; steps finer than 0.01억 are written in 만 ("80,250만").
   */
  function wonShort(value, step) {
    let digits = 0;
    const eokStep = (step || 10000) / 10000;
    while (digits < 3 && Math.abs(eokStep * Math.pow(10, digits) - Math.round(eokStep * Math.pow(10, digits))) > 1e-9) digits++;
    if (Math.abs(value) >= 10000 && digits <= 2) return String(Number((value / 10000).toFixed(digits))) + "억";
    return group(Math.round(value)) + "만";
  }
  function pct(value) {
    if (value === null || value === undefined) return "–";
    return (value > 0 ? "+" : "") + value.toFixed(1) + "%";
  }
  function month(ym) {
    return ym.slice(0, 4) + "." + ym.slice(4, 6);
  }
  function monthShort(ym) {
    return ym.slice(2, 4) + "." + ym.slice(4, 6);
  }
  function count(n) {
    return group(n) + "건";
  }
  const STATUS = { ok: "", empty: "거래 없음", failed: "조회 실패", incomplete: "집계 불완전" };
  const FILTER_LABELS = {
    dong: "법정동",
    name_contains: "단지명 포함",
    min_area_m2: "최소 면적(㎡)",
    max_area_m2: "최대 면적(㎡)",
    apartment_name: "단지명",
  };
  function filtersText(filters) {
    const parts = Object.entries(filters || {}).map(
      ([key, value]) => (FILTER_LABELS[key] || key) + ": " + String(value),
    );
    return parts.length ? "조건 — " + parts.join(", ") : "";
  }

  /* ---------- DOM ---------- */

  /** `node` given attributes and appended to `parent`; `text` becomes its text content, never markup. */
  function build(node, attrs, parent) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else node.setAttribute(key, String(value));
    }
    if (parent) parent.appendChild(node);
    return node;
  }
  function el(tag, attrs, parent) {
    return build(document.createElement(tag), attrs, parent);
  }
  function svg(tag, attrs, parent) {
    return build(document.createElementNS(SVG_NS, tag), attrs, parent);
  }

  /** Title, subtitle (range, deal type, filters) and the headline figures. */
  function header(main, title, data, chips) {
    el("h1", { text: title }, main);
    const sub = [month(data.start_month) + " – " + month(data.end_month), data.property_type];
    const filters = filtersText(data.filters);
    if (filters) sub.push(filters);
    el("p", { class: "sub", text: sub.join(" · ") }, main);
    const list = el("ul", { class: "chips" }, main);
    for (const [label, value] of chips) {
      const item = el("li", {}, list);
      item.appendChild(document.createTextNode(label + " "));
      el("b", { text: value }, item);
    }
  }

  function legend(parent, entries) {
    const list = el("ul", { class: "legend" }, parent);
    for (const entry of entries) {
      const item = el("li", {}, list);
      const swatch = el("span", { class: "swatch " + (entry.kind || ""), "aria-hidden": "true", text: entry.mark }, item);
      if (entry.color) swatch.style.color = entry.color;
      item.appendChild(document.createTextNode(entry.label));
    }
    return list;
  }

  function notes(parent, lines) {
    const kept = (lines || []).filter((line) => line);
    if (!kept.length) return;
    const list = el("ul", { class: "notes" }, parent);
    for (const line of kept) el("li", { text: line }, list);
  }

  /**
   * A table reachable by keyboard (its scrolling wrapper takes focus). `rows` are arrays of cells: a
   * string, or {text, cls}. The first column is the row header; a column whose first cell has cls
   * "text" is left-aligned, heading included.
   */
  function table(parent, caption, head, rows, rowClass) {
    const wrap = el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption }, parent);
    const tbl = el("table", {}, wrap);
    el("caption", { text: caption }, tbl);
    const headRow = el("tr", {}, el("thead", {}, tbl));
    const first = rows[0] || [];
    head.forEach((title, column) => {
      const cell = first[column];
      el("th", { scope: "col", class: cell && typeof cell === "object" ? cell.cls : null, text: title }, headRow);
    });
    const body = el("tbody", {}, tbl);
    rows.forEach((cells, index) => {
      const tr = el("tr", { class: rowClass ? rowClass(index) : null }, body);
      cells.forEach((cell, column) => {
        const spec = typeof cell === "object" && cell !== null ? cell : { text: cell };
        el(column === 0 ? "th" : "td", { scope: column === 0 ? "row" : null, class: spec.cls, text: spec.text }, tr);
      });
    });
    return tbl;
  }

  /* ---------- tooltip ---------- */

  function showTooltip(target, lines) {
    const tip = document.getElementById("tooltip");
    tip.replaceChildren();
    lines.forEach((line, index) => el("div", { class: index === 0 ? "t-title" : null, text: line }, tip));
    tip.hidden = false;
    const box = target.getBoundingClientRect();
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    let left = box.left + box.width / 2 - width / 2;
    left = Math.max(4, Math.min(left, document.documentElement.clientWidth - width - 4));
    let top = box.top - height - 6;
    if (top < 4) top = box.bottom + 6;
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }
  function hideTooltip() {
    const tip = document.getElementById("tooltip");
    if (tip) tip.hidden = true;
  }
  /** Hover and keyboard focus both show `lines()`; the same text is the element's accessible name. */
  function withTooltip(target, lines) {
    const text = lines();
    target.setAttribute("tabindex", "0");
    target.setAttribute("role", "img");
    target.setAttribute("aria-label", text.join(", "));
    const show = () => showTooltip(target, text);
    target.addEventListener("mouseenter", show);
    target.addEventListener("focus", show);
    target.addEventListener("mouseleave", hideTooltip);
    target.addEventListener("blur", hideTooltip);
  }

  /* ---------- scales ---------- */

  /** About `wanted` round ticks covering [low, high]. */
  function ticks(low, high, wanted) {
    if (high <= low) high = low + 1;
    const raw = (high - low) / wanted;
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
    const first = Math.floor(low / step) * step;
    const out = [];
    for (let t = first; t <= high + step * 1e-9; t += step) out.push(Math.round(t * 1e6) / 1e6);
    if (out[out.length - 1] < high) out.push(out[out.length - 1] + step);
    return out;
  }

  function width(main) {
    return Math.max(280, Math.min(main.clientWidth || 640, 960));
  }

  return {
    start, won, wonShort, pct, month, monthShort, count, STATUS, filtersText,
    el, svg, header, legend, notes, table, withTooltip, ticks, width,
  };
})();
