// The graph page as a graph-tool user works with it, in real headless Chromium against a real
// pyrite-host on the example KBs (watch mode): labels that do not overlap, hover, the entry panel,
// search, a filter that fits, where a new entry lands, counters that match /api/graph after a
// delete, files with problems listed live, the feed's history, and a replay that ends on the live
// graph.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { exampleKbs, getJson, makeWorkspace, parseArgs, runPageTest, saveEntry, waitFor }
  from './harness.mjs';

const args = parseArgs(process.argv);

function overlapping(boxes) {
  const pairs = [];
  for (let i = 0; i < boxes.length; ++i) {
    for (let j = i + 1; j < boxes.length; ++j) {
      const a = boxes[i];
      const b = boxes[j];
      if (a.x1 < b.x2 - 1 && b.x1 < a.x2 - 1 && a.y1 < b.y2 - 1 && b.y1 < a.y2 - 1) pairs.push(`${a.id} / ${b.id}`);
    }
  }
  return pairs;
}

async function countsMatch(page, url) {
  const graph = await getJson(url, '/api/graph');
  const header = await page.textContent('#counts');
  return { graph: `${graph.nodes.length} entries, ${graph.edges.length} links`, header };
}

const workspace = makeWorkspace(exampleKbs(args.examples), { stream: ['entry_url: http://localhost:8088/entries/{id}?kb={kb}'] });
await runPageTest(args, workspace, async ({ host, page, url }) => {
  // Labels: some shown, none covering another, at the zoom the page opens with.
  await page.waitForTimeout(400);
  let boxes = await page.evaluate(() => window.pyriteGraph.labelBoxes());
  assert.ok(boxes.length >= 10, `at least 10 of 31 labels show (${boxes.length})`);
  assert.deepEqual(overlapping(boxes), [], 'no label covers another');
  console.log(`ok - ${boxes.length} labels at the default zoom, none overlapping`);

  // Hover with the mouse: the entry and its neighbours over a dimmed graph.
  const at = await page.evaluate(() => window.pyriteGraph.screenPosition('research/webhooks'));
  await page.mouse.move(at.x, at.y);
  await waitFor(page, () => window.pyriteGraph.dimmed, null, 'the hover highlight');
  const focused = await page.evaluate(() => window.pyriteGraph.focusIds());
  for (const id of ['research/webhooks', 'research/standard-webhooks', 'research/outbox-pattern'])
    assert.ok(focused.includes(id), `${id} is highlighted (${focused})`);
  assert.ok(!focused.includes('research/hmac-signatures'), 'a non-neighbour is not');
  await page.mouse.move(3, 500);
  await waitFor(page, () => !window.pyriteGraph.dimmed, null, 'the hover to end');
  console.log(`ok - hover highlights ${focused.length - 1} neighbours and dims the rest`);

  // Click: the side panel with the entry, its links both ways, its events and Pyrite's address.
  await host.send(saveEntry('webhooks', 'research', 'Webhooks', 'topic',
                            ['standard-webhooks', 'retry-backoff', 'outbox-pattern'], 'update'));
  await page.mouse.click(at.x, at.y);
  await waitFor(page, () => window.pyriteGraph.selected === 'research/webhooks', null, 'the selection');
  await waitFor(page, () => document.querySelectorAll('#entry-events li').length > 0 &&
                             !document.querySelector('#entry-events').textContent.includes('none'),
                null, 'the entry\'s events');
  assert.equal(await page.textContent('#entry-title'), 'Webhooks');
  assert.match(await page.textContent('#entry-meta'), /topic in research/);
  assert.equal(await page.textContent('#entry-path'), 'research: webhooks.md');
  assert.ok((await page.$$('#entry-out li')).length >= 3, 'links out listed');
  assert.ok((await page.$$('#entry-in li')).length >= 1, 'links in listed');
  assert.match(await page.textContent('#entry-events'), /entry\.updated #\d+/);
  assert.equal(await page.getAttribute('#entry-link', 'href'),
               'http://localhost:8088/entries/webhooks?kb=research');
  await page.click('#entry-close');
  await waitFor(page, () => document.getElementById('entry').hidden, null, 'the panel to close');
  console.log('ok - a click opens the entry panel (links both ways, events, Pyrite link)');

  // Search by title: Enter centres and selects the best match.
  await page.fill('#search-input', 'idempot');
  await waitFor(page, () => !document.getElementById('search-results').hidden, null, 'the results');
  await page.keyboard.press('Enter');
  await waitFor(page, () => window.pyriteGraph.selected === 'research/idempotent-receivers', null,
                'the search result');
  const offset = await page.evaluate(() => window.pyriteGraph.centerOffset('research/idempotent-receivers'));
  assert.ok(offset < 5, `the found entry is in the middle of the view (${offset} px off)`);
  await page.keyboard.press('Escape');
  console.log('ok - search by title centres and selects the entry');

  // A new entry lands next to what it links to, on no other entry.
  await host.send(saveEntry('placed', 'research', 'Placed next to its link', 'note', ['append-only-log']));
  await waitFor(page, () => window.pyriteGraph.hasNode('research/placed'), null, 'the new entry');
  const distances = await page.evaluate(() => window.pyriteGraph.distances('research/placed'));
  assert.ok(distances.nearest >= 40, `it covers no other entry (nearest ${distances.nearest})`);
  assert.ok(distances.linked <= 320, `it is near what it links to (${distances.linked})`);
  console.log(`ok - a new entry appears ${Math.round(distances.linked)} px from its link, ` +
              `${Math.round(distances.nearest)} px from the nearest entry`);

  // Counters match /api/graph after a delete at once, not at the next event.
  unlinkSync(join(workspace.kbFolder('research'), 'circuit-breaker.md'));
  await waitFor(page, () => !window.pyriteGraph.hasNode('research/circuit-breaker'), null,
                'the delete', 4000);
  // (The header is written at most four times a second; no further event is needed.)
  const graph = await getJson(url, '/api/graph');
  const expected = `${graph.nodes.length} entries, ${graph.edges.length} links`;
  await waitFor(page, (text) => document.getElementById('counts').textContent.startsWith(text), expected,
                `the header to say "${expected}"`, 1000);
  console.log(`ok - counters after a delete: ${expected}`);

  // A file that turns bad is listed within seconds, and goes once it is mended.
  const file = join(workspace.kbFolder('research'), 'ada.md');
  const good = readFileSync(file, 'utf8');
  writeFileSync(file, '---\nid: ada\ntitle: [unclosed\n---\n');
  await waitFor(page, () => window.pyriteGraph.problems.some((problem) => problem.includes('ada.md:')),
                null, 'the problem to show', 8000);
  assert.match(await page.textContent('#problem-list'), /ada\.md:4:1: invalid YAML/);
  writeFileSync(file, good);
  await waitFor(page, () => !window.pyriteGraph.problems.some((problem) => problem.includes('ada.md')),
                null, 'the problem to go', 8000);
  console.log('ok - a bad file is listed on the page and goes once mended');

  // A filter fits the view without blowing it up, labels apart.
  await page.selectOption('select[name=entry_type]', 'paper');
  await waitFor(page, () => window.pyriteGraph.counts().nodes < 10, null, 'the filtered graph');
  await page.waitForTimeout(400);
  assert.ok(await page.evaluate(() => window.pyriteGraph.zoom) <= 1.6, 'zoom capped');
  boxes = await page.evaluate(() => window.pyriteGraph.labelBoxes());
  assert.ok(boxes.length >= 3, `labels of the papers show (${boxes.length})`);
  assert.deepEqual(overlapping(boxes), [], 'no label covers another in the filter view');
  await page.selectOption('select[name=entry_type]', '');
  await waitFor(page, () => window.pyriteGraph.counts().nodes > 30, null, 'the whole graph again');
  console.log(`ok - the "paper" filter fits at zoom ${(await page.evaluate(() => window.pyriteGraph.zoom)).toFixed(2)}`);

  // History: a page opened now shows the latest events at once.
  await page.reload();
  await waitFor(page, () => window.pyriteGraph && window.pyriteGraph.ready &&
                             window.pyriteGraph.status === 'live', null, 'the reload', 15000);
  await waitFor(page, () => document.querySelectorAll('#feed li').length >= 4, null, 'the history');
  // The header names the position the page is at before any new event arrives.
  const position = (await getJson(url, '/api/graph')).sequence;
  await waitFor(page, (text) => document.getElementById('counts').textContent.endsWith(text),
                `sequence ${position}`, `the header to say sequence ${position}`, 1000);
  const feed = await page.textContent('#feed');
  assert.match(feed, /entry\.deleted.*research\/circuit-breaker/s);
  assert.match(feed, /entry\.created.*research\/placed/s);
  console.log('ok - the feed opens with the latest events from the log');

  // Replay: from the log's first event to now; at the end the graph is the live one.
  await page.evaluate(() => window.pyriteGraph.replayAtSpeed('max'));
  await waitFor(page, () => window.pyriteGraph.mode === 'live' && window.pyriteGraph.replayMismatch !== null,
                null, 'the replay to end', 15000);
  assert.equal(await page.evaluate(() => window.pyriteGraph.replayMismatch), 0,
               'replayed to the end, the graph equals the live one');
  const after = await countsMatch(page, url);
  await waitFor(page, (text) => document.getElementById('counts').textContent.startsWith(text), after.graph,
                `the header to say "${after.graph}" after the replay`, 1000);
  // A slow one can be paused, moved and left for live.
  await page.evaluate(() => window.pyriteGraph.replayAtSpeed(5));
  await waitFor(page, () => window.pyriteGraph.replay && window.pyriteGraph.replay.playing, null, 'the replay');
  await page.click('#replay-play');
  await waitFor(page, () => !window.pyriteGraph.replay.playing, null, 'the pause');
  await page.$eval('#replay-position', (slider) => {
    slider.value = '0';
    slider.dispatchEvent(new Event('input'));
  });
  const atStart = await page.evaluate(() => window.pyriteGraph.replay);
  assert.equal(atStart.index, 0, `the slider took it to the start: ${JSON.stringify(atStart)}`);
  assert.equal(atStart.playing, false, 'paused');
  assert.ok(!(await page.evaluate(() => window.pyriteGraph.hasNode('research/placed'))),
            'before the log, an entry made later is not there');
  await page.click('#replay-live');
  await waitFor(page, () => window.pyriteGraph.mode === 'live' &&
                             window.pyriteGraph.hasNode('research/placed'), null, 'live again');
  console.log('ok - replay to the end equals the live graph; pause, jump and back to live');
});
