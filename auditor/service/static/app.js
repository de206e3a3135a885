// The review page: audit a draft, highlight the findings in place, explain, dismiss, export.
//
// Safety: the article text and every string of the report reach the page through
// textContent / createTextNode only, never innerHTML; links are made only from http(s)
// URLs. The server's CSP allows this file and app.css and nothing inline.
"use strict";

(function () {
  const CATEGORIES = ["contradicted", "unsupported", "misused_term", "overstated", "unchecked",
                      "supported"];
  const SEVERITIES = ["error", "warning", "info"];
  const LABELS = {contradicted: "contradicted", unsupported: "unsupported",
                  misused_term: "misused term", overstated: "overstated",
                  unchecked: "unchecked", supported: "supported"};

  // Everything the page knows; the DOM is drawn from it.
  const state = {
    report: null,        // the JSON report from POST /v1/audit
    findings: [],        // report.findings, each with .index
    marks: [],           // per finding: its first <mark> (the focusable one)
    pieces: [],          // per finding: all its <mark> pieces (crossing spans split)
    selected: -1,
    dismissals: new Map(),  // finding index -> {reason, note, at}
  };

  const $ = (id) => document.getElementById(id);

  // --- offsets: the server counts code points, JavaScript strings count UTF-16 units -------

  function utf16Offsets(text) {
    // offsets[i] = UTF-16 index of code point i; identity when there is no astral character.
    if (!/[\uD800-\uDFFF]/.test(text)) return null;
    const offsets = [];
    let unit = 0;
    for (const ch of text) {
      offsets.push(unit);
      unit += ch.length;
    }
    offsets.push(unit);
    return offsets;
  }

  // --- highlight segments (a port of auditor/report/highlight.py) ----------------------------

  function segments(length, spans) {
    // Consecutive pieces covering [0, length), each with the keys of the spans covering it,
    // outermost first.
    const order = spans.map((s, i) => i).sort((a, b) =>
      spans[a].start - spans[b].start || spans[b].end - spans[a].end || a - b);
    const rank = new Map(order.map((spanIndex, r) => [spans[spanIndex].key, r]));
    const starting = new Map();
    const ending = new Map();
    const push = (map, at, key) => { if (!map.has(at)) map.set(at, []); map.get(at).push(key); };
    for (const span of spans) {
      if (span.start < span.end) {
        push(starting, span.start, span.key);
        push(ending, span.end, span.key);
      }
    }
    const edges = Array.from(new Set([0, length, ...starting.keys(), ...ending.keys()]))
      .sort((a, b) => a - b);
    const active = new Set();
    const out = [];
    for (let i = 0; i + 1 < edges.length; i++) {
      const left = edges[i];
      for (const key of ending.get(left) || []) active.delete(key);
      for (const key of starting.get(left) || []) active.add(key);
      const keys = Array.from(active).sort((a, b) => rank.get(a) - rank.get(b));
      out.push({start: left, end: edges[i + 1], keys});
    }
    return out;
  }

  function nesting(spans, pieces) {
    // Open/text/close steps where every close matches the latest open: well-formed nesting.
    const endOf = new Map(spans.map((s) => [s.key, s.end]));
    const opened = new Set();
    const stack = [];
    const steps = [];
    for (const piece of pieces) {
      let keep = 0;
      while (keep < stack.length && keep < piece.keys.length && stack[keep] === piece.keys[keep]) {
        keep++;
      }
      while (stack.length > keep) {
        const key = stack.pop();
        steps.push({close: key, last: endOf.get(key) <= piece.start});
      }
      for (const key of piece.keys.slice(keep)) {
        steps.push({open: key, first: !opened.has(key)});
        opened.add(key);
        stack.push(key);
      }
      steps.push({text: [piece.start, piece.end]});
    }
    while (stack.length) steps.push({close: stack.pop(), last: true});
    return steps;
  }

  function renderArticle(report) {
    const text = report.text;
    const offsets = utf16Offsets(text);
    const at = (i) => (offsets ? offsets[Math.min(i, offsets.length - 1)] : i);
    const spans = state.findings.map((f) => ({start: at(f.start), end: at(f.end), key: f.index}));
    const steps = nesting(spans, segments(text.length, spans));
    const root = document.createDocumentFragment();
    const stack = [root];
    state.marks = state.findings.map(() => null);
    state.pieces = state.findings.map(() => []);
    for (const step of steps) {
      const parent = stack[stack.length - 1];
      if (step.text) {
        parent.appendChild(document.createTextNode(text.slice(step.text[0], step.text[1])));
      } else if (step.open !== undefined) {
        const mark = makeMark(state.findings[step.open], step.first);
        parent.appendChild(mark);
        stack.push(mark);
      } else {
        stack.pop();
      }
    }
    const article = $("article");
    article.replaceChildren(root);
  }

  function makeMark(finding, first) {
    const mark = document.createElement("mark");
    mark.className = `hl cat-${finding.category} sev-${finding.severity}`;
    mark.dataset.index = String(finding.index);
    if (first) {
      mark.classList.add("hl-first");
      mark.tabIndex = 0;
      mark.setAttribute("role", "button");
      mark.setAttribute("aria-label", `${LABELS[finding.category]}, ${finding.severity}: ` +
                        finding.quote);
      state.marks[finding.index] = mark;
    }
    mark.title = `${LABELS[finding.category]} (${finding.severity})`;
    state.pieces[finding.index].push(mark);
    return mark;
  }

  // --- filters ----------------------------------------------------------------------------------

  function checkedValues(fieldsetId) {
    return new Set(Array.from($(fieldsetId).querySelectorAll("input:checked"), (i) => i.value));
  }

  function isShown(finding) {
    return state.categories.has(finding.category) && state.severities.has(finding.severity);
  }

  function applyFilters() {
    state.categories = checkedValues("category-filters");
    state.severities = checkedValues("severity-filters");
    for (const finding of state.findings) {
      const shown = isShown(finding);
      for (const piece of state.pieces[finding.index]) {
        piece.classList.toggle("is-filtered", !shown);
      }
      const mark = state.marks[finding.index];
      if (mark) mark.tabIndex = shown ? 0 : -1;
    }
    if (state.selected >= 0 && !isShown(state.findings[state.selected])) select(-1);
  }

  // --- selecting and the side panel ------------------------------------------------------------

  function select(index, focus) {
    for (const piece of state.pieces[state.selected] || []) piece.classList.remove("is-selected");
    state.selected = index;
    if (index < 0) {
      $("detail").hidden = true;
      $("panel-empty").hidden = false;
      return;
    }
    for (const piece of state.pieces[index]) piece.classList.add("is-selected");
    showDetail(state.findings[index]);
    if (focus && state.marks[index]) state.marks[index].focus();
  }

  function showDetail(finding) {
    $("panel-empty").hidden = true;
    $("detail").hidden = false;
    const category = $("detail-category");
    category.textContent = LABELS[finding.category];
    category.className = `badge cat-${finding.category}`;
    $("detail-severity").textContent = finding.severity;
    const shown = visibleOrder();
    const place = shown.indexOf(finding.index);
    $("detail-position").textContent = place >= 0 ? `${place + 1} of ${shown.length}` : "";
    $("detail-quote").textContent = finding.quote;
    $("detail-explanation").textContent = finding.explanation;
    $("detail-suggestion-box").hidden = !finding.suggestion;
    $("detail-suggestion").textContent = finding.suggestion || "";
    showEvidence(finding.evidence || []);
    $("detail-rule").textContent = finding.rule;
    $("detail-confidence").textContent = Number(finding.confidence).toFixed(2);
    showDismissal(finding);
  }

  function showEvidence(evidence) {
    const list = $("detail-evidence");
    list.replaceChildren();
    $("detail-evidence-box").hidden = evidence.length === 0;
    for (const item of evidence) {
      const entry = document.createElement("li");
      const statement = document.createElement("p");
      statement.textContent = item.statement;
      const verdict = document.createElement("span");
      verdict.className = "verdict";
      verdict.textContent = `${item.verdict} · fact ${item.fact_id}`;
      entry.append(statement, verdict);
      const citations = document.createElement("ul");
      citations.className = "citations";
      for (const citation of item.citations || []) citations.appendChild(citationItem(citation));
      entry.appendChild(citations);
      list.appendChild(entry);
    }
  }

  function citationItem(citation) {
    const item = document.createElement("li");
    const label = `${citation.publisher}: ${citation.title}` +
                  (citation.date ? ` (${citation.date})` : "");
    const href = safeHref(citation.url);
    if (href) {
      const link = document.createElement("a");
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.textContent = label;
      item.appendChild(link);
    } else {
      item.textContent = `${label} — ${citation.url}`;  // not a web address: shown as text
    }
    return item;
  }

  function safeHref(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function visibleOrder() {
    return state.findings.filter(isShown).map((f) => f.index);
  }

  function step(direction) {
    const order = visibleOrder();
    if (!order.length) return;
    const here = order.indexOf(state.selected);
    const next = here < 0 ? (direction > 0 ? 0 : order.length - 1)
                          : (here + direction + order.length) % order.length;
    select(order[next], true);
  }

  function onArticleClick(event) {
    const mark = event.target.closest("mark.hl");
    if (!mark || mark.classList.contains("is-filtered")) return;
    select(Number(mark.dataset.index), true);
  }

  function onArticleKey(event) {
    const mark = event.target.closest ? event.target.closest("mark.hl") : null;
    if ((event.key === "Enter" || event.key === " ") && mark) {
      event.preventDefault();
      select(Number(mark.dataset.index), false);
    }
  }

  function onPageKey(event) {
    if (!state.report || event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target.closest && event.target.closest("input, textarea, select");
    if (typing) return;
    const forward = ["n", "ArrowRight", "ArrowDown"];
    const back = ["p", "ArrowLeft", "ArrowUp"];
    const inArticle = event.target.closest && event.target.closest("#article");
    if (forward.includes(event.key) && (event.key === "n" || inArticle)) {
      event.preventDefault();
      step(1);
    } else if (back.includes(event.key) && (event.key === "p" || inArticle)) {
      event.preventDefault();
      step(-1);
    }
  }

  // --- dismissing -------------------------------------------------------------------------------

  function showDismissal(finding) {
    const dismissal = state.dismissals.get(finding.index);
    $("dismiss-box").hidden = Boolean(dismissal);
    $("dismissed-box").hidden = !dismissal;
    $("dismiss-error").textContent = "";
    $("dismiss-reason").value = "";
    $("dismiss-note").value = "";
    if (dismissal) {
      $("dismissed-reason").textContent = dismissal.note ? `${dismissal.reason} — ${dismissal.note}`
                                                         : dismissal.reason;
    }
  }

  function dismiss() {
    if (state.selected < 0) return;
    const reason = $("dismiss-reason").value;
    const note = $("dismiss-note").value.trim();
    if (!reason || (reason === "other" && !note)) {
      $("dismiss-error").textContent = reason ? "Explain the reason in the note."
                                              : "Choose a reason first.";
      return;
    }
    state.dismissals.set(state.selected, {reason, note, at: new Date().toISOString()});
    markDismissed(state.selected, true);
  }

  function restore() {
    if (state.selected < 0) return;
    state.dismissals.delete(state.selected);
    markDismissed(state.selected, false);
  }

  function markDismissed(index, dismissed) {
    for (const piece of state.pieces[index]) piece.classList.toggle("is-dismissed", dismissed);
    $("dismissed-count").textContent = String(state.dismissals.size);
    showDismissal(state.findings[index]);
  }

  // --- auditing ---------------------------------------------------------------------------------

  function headers() {
    const result = {"Content-Type": "application/json"};
    const token = $("token").value.trim();
    if (token) result.Authorization = `Bearer ${token}`;
    return result;
  }

  async function postJson(path, body) {
    const response = await fetch(path, {method: "POST", headers: headers(),
                                        body: JSON.stringify(body)});
    let payload = null;
    try {
      payload = await response.json();
    } catch (error) {
      payload = null;
    }
    if (!response.ok) {
      let message = payload && payload.error ? payload.error : `HTTP ${response.status}`;
      if (response.status === 401) message += " (enter it under API token)";
      throw new Error(message);
    }
    return payload;
  }

  function mode() {
    return document.querySelector("input[name=mode]:checked").value;
  }

  async function audit(event) {
    if (event) event.preventDefault();
    const body = {options: {learned_stance: $("learned-stance").checked}};
    if (mode() === "url") {
      body.url = $("url").value.trim();
      if (!body.url) return setStatus("Enter a web address first.", true);
    } else {
      body.text = $("draft").value;
      if (!body.text.trim()) return setStatus("Paste a draft first.", true);
    }
    $("audit-button").disabled = true;
    setStatus("Auditing…", false);
    const started = performance.now();
    try {
      const report = await postJson("/v1/audit", body);
      showReport(report);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      setStatus(`${problemCount(report)} findings to review (${seconds} s).`, false);
    } catch (error) {
      setStatus(`Audit failed: ${error.message}`, true);
    } finally {
      $("audit-button").disabled = false;
    }
  }

  function problemCount(report) {
    return report.findings.filter((f) => f.category !== "supported").length;
  }

  function showReport(report) {
    const known = (f) => CATEGORIES.includes(f.category) && SEVERITIES.includes(f.severity);
    state.report = report;
    state.findings = report.findings.filter(known).map((f, i) => ({...f, index: i}));
    state.dismissals = new Map();
    state.selected = -1;
    $("dismissed-count").textContent = "0";
    $("article-title").textContent = report.title || "";
    const notes = report.notes || [];
    $("notes").hidden = notes.length === 0;
    $("notes").textContent = notes.join(" · ");
    for (const category of CATEGORIES) {
      const count = document.querySelector(`[data-count="${category}"]`);
      count.textContent = String(report.summary[category] || 0);
    }
    renderArticle(report);
    $("review").hidden = false;
    $("draft-box").hidden = true;
    $("url-box").hidden = true;
    $("edit-button").hidden = false;
    applyFilters();
    select(-1);
    $("export-status").textContent = "";
  }

  function editDraft() {
    $("edit-button").hidden = true;
    showInputBox();
    (mode() === "url" ? $("url") : $("draft")).focus();
  }

  function showInputBox() {
    $("draft-box").hidden = mode() !== "text";
    $("url-box").hidden = mode() !== "url";
  }

  function setStatus(message, isError) {
    const status = $("status");
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  // --- exports ----------------------------------------------------------------------------------

  function dismissalList() {
    return Array.from(state.dismissals, ([index, d]) => ({
      finding_id: state.findings[index].id, category: state.findings[index].category,
      quote: state.findings[index].quote, reason: d.reason, note: d.note, dismissed_at: d.at}));
  }

  function exportJson() {
    const review = {report: state.report, dismissals: dismissalList(),
                    exported_at: new Date().toISOString()};
    download("review.json", "application/json", JSON.stringify(review, null, 2));
  }

  function exportMarkdown() {
    const report = state.report;
    const lines = [`# Review: ${report.title || report.source}`, ""];
    lines.push(`Audited ${new Date().toISOString().slice(0, 10)} with auditor ` +
               `${report.auditor.version} (fact base ${report.auditor.factbase_version}).`, "");
    const counts = CATEGORIES.filter((c) => report.summary[c])
      .map((c) => `${LABELS[c]} ${report.summary[c]}`).join(", ");
    lines.push(`Findings: ${counts || "none"}. Dismissed: ${state.dismissals.size}.`, "");
    state.findings.filter((f) => f.category !== "supported").forEach((f, n) => {
      lines.push(...markdownFinding(f, n + 1), "");
    });
    download("review.md", "text/markdown", lines.join("\n"));
  }

  function markdownFinding(finding, number) {
    const lines = [`## ${number}. ${LABELS[finding.category]} (${finding.severity})`, "",
                   `> ${oneLine(finding.quote)}`, "", oneLine(finding.explanation)];
    if (finding.suggestion) lines.push("", `**Suggested rewrite:** ${oneLine(finding.suggestion)}`);
    for (const evidence of finding.evidence || []) {
      lines.push("", `- ${oneLine(evidence.statement)} (${evidence.verdict}, ${evidence.fact_id})`);
      for (const citation of evidence.citations || []) {
        const href = safeHref(citation.url);
        const label = oneLine(`${citation.publisher}: ${citation.title}`).replace(/[[\]]/g, "");
        lines.push(href ? `  - [${label}](<${href.replace(/[<>]/g, "")}>)` : `  - ${label}`);
      }
    }
    const dismissal = state.dismissals.get(finding.index);
    if (dismissal) {
      lines.push("", `*Dismissed: ${oneLine(dismissal.reason)}` +
                 (dismissal.note ? ` — ${oneLine(dismissal.note)}` : "") + "*");
    }
    return lines;
  }

  function oneLine(text) {
    return String(text).replace(/\s+/g, " ").trim();
  }

  async function exportClaimReview() {
    const status = $("export-status");
    status.textContent = "";
    status.classList.remove("error");
    const dismissed = Array.from(state.dismissals.keys(), (i) => state.findings[i].id);
    try {
      const response = await fetch("/v1/claimreview", {
        method: "POST", headers: headers(),
        body: JSON.stringify({report: state.report, dismissed})});
      if (!response.ok) {
        const payload = await response.json().catch(() => ({}));
        throw new Error(payload.error || `HTTP ${response.status}`);
      }
      download("claimreview.jsonld", "application/ld+json", await response.text());
      status.textContent = "ClaimReview exported.";
    } catch (error) {
      status.textContent = `ClaimReview not exported: ${error.message}`;
      status.classList.add("error");
    }
  }

  function download(name, type, content) {
    const url = URL.createObjectURL(new Blob([content], {type}));
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // --- wiring -----------------------------------------------------------------------------------

  function init() {
    state.categories = checkedValues("category-filters");
    state.severities = checkedValues("severity-filters");
    $("audit-form").addEventListener("submit", audit);
    $("audit-form").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) audit(event);
    });
    for (const radio of document.querySelectorAll("input[name=mode]")) {
      radio.addEventListener("change", showInputBox);
    }
    $("edit-button").addEventListener("click", editDraft);
    $("category-filters").addEventListener("change", applyFilters);
    $("severity-filters").addEventListener("change", applyFilters);
    $("article").addEventListener("click", onArticleClick);
    $("article").addEventListener("keydown", onArticleKey);
    document.addEventListener("keydown", onPageKey);
    $("dismiss-button").addEventListener("click", dismiss);
    $("restore-button").addEventListener("click", restore);
    $("export-json").addEventListener("click", exportJson);
    $("export-markdown").addEventListener("click", exportMarkdown);
    $("export-claimreview").addEventListener("click", exportClaimReview);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
