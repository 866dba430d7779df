// Audit pages with axe-core in headless Chromium (driven by playwright-core); both from npm,
// pinned in package.json. Used by tests/server/test_accessibility.py.
//
//   node tests/browser/axe_audit.mjs JOB.json
//
// JOB.json: {"chromium": "/usr/bin/chromium", "pages": [{"url": ..., "wait": "css selector"
// or null, "screenshot": "file.png" or null, "keyboard": true|false}]}. Prints one JSON
// object: {"pages": [{"url", "violations": [{"id", "impact", "help", "nodes": [targets]}],
// "passes": n, "focusable": n, "reached": n, "unreached": [html], "probe": value of the
// item's "probe" expression, "error": null}]}. An item may list "actions" to run before the
// probe and the audit, as a reader would: {"eval": "js"} (run in the page), {"type": "text"}
// (real key presses into the focused element), {"press": "Enter"}, {"wait": "css selector"},
// {"pause": ms}; so a page is audited in the state they leave (an open list of suggestions).
// The CSP of our pages allows
// only our own scripts, so the context bypasses CSP to inject axe (the page's own scripts
// still run under it).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const browser = await chromium.launch({
  executablePath: job.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const out = [];
try {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  for (const item of job.pages) {
    const page = await context.newPage();
    const result = { url: item.url, violations: [], passes: 0, error: null };
    try {
      const response = await page.goto(item.url, { waitUntil: "load", timeout: 30000 });
      result.status = response ? response.status() : null;
      if (item.wait) {
        await page.waitForSelector(item.wait, { timeout: 20000 });
      }
      await page.waitForTimeout(item.settle || 200);
      for (const action of item.actions || []) {
        if (action.eval) {
          await page.evaluate(action.eval);
        } else if (action.type !== undefined) {
          await page.keyboard.type(action.type, { delay: 60 });
        } else if (action.press) {
          await page.keyboard.press(action.press);
        } else if (action.wait) {
          await page.waitForSelector(action.wait, { timeout: 20000 });
        } else if (action.pause) {
          await page.waitForTimeout(action.pause);
        }
      }
      if (item.probe) {
        result.probe = await page.evaluate(item.probe);
      }
      if (item.screenshot) {
        await page.screenshot({ path: item.screenshot, fullPage: true });
      }
      await page.addScriptTag({ content: AXE });
      const axe = await page.evaluate(async (tags) => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { runOnly: { type: "tag", values: tags },
                                            resultTypes: ["violations"] });
        return {
          passes: r.passes.length,
          violations: r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
          })),
        };
      }, TAGS);
      result.violations = axe.violations;
      result.passes = axe.passes;
      if (item.keyboard) {
        // Tab through the page: every link, button and field must take focus in turn.
        const focusable = await page.evaluate(() => Array.from(document.querySelectorAll(
          "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"))
          .filter((e) => e.tabIndex >= 0 && !e.disabled && e.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
          .length);
        // until focus comes round to an element it has already visited (or a generous cap)
        const seen = new Set();
        for (let i = 0; i < focusable * 2 + 20; i++) {
          await page.keyboard.press("Tab");
          const id = await page.evaluate(() => {
            const e = document.activeElement;
            if (!e || e === document.body) { return null; }
            if (!e.dataset.vlTab) { e.dataset.vlTab = String(Math.random()); }
            return e.dataset.vlTab;
          });
          if (id && seen.has(id)) { break; }
          if (id) { seen.add(id); }
        }
        result.focusable = focusable;
        result.reached = seen.size;
        result.unreached = await page.evaluate(() => Array.from(document.querySelectorAll(
          "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]"))
          .filter((e) => e.tabIndex >= 0 && !e.disabled && e.checkVisibility({ visibilityProperty: true, opacityProperty: true })
                  && !e.dataset.vlTab)
          .map((e) => e.outerHTML.slice(0, 120)));
      }
    } catch (err) {
      result.error = String(err && err.message || err);
    }
    out.push(result);
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ pages: out }));
