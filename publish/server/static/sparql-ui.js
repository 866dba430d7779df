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
  window.vestlodYasgui = yasgui;
})();
