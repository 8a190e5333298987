// The live graph page with a big graph (over 1,000 entries), where changes are drawn on the live
// layer first and merged into the graph below every few seconds: created, updated and deleted
// entries show at once, stay right across the merge, and the live layer empties afterwards.
import assert from 'node:assert/strict';
import { entryFile, makeWorkspace, parseArgs, runPageTest, saveEntry, waitFor } from './harness.mjs';

const args = parseArgs(process.argv);
const entries = 1200;
const files = {};
for (let n = 0; n < entries; ++n)
  files[`e${n}.md`] = entryFile(`e${n}`, n % 2 ? 'note' : 'paper', `Entry ${n}`, [`e${(n + 1) % entries}`]);
const workspace = makeWorkspace({ big: files }, { watch: false });
await runPageTest(args, workspace, async ({ host, page }) => {
  assert.equal(await page.evaluate(() => window.pyriteGraph.nodeCount()), entries);

  // One of each change, all within one merge interval.
  await host.send(saveEntry('new-one', 'big', 'Brand new', 'note', ['e5']));
  await host.send(saveEntry('e7', 'big', 'Entry 7 renamed', 'note', [], 'update'));
  await host.send({ id: 3, hook: 'after_delete', entry: { id: 'e9', title: 'Entry 9' },
                    context: { kb_name: 'big', user: 'browser-test', operation: 'delete' } });
  await waitFor(page, () => window.pyriteGraph.hasNode('big/new-one') &&
                             window.pyriteGraph.titleOf('big/e7') === 'Entry 7 renamed' &&
                             !window.pyriteGraph.hasNode('big/e9'), null, 'the three changes', 2000);
  const before = await page.evaluate(() => ({ live: window.pyriteGraph.liveElements,
                                              unmerged: window.pyriteGraph.unmerged,
                                              nodes: window.pyriteGraph.nodeCount() }));
  assert.ok(before.live > 0, 'the changes are on the live layer');
  assert.equal(before.nodes, entries, 'one created, one deleted');
  console.log(`ok - create, update and delete shown at once (live layer: ${before.live} elements, ` +
              `${before.unmerged} changes to merge)`);

  // After the merge and the highlights, the graph below holds it all and the layer is empty.
  await waitFor(page, () => window.pyriteGraph.unmerged === 0 &&
                             window.pyriteGraph.liveElements === 0, null, 'the merge', 12000);
  assert.ok(await page.evaluate(() => window.pyriteGraph.hasNode('big/new-one')));
  assert.equal(await page.evaluate(() => window.pyriteGraph.titleOf('big/e7')), 'Entry 7 renamed');
  assert.ok(!(await page.evaluate(() => window.pyriteGraph.hasNode('big/e9'))));
  assert.equal(await page.evaluate(() => window.pyriteGraph.nodeCount()), entries);
  console.log('ok - merged into the graph below; the live layer is empty again');
}, { firstRenderTimeoutMs: 20000 });
