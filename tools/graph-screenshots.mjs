// Screenshots of the live graph page for the docs, from a real run: pyrite-host with the plugin
// on a copy of the example KBs (watch mode), Debian's Chromium through playwright-core. A few
// entries are written on the way, so that the feed, a problem and the replay have something to
// show. Writes docs/images/graph-*.png.
//
//   node tools/graph-screenshots.mjs --host build/bin/pyrite-host --plugins build/plugins \
//        --modules build/browser-deps/node_modules [--out docs/images]
// (scripts/screenshots.sh passes these.)
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Host, entryFile, launchBrowser, makeWorkspace, parseArgs, saveEntry, waitFor }
  from '../tests/browser/harness.mjs';

const args = parseArgs(process.argv);
const source = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = args.out || join(source, 'docs', 'images');
mkdirSync(out, { recursive: true });

const workspace = makeWorkspace({ research: {}, tasks: {} });
for (const kb of ['research', 'tasks'])
  cpSync(join(source, 'examples', 'kb', kb), workspace.kbFolder(kb), { recursive: true });
const host = new Host(args, workspace.config);
let browser;
try {
  const url = await host.start();
  browser = await launchBrowser(args);
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await waitFor(page, () => window.pyriteGraph && window.pyriteGraph.ready &&
                             window.pyriteGraph.status === 'live', null, 'the first render', 20000);
  // Some history: entries written while the page is open, and a file that is not valid YAML.
  await host.send(saveEntry('replay-demo', 'research', 'Replay of the event log', 'topic',
                            ['event-log', 'live-graph-page']));
  await host.send(saveEntry('search-demo', 'research', 'Search and the entry panel', 'note',
                            ['replay-demo']));
  writeFileSync(join(workspace.kbFolder('tasks'), 'task-screenshots.md'),
                entryFile('task-screenshots', 'task', 'Screenshots in the docs', ['task-graph-page']));
  writeFileSync(join(workspace.kbFolder('research'), 'broken.md'), '---\ntitle: [unclosed\n---\n');
  await waitFor(page, () => window.pyriteGraph.hasNode('tasks/task-screenshots') &&
                             window.pyriteGraph.problems.length > 0, null, 'the changes', 8000);
  await page.waitForTimeout(2000); // highlights fade
  await page.screenshot({ path: join(out, 'graph-live.png') });

  const hub = await page.evaluate(() => {
    const counts = window.pyriteGraph.labelBoxes().map((box) => box.id);
    return counts[0];
  });
  const at = await page.evaluate((id) => window.pyriteGraph.screenPosition(id), hub);
  await page.mouse.move(at.x, at.y);
  await waitFor(page, () => window.pyriteGraph.dimmed, null, 'the hover');
  await page.screenshot({ path: join(out, 'graph-hover.png') });
  await page.mouse.move(5, 400);

  await page.fill('#search-input', 'webhooks');
  await page.keyboard.press('Enter');
  await waitFor(page, () => window.pyriteGraph.selected !== null, null, 'the entry panel');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'graph-entry.png') });
  await page.keyboard.press('Escape');

  await page.evaluate(() => window.pyriteGraph.replayAtSpeed(5));
  await waitFor(page, () => window.pyriteGraph.replay && window.pyriteGraph.replay.index >= 2,
                null, 'the replay', 10000);
  await page.click('#replay-play');
  await page.screenshot({ path: join(out, 'graph-replay.png') });
  await page.click('#replay-live');

  await page.click('#theme-toggle');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(out, 'graph-light.png') });
  await page.click('#theme-toggle');
  console.log(`screenshots in ${out}: graph-live, graph-hover, graph-entry, graph-replay, graph-light`);
} finally {
  if (browser) await browser.close();
  await host.stop();
  workspace.remove();
}
