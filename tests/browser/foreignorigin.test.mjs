// Pages of other sites against the plugin in the default configuration (no token, no
// allowed_origins), in real Chromium: before, any page the user opened read the whole event log
// over the stream, and a DNS-rebinding page used the API. Now:
//  - a page of another origin (another port on this machine) opens ws://…/stream and /ws: the
//    handshake is refused, no event arrives; its no-cors POST to the API is refused (403);
//  - a page of a name that resolves to 127.0.0.1 (DNS rebinding, here by Chromium's resolver
//    rules) is refused by Host (421), the page itself and the API alike;
//  - the plugin's own page, by address and as localhost, still reads the stream.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { entryFile, makeWorkspace, parseArgs, runPageTest, saveEntry } from './harness.mjs';

const args = parseArgs(process.argv);
const workspace = makeWorkspace({ research: { 'secret.md': entryFile('secret-plan', 'note', 'Secret plan') } },
                                { watch: false });

// The attacker's site: a blank page on another port of 127.0.0.1.
const attacker = createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/html' });
  response.end('<!doctype html><title>elsewhere</title>');
});
await new Promise((resolve) => attacker.listen(0, '127.0.0.1', resolve));
const attackerPort = attacker.address().port;

// Polls condition() every 20 ms for up to timeoutMs; says what it waited for when it fails.
async function eventually(condition, what, timeoutMs = 5000) {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// In the page: opens url, subscribes from the first event, and reports what came within 1.5 s.
function tryStream(url) {
  return new Promise((resolve) => {
    const seen = { opened: false, events: 0, closed: false };
    const socket = new WebSocket(url);
    socket.onopen = () => {
      seen.opened = true;
      socket.send(JSON.stringify({ op: 'subscribe', id: 's', types: ['*'], since: 0 }));
    };
    socket.onmessage = (message) => {
      if (JSON.parse(message.data).op === 'event' || message.data.includes('secret-plan')) seen.events++;
    };
    socket.onclose = () => { seen.closed = true; };
    setTimeout(() => resolve(seen), 1500);
  });
}

try {
  await runPageTest(args, workspace, async ({ host, page, url, browser }) => {
    const port = new URL(url).port;
    const streamUrl = `ws://127.0.0.1:${port}/stream`;
    await host.send(saveEntry('secret-plan', 'research', 'Secret plan'));

    // The own page reads the stream (the graph page is drawn from it already).
    const own = await page.evaluate(tryStream, streamUrl);
    assert.ok(own.opened && own.events > 0, `the own page reads the stream: ${JSON.stringify(own)}`);
    console.log(`ok - the plugin's own page reads the stream (${own.events} events)`);

    const foreign = await browser.newPage();
    await foreign.goto(`http://localhost:${attackerPort}/`);
    for (const path of ['/stream', '/ws']) {
      const seen = await foreign.evaluate(tryStream, `ws://127.0.0.1:${port}${path}`);
      assert.deepEqual(seen, { opened: false, events: 0, closed: true },
                       `a foreign page on ${path}: ${JSON.stringify(seen)}`);
    }
    assert.match(host.stderr, /refused a WebSocket handshake from origin http:\/\/localhost:\d+/);
    console.log('ok - a page of another origin cannot open the stream (/stream, /ws)');

    // A form-like POST that needs no CORS answer: the API must refuse to act.
    const before = (host.stderr.match(/refused HTTP \/api\/webhooks\/test/g) || []).length;
    await foreign.evaluate((target) => fetch(target, { method: 'POST', mode: 'no-cors' }).catch(() => {}),
                           `http://127.0.0.1:${port}/api/webhooks/test?url=http://example.com/`);
    await eventually(() => (host.stderr.match(/refused HTTP \/api\/webhooks\/test .*origin http:\/\/localhost/g) || [])
                             .length > before, 'the host to refuse the foreign POST by its origin');
    console.log('ok - a page of another origin cannot make the API act (403)');

    // DNS rebinding: evil.example resolves to 127.0.0.1; the page is "same origin" with the API.
    const rebound = await browser.newPage();
    const answer = await rebound.goto(`http://evil.example:${port}/`);
    assert.equal(answer.status(), 421, 'the page under a rebound name is refused by Host');
    const api = await rebound.evaluate(async (target) => (await fetch(target)).status,
                                       `http://evil.example:${port}/api/events?since=0`);
    assert.equal(api, 421);
    const seen = await rebound.evaluate(tryStream, `ws://evil.example:${port}/stream`);
    assert.equal(seen.events, 0, 'no event through a rebound name');
    assert.equal(seen.opened, false);
    console.log('ok - a DNS-rebinding page is refused by Host (page, API and stream: 421)');

    // localhost is this machine's own name for a loopback address: the page works there too.
    const local = await browser.newPage();
    assert.equal((await local.goto(`http://localhost:${port}/`)).status(), 200);
    const localSeen = await local.evaluate(tryStream, `ws://localhost:${port}/stream`);
    assert.ok(localSeen.opened && localSeen.events > 0, 'the own page as localhost reads the stream');
    console.log('ok - the own page as http://localhost reads the stream');
  }, { browserArgs: ['--host-resolver-rules=MAP evil.example 127.0.0.1'] });
} finally {
  attacker.close();
}
