// Shared by the graph page test (graphpage.test.mjs) and benchmark (bench/graphpage.bench.mjs):
// a real pyrite-host in a child process, and Debian's Chromium driven by playwright-core.
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function parseArgs(argv) {
  const args = {};
  for (let i = 2; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const needed of ['host', 'plugins', 'modules']) {
    if (!args[needed]) throw new Error(`missing --${needed} (see tests/CMakeLists.txt)`);
  }
  return args;
}

// A temp folder with a pyrite.yaml whose plugin listens on a free port, and the KBs given as
// { name: { 'file.md': 'content' } }.
// stream: further lines of the plugin's stream: section ("entry_url: …").
export function makeWorkspace(kbs, { token = '', watch = true, stream = [] } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'pyrite-graphpage-'));
  const lines = [`data_dir: ${root}/data`, 'strict_plugins: true', `watch: ${watch}`,
                 'knowledge_bases:'];
  for (const [name, files] of Object.entries(kbs)) {
    const folder = join(root, 'kb', name);
    mkdirSync(folder, { recursive: true });
    for (const [file, content] of Object.entries(files)) writeFileSync(join(folder, file), content);
    lines.push(`  - name: ${name}`, `    path: ${folder}`);
  }
  lines.push('plugins:', '  - name: eventbus', '    settings:', '      instance: browser-test',
             '      stream:', '        port: 0');
  if (token) lines.push(`        tokens: [${token}]`);
  for (const line of stream) lines.push(`        ${line}`);
  writeFileSync(join(root, 'pyrite.yaml'), lines.join('\n') + '\n');
  return { root, config: join(root, 'pyrite.yaml'), kbFolder: (name) => join(root, 'kb', name),
           remove: () => rmSync(root, { recursive: true, force: true }) };
}

// The example KBs (examples/kb/research and tasks) as makeWorkspace() takes them; files in
// subfolders keep the folder in their name ("papers-kreps-2013.md").
export function exampleKbs(examples) {
  const kbs = {};
  for (const kb of ['research', 'tasks']) {
    kbs[kb] = {};
    const walk = (dir, prefix) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}-`);
        else if (entry.name.endsWith('.md')) kbs[kb][prefix + entry.name] = readFileSync(join(dir, entry.name));
      }
    };
    walk(join(examples, 'kb', kb), '');
  }
  return kbs;
}

export function entryFile(id, type, title, links = []) {
  const linkLines = links.map((target) => `  - target: ${target}`).join('\n');
  return `---\nid: ${id}\ntitle: "${title}"\ntype: ${type}\n` +
         (links.length ? `links:\n${linkLines}\n` : '') + `---\n# ${title}\n`;
}

export class Host {
  constructor(args, config) {
    this.args = args;
    this.config = config;
    this.stderr = '';
  }

  start(timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      this.process = spawn(this.args.host, ['--config', this.config, '--plugin-dir', this.args.plugins],
                           { stdio: ['ignore', 'ignore', 'pipe'],
                             env: { ...process.env, QT_LOGGING_RULES: 'pyrite.*.info=true' } });
      const timer = setTimeout(() => reject(new Error('pyrite-host did not start:\n' + this.stderr)),
                               timeoutMs);
      this.process.stderr.on('data', (chunk) => {
        this.stderr += chunk;
        const url = /live graph on (http:\/\/\S+)/.exec(this.stderr);
        if (url && /ready; Ctrl\+C stops/.test(this.stderr) && !this.url) {
          this.url = url[1];
          clearTimeout(timer);
          resolve(this.url);
        }
      });
      this.process.on('exit', (code) => {
        if (!this.url) reject(new Error(`pyrite-host exited with ${code}:\n${this.stderr}`));
      });
    });
  }

  // One hook call through the bridge, as Pyrite's bridge module makes it.
  send(request) {
    return new Promise((resolve, reject) => {
      execFile(this.args.host, ['send', '--config', this.config, '--plugin-dir', this.args.plugins,
                                JSON.stringify(request)],
               (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message))
                                                 : resolve(stdout)));
    });
  }

  stop() {
    if (!this.process || this.process.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.process.on('exit', resolve);
      this.process.kill('SIGTERM');
    });
  }
}

// GET on the plugin's HTTP API from the test (not the page), as JSON.
export async function getJson(url, path, token = '') {
  const response = await fetch(new URL(path, url), token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

export function saveEntry(id, kb, title, type = 'note', links = [], operation = 'create') {
  return { id: 1, hook: 'after_save', entry: { id, title, type, links },
           context: { kb_name: kb, user: 'browser-test', operation } };
}

export async function launchBrowser(args, extraArgs = []) {
  const { chromium } = require(join(args.modules, 'playwright-core'));
  return chromium.launch({
    executablePath: args.chromium || '/usr/bin/chromium',
    // As root in a closed network: no sandbox, and none of Chromium's own background traffic.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           ...extraArgs],
  });
}

export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// page.waitForFunction with a message that says what was awaited.
export async function waitFor(page, predicate, arg, what, timeout = 5000) {
  try {
    await page.waitForFunction(predicate, arg, { timeout, polling: 20 });
  } catch (error) {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
  }
}

// A browser test's frame: starts pyrite-host on workspace and Chromium, opens the page (with
// ?token= when given) and waits until it is drawn and live, runs body({ host, page, url }), and
// requires that the page threw no script error. A failure is reported with the end of the host's
// stderr; the host, the browser, the workspace and what cleanup() closes are always cleaned up,
// and the process exits 0 or 1. Errors on the page's console fail the test too, but for those
// that expectedConsoleErrors (a RegExp) matches.
export async function runPageTest(args, workspace, body,
                                  { firstRenderTimeoutMs = 15000, browserArgs = [], token = '',
                                    cleanup = () => {}, expectedConsoleErrors = null } = {}) {
  const host = new Host(args, workspace.config);
  let browser;
  let failed = false;
  const pageErrors = [];
  try {
    const url = await host.start();
    browser = await launchBrowser(args, browserArgs);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !(expectedConsoleErrors && expectedConsoleErrors.test(message.text())))
        pageErrors.push(`console: ${message.text()}`);
    });
    await page.goto(token ? `${url}?token=${token}` : url);
    await waitFor(page, () => window.pyriteGraph && window.pyriteGraph.ready &&
                               window.pyriteGraph.status === 'live', null, 'the first render',
                  firstRenderTimeoutMs);
    await body({ host, page, url, browser });
    if (pageErrors.length) throw new Error(`script errors on the page: ${pageErrors.join('; ')}`);
  } catch (error) {
    failed = true;
    console.error('not ok -', error.message);
    if (pageErrors.length) console.error('--- the page\'s errors ---\n' + pageErrors.join('\n'));
    console.error('--- pyrite-host stderr ---\n' + host.stderr.split('\n').slice(-40).join('\n'));
  } finally {
    if (browser) await browser.close();
    await host.stop();
    workspace.remove();
    cleanup();
  }
  process.exit(failed ? 1 : 0);
}
