// vestlod query UI: YASGUI pointed at our own endpoint, prefilled with prefixes and examples.
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("vestlod-config").textContent);
  const endpoint = new URL(cfg.endpoint, window.location.href).href;
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
  window.vestlodYasgui = yasgui;
})();
