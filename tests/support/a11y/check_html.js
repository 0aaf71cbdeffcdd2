// Runs axe-core on one HTML file under jsdom (no browser) and prints the result as JSON:
// {"violations": [{"id", "impact", "help", "nodes"}], "passes": N}. Exit 0 when it ran, whatever it found.
"use strict";
const fs = require("fs");
const { JSDOM } = require("jsdom");

async function main() {
  const html = fs.readFileSync(process.argv[2], "utf8");
  const dom = new JSDOM(html, { runScripts: "outside-only", pretendToBeVisual: true });
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  dom.window.eval(axeSource);
  const results = await dom.window.axe.run(dom.window.document, {
    resultTypes: ["violations"],
    rules: { "color-contrast": { enabled: false } }, // jsdom does no layout; colours are checked in Python
  });
  const violations = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.html),
  }));
  process.stdout.write(JSON.stringify({ violations, passes: results.passes.length }) + "\n");
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
