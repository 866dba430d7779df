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
  // Completion of resource IRIs from our own search index (GET /search/suggest, issue #17):
  // typing a word, a prefixed name (vl:vest…) or an IRI (<…/org/vest…) where the query takes a
  // resource offers the matching resources by label; choosing one inserts its IRI, in prefixed
  // form when a PREFIX of the query covers it with a plain local name, else in angle brackets.
  // YASQE's LOV class/property completers are left out: they ask a third-party service, which
  // this page's Content-Security-Policy (connect-src 'self') does not allow.
  const KEYWORDS = new Set(["a", "as", "ask", "base", "bind", "by", "construct", "describe",
    "distinct", "filter", "from", "graph", "group", "having", "in", "limit", "minus", "named",
    "not", "offset", "optional", "order", "prefix", "reduced", "select", "service", "union",
    "values", "where", "exists", "true", "false", "undef", "asc", "desc"]);
  const found = new Map();  // query text -> Promise of suggestions (one request per text)
  const labels = new Map();  // inserted text -> label shown beside it
  function searchText(token) {
    const s = token.string.trim();
    if (s.indexOf("<") === 0) {  // an IRI being typed: its last path segment, if any
      const rest = s.slice(1).replace(/>$/, "");
      return rest.split(/[\/#]/).pop();
    }
    const colon = s.indexOf(":");
    if (colon >= 0) {  // a prefixed name: its local part
      return s.slice(colon + 1).replace(/\\/g, "");
    }
    return s;
  }
  function suggestions(text) {
    if (!found.has(text)) {
      const url = "/search/suggest?limit=10&q=" + encodeURIComponent(text);
      found.set(text, fetch(url, { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : { suggestions: [] }))
        .then((data) => data.suggestions || [])
        .catch(() => []));
    }
    return found.get(text);
  }
  function asQueryTerm(yasqe, iri) {
    const declared = yasqe.getPrefixesFromQuery();
    let best = null;
    Object.keys(declared).forEach(function (prefix) {
      const ns = declared[prefix];
      const local = iri.indexOf(ns) === 0 ? iri.slice(ns.length) : null;
      if (local && /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(local)
          && (best === null || ns.length > declared[best].length)) {
        best = prefix;
      }
    });
    return best === null ? "<" + iri + ">" : best + ":" + iri.slice(declared[best].length);
  }
  const Yasqe = Yasgui.Yasqe;
  Yasqe.registerAutocompleter({
    name: "vestlod-resources",
    bulk: false,
    autoShow: true,
    isValidCompletionPosition: function (yasqe) {
      const token = yasqe.getCompleteToken();
      const s = token.string.trim();
      if (s.length === 0 || s[0] === "?" || s[0] === "$" || s[0] === "\"" || s[0] === "'"
          || token.type === "string" || token.type === "comment") {
        return false;
      }
      const cursor = yasqe.getDoc().getCursor();
      const before = yasqe.getPreviousNonWsToken(cursor.line, token);
      if (before && /^(PREFIX|BASE)$/i.test(before.string)) {
        return false;
      }
      const text = searchText(token);
      if (s[0] === "<" || s.indexOf(":") > 0) {
        return text.length >= 2;
      }
      // a bare word where the grammar takes a resource
      const possible = (token.state && token.state.possibleCurrent) || [];
      return text.length >= 3 && /^[\p{L}][\p{L}\p{N}_-]*$/u.test(text)
        && !KEYWORDS.has(text.toLowerCase())
        && (possible.indexOf("IRI_REF") >= 0 || possible.indexOf("PNAME_LN") >= 0);
    },
    get: function (yasqe, token) {
      return suggestions(searchText(token)).then(function (list) {
        list.forEach(function (s) { labels.set(asQueryTerm(yasqe, s.iri), s.label); });
        return list.map(function (s) { return s.iri; });
      });
    },
    postProcessSuggestion: function (yasqe, token, iri) {
      return asQueryTerm(yasqe, iri);
    },
    postprocessHints: function (yasqe, hints) {
      // not the term already there (the list would reopen on what was just chosen)
      const current = yasqe.getCompleteToken().string.trim();
      hints = hints.filter(function (hint) { return hint.text !== current; });
      hints.forEach(function (hint) {
        const label = labels.get(hint.text);
        if (label) {
          hint.displayText = label + " \u2014 " + hint.text;
        }
      });
      return hints;
    },
  }, false);
  // the editor's completers (set on the defaults: YASGUI merges a list given in its config
  // index by index into the default list, which would keep the LOV completers)
  Yasqe.defaults.autocompleters = ["variables", "prefixes", "vestlod-resources"];

  function leaveHints(cm, handle) {
    handle.close();
    return Object.getPrototypeOf(Yasqe).Pass;  // CodeMirror.Pass: the browser's Tab follows
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
    yasqe: {
      extraKeys: { "Tab": false, "Shift-Tab": false },
      // nor while suggestions are open: Tab closes them and moves on (Enter chooses one)
      hintConfig: { extraKeys: { "Tab": leaveHints, "Shift-Tab": leaveHints } },
    },
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
    // the list of suggestions (a listbox) needs a name
    root.querySelectorAll("ul.CodeMirror-hints:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Suggested resources");
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
