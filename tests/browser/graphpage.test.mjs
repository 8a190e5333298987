// The live graph page in real headless Chromium against a real pyrite-host with the plugin:
// it draws the example KB, a published event adds a node within a second, a file edited under
// watch mode changes the graph, a dropped connection resumes without losing an event, a deleted
// entry fades out. Saves a screenshot to --screenshot.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { entryFile, exampleKbs, makeWorkspace, parseArgs, runPageTest, saveEntry, waitFor } from './harness.mjs';

const args = parseArgs(process.argv);

const workspace = makeWorkspace(exampleKbs(args.examples));
await runPageTest(args, workspace, async ({ host, page }) => {
  // 1. The page loads and draws the example graph.
  const nodes = await page.evaluate(() => window.pyriteGraph.nodeCount());
  assert.equal(nodes, 31, 'the example KB has 31 entries');
  console.log(`ok - drew ${nodes} entries; first render after ` +
              `${await page.evaluate(() => window.pyriteGraph.firstRenderMs)} ms`);

  // 2. A published event adds a node within a second.
  const started = Date.now();
  await host.send(saveEntry('live-note', 'research', 'Published while watching', 'note',
                            ['webhooks']));
  await waitFor(page, () => window.pyriteGraph.hasNode('research/live-note'), null,
                'the published entry', 1000);
  console.log(`ok - a published entry appeared after ${Date.now() - started} ms`);

  // 3. Watch mode: a file created in the KB folder becomes a node.
  writeFileSync(join(workspace.kbFolder('tasks'), 'task-from-disk.md'),
                entryFile('task-from-disk', 'task', 'Written to disk', ['task-graph-page']));
  await waitFor(page, () => window.pyriteGraph.hasNode('tasks/task-from-disk'), null,
                'the entry written to disk', 3000);
  console.log('ok - a file written under watch mode appeared');

  // 4. A dropped connection resumes from the last sequence: nothing published meanwhile is lost,
  //    nothing is applied twice.
  const before = await page.evaluate(() => ({ applied: window.pyriteGraph.eventsApplied,
                                              sequence: window.pyriteGraph.lastSequence }));
  await page.evaluate(() => window.pyriteGraph.dropConnection(1500));
  await waitFor(page, () => window.pyriteGraph.status === 'reconnecting', null, 'the drop');
  for (let i = 1; i <= 3; ++i)
    await host.send(saveEntry(`offline-${i}`, 'research', `Sent while offline ${i}`));
  await waitFor(page, () => window.pyriteGraph.status === 'live' &&
                             window.pyriteGraph.hasNode('research/offline-3'), null,
                'the resumed stream', 8000);
  const after = await page.evaluate(() => ({ applied: window.pyriteGraph.eventsApplied,
                                             sequence: window.pyriteGraph.lastSequence }));
  for (let i = 1; i <= 3; ++i)
    assert.ok(await page.evaluate((id) => window.pyriteGraph.hasNode(id), `research/offline-${i}`));
  assert.equal(after.applied - before.applied, 3, 'each missed event applied exactly once');
  assert.equal(after.sequence, before.sequence + 3, 'the page is at the newest sequence');
  console.log('ok - resumed after a dropped connection without losing or repeating an event');

  // 5. An edit renames the entry's title; a rename on disk keeps the node; a delete fades it out.
  const file = join(workspace.kbFolder('research'), 'webhooks.md');
  writeFileSync(file, readFileSync(file, 'utf8').replace('title: "Webhooks"', 'title: "Webhooks (edited)"'));
  await waitFor(page, () => window.pyriteGraph.titleOf('research/webhooks') === 'Webhooks (edited)',
                null, 'the edited title', 3000);
  renameSync(file, join(workspace.kbFolder('research'), 'webhooks-renamed.md'));
  unlinkSync(join(workspace.kbFolder('research'), 'ada.md'));
  await waitFor(page, () => !window.pyriteGraph.hasNode('research/ada'), null, 'the fade-out', 4000);
  assert.ok(await page.evaluate(() => window.pyriteGraph.hasNode('research/webhooks')),
            'a renamed file keeps its entry');
  console.log('ok - an edit, a rename and a delete on disk changed the graph');

  await page.screenshot({ path: args.screenshot || join(workspace.root, 'graph.png') });
  console.log(`ok - screenshot in ${args.screenshot}`);
});
