// vestlod query UI: YASGUI pointed at our own endpoint, prefilled with prefixes and examples.
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("vestlod-config").textContent);
  const endpoint = new URL(cfg.endpoint, window.location.href).href;
  // /sparql#example=N opens example N and runs it: a link that shows an answer (and what the
  // browser test loads). A fragment, so the endpoint never sees it; only an index into our own
  // examples, never query text. Read and removed before YASGUI starts: YASGUI reads the fragment
  // too and would send its fields to the endpoint, which refuses unknown parameters.
  const match = /^#example=([0-9]{1,3})$/.exec(window.location.hash);
  const wanted = match ? Number(match[1]) : null;
  if (match) {
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  // Tabs persist in localStorage; a fresh key per page keeps stale tabs from other endpoints out.
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    persistenceId: "vestlod-" + endpoint,
    // no keyboard trap (WCAG 2.1.2): the page does not start inside the editor, and Tab
    // leaves it instead of indenting (CodeMirror indents with Ctrl-] / Ctrl-[ as well)
    autofocus: false,
    yasqe: { extraKeys: { "Tab": false, "Shift-Tab": false } },
  });
  const tab = yasgui.getTab();
  if (!tab.getQuery() || tab.getQuery().indexOf("PREFIX vl:") < 0) {
    tab.setQuery(cfg.examples[0].query);
  }
  const select = document.getElementById("examples");
  select.addEventListener("change", function () {
    const current = yasgui.getTab();
    current.setQuery(cfg.examples[select.value].query);
    current.query();
  });
  if (wanted !== null && wanted < cfg.examples.length) {
    select.value = String(wanted);
    tab.setQuery(cfg.examples[wanted].query);
    tab.query();
  }
  // WCAG 2.1 AA fix-ups of YASGUI's own markup (axe-core, tests/server/test_accessibility.py):
  // YASGUI has no options for these, so they are applied to its DOM after it draws, and again
  // whenever it draws a new tab or result.
  function accessible() {
    const root = document.getElementById("yasgui");
    // a tablist may only own tabs: the "+" button goes next to the list; its empty wrapper
    // stays inside, because YASGUI inserts new tabs before it
    root.querySelectorAll(".tabsList button.addTab").forEach(function (button) {
      const list = button.closest(".tabsList");
      const holder = document.createElement("div");
      holder.className = "addTabHolder";
      holder.appendChild(button);
      list.insertAdjacentElement("afterend", holder);
    });
    root.querySelectorAll("input.autocomplete:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "SPARQL endpoint");
    });
    root.querySelectorAll(".tabsList input[type=text]:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Tab name");
    });
    root.querySelectorAll(".CodeMirror textarea:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "SPARQL query");
    });
    // the editor's scroll box must be reachable by keyboard to scroll a long query
    root.querySelectorAll(".CodeMirror-scroll:not([tabindex='0'])").forEach(function (el) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", "SPARQL query (scroll)");
    });
    root.querySelectorAll(".yasr select:not([aria-label]), .yasr input:not([aria-label])")
      .forEach(function (el) {
        if (!el.labels || el.labels.length === 0) {
          el.setAttribute("aria-label", el.getAttribute("placeholder") || el.name || "Results");
        }
      });
  }
  accessible();
  new MutationObserver(function () { accessible(); })
    .observe(document.getElementById("yasgui"), { childList: true, subtree: true });
  window.vestlodYasgui = yasgui;
})();
