// Renders each Mermaid file given on the command line with the Mermaid
// library in headless Chromium, as a code-hosting site would, and exits 1 if
// any fails to parse or lay out. Usage: node check.js a.mmd b.mmd ...
// Needs Chromium (CHROMIUM, default /usr/bin/chromium) and `npm install`.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage();
  await page.setContent('<html><body></body></html>');
  await page.addScriptTag({ path: path.join(__dirname, 'node_modules/mermaid/dist/mermaid.min.js') });
  let failed = 0;
  for (const [i, file] of process.argv.slice(2).entries()) {
    const result = await page.evaluate(async ([id, src]) => {
      mermaid.initialize({ startOnLoad: false });
      try {
        const { svg } = await mermaid.render(id, src);
        return { ok: true, size: svg.length };
      } catch (e) {
        return { ok: false, error: String(e && e.message || e) };
      }
    }, ['d' + i, fs.readFileSync(file, 'utf8')]);
    if (result.ok) {
      console.log(`${file}: ok (${result.size} bytes of SVG)`);
    } else {
      failed++;
      console.error(`${file}: ${result.error}`);
    }
  }
  await browser.close();
  process.exit(failed ? 1 : 0);
})();
