// The live graph page: loads /api/graph, keeps it current from the event stream, and offers
// search, an entry panel, the latest events, the files with problems and a replay of the log
// (docs/http.md). index.html's import map carries the token to these imports.
import { PyriteStream } from './pyrite-stream.js';
import { GraphState } from './graphstate.js';
import { GraphView } from './graphview.js';
import { Replay } from './timeline.js';
import { typeColor } from './typecolors.js';

const params = new URLSearchParams(location.search);
const token = params.get('token') || '';
const FeedLength = 200;
const HistoryPage = 50;
const ProblemsEveryMs = 3000;
const $ = (id) => document.getElementById(id);

const page = {
  live: null, // GraphState: the graph as the server has it now
  view: null,
  stream: null,
  replay: null,
  replayBuffer: null, // live events that came while a replay was loading
  mode: 'live',
  entryUrl: '',
  filters: { types: [], kb: '', entry_type: '' },
  pending: [],
  reloadTimer: 0,
  problemsTimer: 0,
  firstRenderMs: null,
  eventsApplied: 0,
  latencies: [],
  arrivals: [],
  oldestInFeed: 0,
  problems: [],
  replayMismatch: null,
};

// An answer's JSON, or an error with the server's message.
function bodyOf(response) {
  return response.json().then((body) => {
    if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
    return body;
  });
}

function api(path) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  return fetch(path, { headers }).then(bodyOf);
}

function setStatus(status, text) {
  page.status = status;
  const badge = $('status');
  badge.className = `status ${status}`;
  badge.textContent = text;
}

function shownState() {
  return page.mode === 'replay' && page.replay && page.replay.state ? page.replay.state : page.live;
}

// From the page's own model: the same rules as the server, so they match /api/graph after each
// change. Written at most four times a second (a text change costs a layout of the header); the
// last change is always written.
function updateCounts(now = false) {
  if (!now && performance.now() - (page.countsWritten || 0) < 250) {
    if (!page.countsTimer) page.countsTimer = setTimeout(() => { page.countsTimer = 0; updateCounts(); }, 250);
    return;
  }
  page.countsWritten = performance.now();
  const state = shownState();
  if (!state) return;
  // The stream's position once it runs; until then the graph's.
  const sequence = page.stream ? page.stream.lastSequence : page.graphSequence || 0;
  $('counts').textContent = `${state.nodes.size} entries, ${state.edgeCount} links` +
    (page.mode === 'replay' ? ' (replay)' : `, sequence ${sequence}`);
}

// --- Loading and live changes ---------------------------------------------------------------------

// index.html asks for the whole graph while the scripts load; the first load takes that answer.
function firstGraph() {
  const early = window.pyriteEarlyGraph;
  window.pyriteEarlyGraph = null;
  if (!early || page.filters.kb || page.filters.entry_type) return null;
  return early.then(bodyOf);
}

async function loadGraph({ keepPlaces = false } = {}) {
  const search = new URLSearchParams();
  if (page.filters.kb) search.set('kb', page.filters.kb);
  if (page.filters.entry_type) search.set('entry_type', page.filters.entry_type);
  const timings = { started: performance.now() };
  let graph = await (firstGraph() || api(`/api/graph?${search}`));
  while (graph.loading) { // the plugin is still reading the KB folders
    await new Promise((resolve) => setTimeout(resolve, 300));
    graph = await api(`/api/graph?${search}`);
  }
  timings.fetched = performance.now();
  page.live = GraphState.fromGraph(graph);
  timings.modelled = performance.now();
  page.entryUrl = graph.entry_url || '';
  if (!keepPlaces) page.view.positions.clear();
  page.view.load(page.live, { layout: true });
  timings.laidOut = performance.now();
  page.timings = timings;
  fillFilterChoices(graph.nodes);
  renderLegend();
  showProblems(graph.problems || []);
  page.graphSequence = graph.sequence;
  if (page.stream) page.stream.setPosition(graph.sequence);
  if (page.firstRenderMs === null) {
    page.view.cy.one('render', () => {
      page.firstRenderMs = Math.round(performance.now());
      console.log(`first render of ${graph.nodes.length} nodes after ${page.firstRenderMs} ms`);
    });
  }
  updateCounts();
  return graph;
}

function receive(event) {
  const sent = Date.parse(event.time);
  if (!isNaN(sent) && page.arrivals.length < 100000) page.arrivals.push(Date.now() - sent);
  // Applied once per frame, all together: one style pass and one redraw for however many
  // events arrived, which keeps a 5,000-entry graph current at 100 events/s.
  page.pending.push(event);
  if (page.pending.length === 1) requestAnimationFrame(applyPending);
}

function applyPending() {
  const events = page.pending;
  page.pending = [];
  const changes = GraphState.noChanges();
  for (const event of events) page.live.apply(event, changes);
  if (changes.reload) {
    // kb.indexed: the server read a KB folder again; take its graph, entries keep their places.
    clearTimeout(page.reloadTimer);
    page.reloadTimer = setTimeout(() => { if (page.mode === 'live') loadGraph({ keepPlaces: true }); }, 500);
  }
  if (page.mode === 'live') {
    page.view.applyChanges(changes);
  } else if (page.replayBuffer) {
    page.replayBuffer.push(...events);
  } else if (page.replay) {
    page.replay.append(events);
  }
  addToFeed(events, false);
  page.eventsApplied += events.length;
  updateCounts();
  // The panel asks the log for the entry's events: only when this batch changed that entry.
  if (page.view.selected && touches(changes, page.view.selected)) renderPanel(page.view.selected);
  scheduleProblems(400);
  // The frame after this one shows them.
  requestAnimationFrame(() => {
    const now = Date.now();
    for (const event of events) {
      const sent = Date.parse(event.time);
      if (!isNaN(sent) && page.latencies.length < 100000) page.latencies.push(now - sent);
    }
  });
}

// Whether changes (GraphState.apply) concern what the panel shows of entry id: itself, its
// links, or an entry it lists.
function touches(changes, id) {
  const shown = new Set([id, ...page.live.neighbours(id)]);
  return [changes.nodesAdded, changes.nodesUpdated, changes.nodesRemoved]
    .some((ids) => ids.some((changed) => shown.has(changed))) ||
    changes.edgesAdded.some((edge) => edge.source === id || edge.target === id) ||
    changes.edgesRemoved.some((edgeId) => edgeId.startsWith(`${id}->`) || edgeId.includes(`->${id}#`));
}

// --- Feed -----------------------------------------------------------------------------------------

function describe(event) {
  const data = event.data || {};
  if (data.entry_id) return `${data.kb ? `${data.kb}/` : ''}${data.entry_id}${data.title ? ` — ${data.title}` : ''}`;
  return event.subject || '';
}

function feedItem(type, text, sequence, problem, entryId) {
  const item = document.createElement('li');
  if (problem) item.className = 'gap';
  if (entryId) item.dataset.entry = entryId;
  const label = document.createElement('span');
  label.className = 'type';
  label.textContent = type;
  item.appendChild(label);
  if (sequence) {
    const seq = document.createElement('span');
    seq.className = 'seq';
    seq.textContent = `#${sequence}`;
    item.appendChild(seq);
  }
  item.appendChild(document.createTextNode(` ${text}`));
  return item;
}

function eventItem(event) {
  const data = event.data || {};
  return feedItem(event.type, describe(event), event.sequence, false,
                  data.kb && data.entry_id ? `${data.kb}/${data.entry_id}` : '');
}

// newestFirst: events in the order they are listed. older: they go below what is there.
function addToFeed(events, older) {
  const list = $('feed');
  const fragment = document.createDocumentFragment();
  if (older) {
    for (const event of events) fragment.appendChild(eventItem(event));
    list.appendChild(fragment);
  } else {
    for (let i = events.length - 1; i >= 0; --i) fragment.appendChild(eventItem(events[i]));
    list.insertBefore(fragment, list.firstChild);
    while (list.childNodes.length > Math.max(FeedLength, page.feedKept || 0)) list.removeChild(list.lastChild);
  }
}

function addNotice(type, text) {
  const list = $('feed');
  list.insertBefore(feedItem(type, text, 0, true), list.firstChild);
}

function historyQuery(before) {
  const search = new URLSearchParams({ order: 'newest', limit: String(HistoryPage) });
  if (before) search.set('before', String(before));
  if (page.filters.types.length) search.set('type', page.filters.types.join(','));
  if (page.filters.kb) search.set('kb', page.filters.kb);
  if (page.filters.entry_type) search.set('entry_type', page.filters.entry_type);
  return `/api/events?${search}`;
}

// The feed opens with the latest events from the log, older ones on request.
async function loadHistory(before = 0) {
  if (!page.filters.types.length) return;
  try {
    const history = await api(historyQuery(before));
    const upTo = page.stream ? page.stream.lastSequence : Infinity;
    const events = history.events.filter((event) => event.sequence <= upTo); // live ones come live
    if (!before) $('feed').textContent = '';
    addToFeed(events, true);
    page.oldestInFeed = history.last_sequence;
    page.feedKept = $('feed').childNodes.length;
    $('feed-older').hidden = !history.more;
  } catch (error) {
    // The log may be off (event_log.driver: none): the feed then starts empty.
    $('feed-older').hidden = true;
    if (!/event log is off/.test(error.message)) addNotice('error', error.message);
  }
}

// --- Problems -------------------------------------------------------------------------------------

function showProblems(problems) {
  page.problems = problems;
  const list = $('problem-list');
  list.textContent = '';
  for (const problem of problems) {
    const item = document.createElement('li');
    item.textContent = problem;
    list.appendChild(item);
  }
  $('problem-count').textContent = problems.length ? `(${problems.length})` : '— none';
}

// A file that turns bad makes no event: asked for every few seconds, and soon after events.
function scheduleProblems(delayMs = ProblemsEveryMs) {
  clearTimeout(page.problemsTimer);
  page.problemsTimer = setTimeout(async () => {
    try {
      showProblems((await api('/api/problems')).problems);
    } catch (error) {
      // Shown by the status badge when the server is away; try again later.
    }
    scheduleProblems();
  }, delayMs);
}

// --- Legend, filters --------------------------------------------------------------------------------

function renderLegend() {
  const legend = $('legend');
  legend.textContent = '';
  const types = [...new Set([...page.live.nodes.values()].map((node) => node.type || 'note'))].sort();
  const kbs = [...new Set([...page.live.nodes.values()].map((node) => node.kb))].sort();
  const row = (items) => {
    const div = document.createElement('div');
    items.forEach(([className, color, text]) => {
      const item = document.createElement('span');
      const mark = document.createElement('i');
      mark.className = className;
      if (color) mark.style.background = color;
      item.append(mark, text);
      div.appendChild(item);
    });
    legend.appendChild(div);
  };
  row(types.map((type) => ['swatch', typeColor(type), type]));
  row(kbs.map((kb) => [`shape-${page.view.shapeOf(kb)}`, '', kb]));
}

function fillFilterChoices(nodes) {
  const form = $('filters');
  for (const [name, field] of [['kb', 'kb'], ['entry_type', 'type']]) {
    const select = form.elements[name];
    const known = new Set([...select.options].map((option) => option.value));
    for (const value of [...new Set(nodes.map((node) => node[field]))].sort()) {
      if (!known.has(value)) select.add(new Option(value, value));
    }
  }
}

function readFilters() {
  const form = $('filters');
  page.filters = {
    types: [...form.querySelectorAll('input[name=types]:checked')].map((box) => box.value),
    kb: form.elements.kb.value,
    entry_type: form.elements.entry_type.value,
  };
}

function streamFilter() {
  const filter = {};
  if (page.filters.kb) filter.kb = page.filters.kb;
  if (page.filters.entry_type) filter.entry_type = page.filters.entry_type;
  return filter;
}

// --- Entry panel and search -----------------------------------------------------------------------

function entryButton(id, relation) {
  const item = document.createElement('li');
  const node = shownState().nodes.get(id);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'entry-ref';
  button.textContent = node ? node.title : id;
  button.addEventListener('click', () => page.view.reveal(id));
  const label = document.createElement('span');
  label.className = 'relation';
  label.textContent = relation ? ` ${relation}` : '';
  item.append(button, label);
  return item;
}

async function renderPanel(id) {
  const panel = $('entry');
  const state = shownState();
  const node = id && state.nodes.get(id);
  if (!node) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  panel.dataset.id = id;
  $('entry-title').textContent = node.title;
  $('entry-meta').textContent = '';
  const swatch = document.createElement('i');
  swatch.className = 'swatch';
  Object.assign(swatch.style, { display: 'inline-block', width: '0.8em', height: '0.8em',
                                marginRight: '0.3em', background: typeColor(node.type || 'note') });
  $('entry-meta').append(swatch, `${node.type || 'note'} in ${node.kb} · ${node.entry_id}`);
  $('entry-tags').textContent = '';
  for (const tag of node.tags || []) {
    const chip = document.createElement('span');
    chip.className = 'tag';
    chip.textContent = tag;
    $('entry-tags').appendChild(chip);
  }
  $('entry-path').textContent = node.path ? `${node.kb}: ${node.path}` : '';
  const link = $('entry-link');
  link.hidden = !page.entryUrl;
  if (page.entryUrl) {
    link.href = page.entryUrl.replaceAll('{kb}', encodeURIComponent(node.kb))
                              .replaceAll('{id}', encodeURIComponent(node.entry_id));
  }
  $('entry-out').replaceChildren(...state.edgesOut(id).map((edge) => entryButton(edge.target, edge.relation)));
  $('entry-in').replaceChildren(...state.edgesIn(id).map((edge) => entryButton(edge.source, edge.relation)));
  const events = $('entry-events');
  try {
    const search = new URLSearchParams({ kb: node.kb, entry_id: node.entry_id, order: 'newest', limit: '10' });
    const history = await api(`/api/events?${search}`);
    if (panel.dataset.id !== id) return; // another entry was chosen meanwhile
    if (!history.events.length) {
      events.replaceChildren(Object.assign(document.createElement('li'),
                                           { textContent: 'none in the log (read from its file)' }));
      return;
    }
    events.replaceChildren(...history.events.map((event) => {
      const item = document.createElement('li');
      item.textContent = `${event.type} #${event.sequence} ${new Date(event.time).toLocaleString()}` +
                         (event.data && event.data.changes ? ` (${event.data.changes.join(', ')})` : '');
      return item;
    }));
  } catch (error) {
    events.replaceChildren(Object.assign(document.createElement('li'), { textContent: error.message }));
  }
}

function searchMatches(text) {
  const needle = text.trim().toLowerCase();
  if (!needle) return [];
  const matches = [];
  for (const node of shownState().nodes.values()) {
    const title = (node.title || '').toLowerCase();
    const at = title.indexOf(needle);
    const idAt = node.entry_id.toLowerCase().indexOf(needle);
    if (at < 0 && idAt < 0) continue;
    // Title starts first, then title contains, then id; more linked before less.
    const rank = at === 0 ? 0 : at > 0 ? 1 : 2;
    matches.push({ node, rank, degree: shownState().degree(node.id) });
  }
  matches.sort((a, b) => a.rank - b.rank || b.degree - a.degree || a.node.title.localeCompare(b.node.title));
  return matches.slice(0, 8).map((match) => match.node);
}

function showSearch() {
  const results = $('search-results');
  const matches = searchMatches($('search-input').value);
  results.replaceChildren(...matches.map((node, index) => {
    const item = document.createElement('li');
    item.dataset.id = node.id;
    item.setAttribute('aria-selected', index === 0 ? 'true' : 'false');
    const kb = document.createElement('span');
    kb.className = 'kb';
    kb.textContent = node.kb;
    item.append(kb, node.title);
    item.addEventListener('mousedown', (event) => { event.preventDefault(); choose(node.id); });
    return item;
  }));
  results.hidden = !matches.length;
}

function choose(id) {
  $('search-results').hidden = true;
  page.view.reveal(id);
}

// --- Replay ---------------------------------------------------------------------------------------

async function startReplay() {
  if (page.mode === 'replay') return;
  page.mode = 'replay';
  page.replayMismatch = null;
  page.replayBuffer = [];
  setStatus('replay', 'replay: reading the log…');
  $('replay-start').hidden = true;
  $('replay-controls').hidden = false;
  const snapshot = page.live.clone();
  const replay = new Replay({ api, view: page.view, filters: page.filters });
  page.replay = replay;
  replay.addEventListener('progress', showReplayProgress);
  replay.addEventListener('end', finishReplay);
  readSpeed();
  const loadStarted = performance.now();
  try {
    await replay.load(snapshot, page.stream.lastSequence);
    replay.loadMs = performance.now() - loadStarted;
  } catch (error) {
    addNotice('error', `replay: ${error.message}`);
    return goLive();
  }
  if (page.replay !== replay) return;
  replay.append(page.replayBuffer);
  page.replayBuffer = null;
  setStatus('replay', 'replay');
  updateCounts();
  replay.play();
}

function readSpeed() {
  const value = $('replay-speed').value;
  if (page.replay) page.replay.setSpeed(value === 'max' ? Infinity : Number(value));
}

function showReplayProgress(event) {
  const { index, total } = event.detail;
  const slider = $('replay-position');
  slider.max = String(total);
  if (document.activeElement !== slider) slider.value = String(index);
  const current = page.replay.current();
  const when = current ? new Date(current.time).toLocaleString() : 'before the first event';
  $('replay-label').textContent = `${index} of ${total} events · ${when}`;
  $('replay-play').textContent = page.replay.playing ? 'Pause' : 'Play';
  updateCounts();
}

// The replay caught up with the log: it follows live from here.
function finishReplay() {
  if (page.mode !== 'replay' || !page.replay || page.replay.playing) return;
  if (page.replay.index < page.replay.events.length) return;
  goLive();
}

function goLive() {
  const replay = page.replay;
  if (replay) {
    // Replayed to the end, the replay's graph is the live one (checked: 0 differences).
    if (replay.index >= replay.events.length && replay.state) page.replayMismatch = replay.state.differences(page.live);
    page.lastReplay = { applied: replay.applied, loadMs: replay.loadMs,
                        ms: replay.finishedAt ? replay.finishedAt - replay.startedAt : null };
    replay.stop();
  }
  page.replay = null;
  page.replayBuffer = null;
  page.mode = 'live';
  page.view.sync(page.live);
  $('replay-start').hidden = false;
  $('replay-controls').hidden = true;
  setStatus(page.stream.status === 'live' ? 'live' : page.stream.status, page.stream.status);
  updateCounts(true);
}

// --- Start ----------------------------------------------------------------------------------------

function connectStream() {
  const stream = new PyriteStream({ token, types: page.filters.types, filter: streamFilter(),
                                    since: page.streamSince });
  page.stream = stream;
  stream.addEventListener('event', (event) => receive(event.detail));
  stream.addEventListener('status', (event) => {
    const { status, reason, retryMs } = event.detail;
    if (page.mode === 'replay' && status === 'live') return;
    if (status === 'live') setStatus('live', page.filters.types.length ? 'live' : 'live (no event types chosen)');
    else if (status === 'reconnecting') setStatus('reconnecting', `reconnecting in ${Math.round(retryMs / 100) / 10} s`);
    else if (status === 'refused') setStatus('failed', `refused: ${reason}`);
    else if (status === 'connecting') setStatus('connecting', 'connecting…');
  });
  stream.addEventListener('resync', () => {
    addNotice('resync', 'missed events could not be replayed; the graph was reloaded');
    loadGraph({ keepPlaces: true }).then(() => stream.resubscribe());
  });
  stream.addEventListener('problem', (event) => addNotice('error', event.detail.message));
  stream.start();
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem('pyrite-graph-theme', theme);
  page.view.setTheme(theme);
}

function wireControls() {
  $('webhooks-link').href = `webhooks${location.search}`; // the webhooks page, behind the same token
  const form = $('filters');
  form.addEventListener('change', async (event) => {
    const typesOnly = event.target.name === 'types';
    readFilters();
    if (page.mode === 'replay') goLive();
    if (!typesOnly) await loadGraph().catch(showError);
    page.stream.resubscribe({ types: page.filters.types, filter: streamFilter() });
    loadHistory();
  });
  $('relayout').addEventListener('click', () => page.view.relayout());
  $('theme-toggle').addEventListener('click', () => {
    applyTheme(document.documentElement.dataset.theme === 'light' ? 'dark' : 'light');
  });
  $('feed-older').addEventListener('click', () => loadHistory(page.oldestInFeed));
  $('feed').addEventListener('click', (event) => {
    const item = event.target.closest('li[data-entry]');
    if (item && shownState().nodes.has(item.dataset.entry)) page.view.reveal(item.dataset.entry);
  });
  $('entry-close').addEventListener('click', () => page.view.select(null));
  page.view.addEventListener('select', (event) => renderPanel(event.detail));
  const input = $('search-input');
  input.addEventListener('input', showSearch);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      const first = searchMatches(input.value)[0];
      if (first) choose(first.id);
    } else if (event.key === 'Escape') {
      $('search-results').hidden = true;
      input.blur();
      page.view.select(null);
    }
  });
  input.addEventListener('blur', () => { $('search-results').hidden = true; });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && document.activeElement !== input) page.view.select(null);
  });
  $('replay-start').addEventListener('click', startReplay);
  $('replay-live').addEventListener('click', goLive);
  $('replay-play').addEventListener('click', () => {
    if (!page.replay) return;
    if (page.replay.playing) page.replay.pause();
    else if (page.replay.index >= page.replay.events.length) goLive();
    else page.replay.play();
  });
  $('replay-speed').addEventListener('change', readSpeed);
  $('replay-position').addEventListener('input', (event) => {
    if (!page.replay || !page.replay.baseline) return;
    const index = Number(event.target.value); // before pause() shows the position it is at
    page.replay.pause();
    page.replay.seek(index);
  });
}

function showError(error) {
  setStatus('failed', error.message);
  addNotice('error', error.message);
}

async function start() {
  cytoscape.use(cytoscapeCoseBilkent);
  page.view = new GraphView({ graph: $('graph'), live: $('live'), focus: $('focus'), tooltip: $('tooltip') },
                            { theme: document.documentElement.dataset.theme });
  readFilters();
  wireControls();
  for (;;) {
    try {
      const graph = await loadGraph();
      page.streamSince = graph.sequence;
      break;
    } catch (error) {
      showError(error);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
  connectStream();
  loadHistory();
  scheduleProblems();
}

// For tests and benchmarks (tests/browser, bench/graphpage.bench.mjs): read-only views and a few
// actions.
window.pyriteGraph = {
  get ready() { return page.firstRenderMs !== null; },
  get status() { return page.status; },
  get lastSequence() { return page.stream ? page.stream.lastSequence : 0; },
  get firstRenderMs() { return page.firstRenderMs; },
  // The last load of the graph: when it started, was fetched, modelled and laid out (ms since
  // navigation).
  get timings() { return page.timings; },
  get eventsApplied() { return page.eventsApplied; },
  get latencies() { return page.latencies.slice(); },
  get arrivals() { return page.arrivals.slice(); },
  get liveElements() { return page.view ? page.view.live.elements().length : 0; },
  get unmerged() { return page.view ? page.view.unmerged.length : 0; },
  get mode() { return page.mode; },
  get selected() { return page.view ? page.view.selected : null; },
  get problems() { return page.problems.slice(); },
  get replayMismatch() { return page.replayMismatch; },
  // The last replay that ended: events applied, milliseconds reading the log and replaying.
  get lastReplay() { return page.lastReplay || null; },
  get replay() {
    const replay = page.replay;
    return replay ? { index: replay.index, total: replay.events.length, playing: replay.playing,
                      applied: replay.applied, loaded: !!replay.baseline,
                      ms: replay.finishedAt ? replay.finishedAt - replay.startedAt : null } : null;
  },
  // What the page's model holds (the counters show these).
  counts() { return page.live ? { nodes: page.live.nodes.size, edges: page.live.edgeCount } : null; },
  // What is drawn: the graph with the live layer's changes on top.
  nodeCount() {
    const view = page.view;
    if (!view) return 0;
    let count = view.cy.nodes().not('.fading').length;
    view.live.nodes().forEach((node) => {
      const below = view.cy.getElementById(node.id()).nonempty();
      if (node.hasClass('fading') || node.hasClass('mask')) count -= below ? 1 : 0;
      else if (!below) count += 1;
    });
    return count;
  },
  hasNode(id) {
    const view = page.view;
    if (!view) return false;
    const live = view.live.getElementById(id);
    if (live.nonempty()) return !live.hasClass('fading') && !live.hasClass('mask');
    const node = view.cy.getElementById(id);
    return node.nonempty() && !node.hasClass('fading');
  },
  titleOf(id) {
    const view = page.view;
    let node = view.live.getElementById(id);
    if (node.empty()) node = view.cy.getElementById(id);
    return node.nonempty() ? node.data('title') : null;
  },
  // Rendered position of an entry in the page (for a real mouse).
  screenPosition(id) {
    const node = page.view.cy.getElementById(id);
    if (node.empty()) return null;
    const box = $('graph').getBoundingClientRect();
    const p = node.renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y };
  },
  // Highlights id as a hover does; resolves with the milliseconds until the frame that shows it.
  hover(id) {
    return new Promise((resolve) => {
      const begin = performance.now();
      page.view.setHover(id);
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - begin)));
    });
  },
  focusIds() { return page.view.focusIds(); },
  get dimmed() { return $('graph').classList.contains('dimmed'); },
  labelBoxes() { return page.view.labelBoxes(); },
  distances(id) { return page.view.distances(id); },
  get zoom() { return page.view.cy.zoom(); },
  centerOffset(id) {
    const node = page.view.cy.getElementById(id);
    const p = node.renderedPosition();
    return Math.hypot(p.x - page.view.cy.width() / 2, p.y - page.view.cy.height() / 2);
  },
  replayAtSpeed(speed) {
    $('replay-speed').value = String(speed);
    return startReplay();
  },
  // Closes the stream as a network drop would; the page reconnects after retryMs.
  dropConnection(retryMs) { if (page.stream) page.stream.drop(retryMs); },
};

start();
