// The plain query form (no YASGUI bundle): the example picker fills the textarea.
// A file, not an inline <script>, so the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("vestlod-config").textContent);
  document.getElementById("examples").addEventListener("change", (e) => {
    document.getElementById("query").value = cfg.examples[e.target.value].query;
  });
})();
