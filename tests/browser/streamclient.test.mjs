// The JavaScript stream client (resources/web/assets/pyrite-stream.js) as another page would use
// it: imported from the plugin in real Chromium against a real pyrite-host. Subscribes, resumes
// after a drop with nothing lost or repeated, narrows its filter, says when its position is void,
// is refused without a token, and backs off while the server is away.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { makeWorkspace, parseArgs, runPageTest, saveEntry, waitFor } from './harness.mjs';

const args = parseArgs(process.argv);
const token = 'stream-client-test-token-0123456789';
const workspace = makeWorkspace({ notes: {}, tasks: {} }, { token, watch: false });

await runPageTest(args, workspace, async ({ host, page }) => {
  // A client of its own on the page, imported as any page would.
  await page.evaluate(async (secret) => {
    const { PyriteStream } = await import(`/assets/pyrite-stream.js?token=${secret}`);
    window.PyriteStream = PyriteStream;
    const client = new PyriteStream({ token: secret, types: ['entry.*'], since: 0, minRetryMs: 100 });
    window.client = client;
    window.received = [];
    window.statuses = [];
    window.resyncs = [];
    client.addEventListener('event', (event) => window.received.push(event.detail));
    client.addEventListener('status', (event) => window.statuses.push(event.detail));
    client.addEventListener('resync', (event) => window.resyncs.push(event.detail));
    client.start();
  }, token);
  await waitFor(page, () => window.client.status === 'live', null, 'the subscription');
  for (let i = 1; i <= 3; ++i) await host.send(saveEntry(`a${i}`, i === 2 ? 'tasks' : 'notes', `A${i}`));
  await waitFor(page, () => window.received.length === 3, null, 'three events');
  assert.deepEqual(await page.evaluate(() => window.received.map((event) => event.subject)),
                   ['notes/a1', 'tasks/a2', 'notes/a3']);
  console.log('ok - subscribed; events arrive in order');

  // A drop: events sent meanwhile arrive once the client is back, none twice.
  await page.evaluate(() => window.client.drop(600));
  await waitFor(page, () => window.client.status === 'reconnecting', null, 'the drop');
  for (let i = 4; i <= 5; ++i) await host.send(saveEntry(`a${i}`, 'notes', `A${i}`));
  await waitFor(page, () => window.client.status === 'live' && window.received.length === 5, null,
                'the resume', 8000);
  const sequences = await page.evaluate(() => window.received.map((event) => event.sequence));
  assert.deepEqual(sequences, [sequences[0], sequences[0] + 1, sequences[0] + 2, sequences[0] + 3,
                               sequences[0] + 4], 'no gap, no repeat');
  const reconnect = await page.evaluate(() => window.statuses.find((s) => s.status === 'reconnecting'));
  assert.equal(reconnect.retryMs, 600);
  console.log('ok - resumed after a drop without a gap or a repeat');

  // A narrower filter from the last position on.
  await page.evaluate(() => window.client.resubscribe({ filter: { kb: 'tasks' } }));
  await waitFor(page, () => window.client.status === 'live', null, 'the new filter');
  await host.send(saveEntry('b1', 'notes', 'B1'));
  await host.send(saveEntry('b2', 'tasks', 'B2'));
  await waitFor(page, () => window.received.length === 6, null, 'the filtered event');
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.received.slice(5).map((event) => event.subject)),
                   ['tasks/b2']);
  console.log('ok - resubscribed with a filter: only its events');

  // A position of another log: the client says so and continues live.
  const resync = await page.evaluate(async (secret) => {
    const other = new window.PyriteStream({ token: secret, since: 3, epoch: 'not-this-log' });
    const said = new Promise((resolve) => other.addEventListener('resync', (event) => resolve(event.detail)));
    other.start();
    const detail = await said;
    other.close();
    return { detail, status: other.status, lastSequence: other.lastSequence };
  }, token);
  assert.equal(resync.status, 'closed');
  assert.ok(resync.detail.position >= 7, `continues from the log's position (${JSON.stringify(resync)})`);
  console.log('ok - a void position is reported (resync) with where the log is');

  // Refused without the token; no retry storm.
  const refused = await page.evaluate(async () => {
    const stranger = new window.PyriteStream({ token: 'wrong-token-0123456789' });
    const said = new Promise((resolve) => stranger.addEventListener('status', (event) => {
      if (event.detail.status === 'refused') resolve(event.detail);
    }));
    stranger.start();
    const detail = await said;
    stranger.close();
    return { detail };
  });
  assert.match(refused.detail.reason, /token/);
  assert.equal(refused.detail.retryMs, 30000, 'a refused client tries again rarely');
  console.log(`ok - refused: "${refused.detail.reason}"`);

  // Nobody listening: the delay doubles up to its cap.
  const closedPort = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  const delays = await page.evaluate(async (port) => {
    const lonely = new window.PyriteStream({ url: `ws://127.0.0.1:${port}/stream`, minRetryMs: 50,
                                             maxRetryMs: 400 });
    const seen = [];
    const done = new Promise((resolve) => lonely.addEventListener('status', (event) => {
      if (event.detail.status === 'reconnecting') seen.push(event.detail.retryMs);
      if (seen.length === 6) resolve();
    }));
    lonely.start();
    await done;
    lonely.close();
    return seen;
  }, closedPort);
  assert.equal(delays[0], 50);
  for (let i = 1; i < delays.length; ++i) {
    assert.ok(delays[i] >= Math.min(delays[i - 1] * 1.75, 400) && delays[i] <= 400,
              `backoff grows to its cap: ${delays.join(', ')}`);
  }
  console.log(`ok - reconnect delays ${delays.map(Math.round).join(', ')} ms`);
}, { token, expectedConsoleErrors: /ERR_CONNECTION_REFUSED/ });
