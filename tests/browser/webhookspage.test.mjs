// The webhooks page in Debian's Chromium against a real pyrite-host with a token: reached from the
// graph page's link, it makes an endpoint (the secret shown once is the one that signs), sends a
// test event, shows each delivery with its attempts, redelivers the dead ones, edits, disables
// and deletes, and says why a save is refused. The receiver is a Node HTTP server on 127.0.0.1.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { entryFile, makeWorkspace, parseArgs, runPageTest, saveEntry, waitFor } from './harness.mjs';

const args = parseArgs(process.argv);
const token = 'page-token-for-tests';
const workspace = makeWorkspace({ research: { 'a.md': entryFile('a', 'note', 'A') } },
                                { token, watch: false });

// The receiver: answers 200, or 500 while failing; keeps every request.
const received = [];
let failing = false;
const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => { body += chunk; });
  request.on('end', () => {
    received.push({ headers: request.headers, body });
    response.writeHead(failing ? 500 : 200, { 'content-type': 'text/plain' });
    response.end(failing ? 'down for a moment' : 'ok');
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hook`;

// Whether a request carries a Standard Webhooks signature made with this secret.
function signedWith(request, secret) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body}`)
    .digest('base64');
  return request.headers['webhook-signature'].split(' ').includes(`v1,${expected}`);
}

async function eventually(condition, what, timeoutMs = 10000) {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

await runPageTest(args, workspace, async ({ host, page }) => {
  page.on('dialog', (dialog) => dialog.accept());

  // From the graph page, its link keeps the token.
  await page.click('#webhooks-link');
  await page.waitForURL(/\/webhooks\?token=/);
  await waitFor(page, () => !document.getElementById('empty').hidden, null, 'the empty list');
  console.log('ok - the graph page links to the webhooks page, token and all');

  // A refused save says why, and stores nothing.
  await page.click('#new-endpoint');
  await page.fill('#endpoint-form input[name=url]', receiverUrl);
  await page.click('#save');
  await waitFor(page, () => /refused: 127\.0\.0\.1/.test(document.getElementById('message').textContent),
                null, 'the refusal of a loopback URL');
  console.log('ok - a loopback URL without "allow private" is refused with the reason');

  // Made: the secret is shown once, and it is the one that signs.
  await page.fill('#endpoint-form input[name=id]', 'page-hook');
  await page.check('#endpoint-form input[value="entry.created"]');
  await page.check('#endpoint-form input[value="entry.updated"]');
  await page.check('#endpoint-form input[name=allow_private]');
  await page.fill('#endpoint-form input[name=max_attempts]', '1');
  await page.click('#save');
  await waitFor(page, () => !document.getElementById('secret').hidden, null, 'the new secret');
  const secret = await page.textContent('#secret-value');
  assert.match(secret, /^whsec_/);
  assert.match(await page.textContent('#message'), /plain http/);
  await waitFor(page, () => document.querySelector('tr[data-endpoint="page-hook"] [data-health="ok"]'),
                null, 'the endpoint, healthy');
  await page.click('#secret-done');
  const listed = await page.evaluate((t) => fetch('api/webhooks', { headers: { Authorization: 'Bearer ' + t } })
    .then((r) => r.text()), token);
  assert.ok(!listed.includes(secret), 'the listing never shows the secret');
  console.log('ok - a new endpoint shows its secret once');

  // A test event, answered on the page, signed with that secret.
  await page.click('tr[data-endpoint="page-hook"] button[data-action="Test"]');
  await waitFor(page, () => document.getElementById('test-answer').getAttribute('data-status') === '200',
                null, 'the test answer');
  assert.equal(received.length, 1);
  assert.ok(signedWith(received[0], secret), 'the test is signed with the secret shown');
  console.log('ok - "Test" sends a signed sample and shows the answer');

  // A delivery and its attempt in the history.
  await host.send(saveEntry('n1', 'research', 'N1'));
  await eventually(() => received.length === 2, 'the delivery');
  assert.ok(signedWith(received[1], secret));
  await page.click('tr[data-endpoint="page-hook"] button[data-action="Deliveries"]');
  await waitFor(page, () => document.querySelector('#deliveries tr[data-state="delivered"] li[data-status="200"]'),
                null, 'the delivered attempt in the history');
  console.log('ok - the history shows the delivery and its attempt');

  // Dead after its one attempt; redelivered from the page once the receiver is back.
  failing = true;
  await host.send(saveEntry('n2', 'research', 'N2'));
  await waitFor(page, () => document.querySelector('#deliveries tr[data-state="dead"] li[data-status="500"]'),
                null, 'the dead delivery with its 500', 15000);
  await waitFor(page, () => document.querySelector('tr[data-endpoint="page-hook"] [data-dead]').textContent === '1',
                null, 'the dead count');
  failing = false;
  await page.click('#redeliver-dead');
  await waitFor(page, () => !document.querySelector('#deliveries tr[data-state="dead"]') &&
                            document.querySelectorAll('#deliveries tr[data-state="delivered"]').length === 2,
                null, 'the redelivered one', 15000);
  console.log('ok - a dead delivery is redelivered from the page');

  // Edited: only updates from now on.
  await page.click('tr[data-endpoint="page-hook"] button[data-action="Edit"]');
  await page.uncheck('#endpoint-form input[value="entry.created"]');
  await page.click('#save');
  await waitFor(page, () => document.querySelector('tr[data-endpoint="page-hook"] td:nth-child(2)').textContent === 'entry.updated',
                null, 'the edited events');
  console.log('ok - an edit changes the events');

  // Disabled, then deleted.
  await page.click('tr[data-endpoint="page-hook"] button[data-action="Toggle"]');
  await waitFor(page, () => /disabled/.test(document.querySelector('tr[data-endpoint="page-hook"]').textContent),
                null, 'the disabled endpoint');
  await page.click('tr[data-endpoint="page-hook"] button[data-action="Delete"]');
  await waitFor(page, () => !document.querySelector('tr[data-endpoint="page-hook"]'), null, 'the deletion');
  console.log('ok - disable and delete');
  // The refused save above is a 400 the browser reports on its console.
}, { token, cleanup: () => receiver.close(), expectedConsoleErrors: /status of 400 \(Bad Request\)/ });
