// The graph page's model (resources/web/assets/graphstate.js) and the replay's starting point
// (timeline.js), in Node: the same rules as the plugin's GraphModel, so that the page's counters
// match /api/graph after every event, and a replay to the end gives the live graph again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphState } from '../../resources/web/assets/graphstate.js';
import { Replay } from '../../resources/web/assets/timeline.js';

const created = (kb, id, links = [], extra = {}) =>
  ({ type: 'entry.created', data: { kb, entry_id: id, title: id.toUpperCase(), entry_type: 'note',
                                    links: links.map((target) => ({ target, relation: 'related' })),
                                    ...extra } });
const updated = (kb, id, data = {}) => ({ type: 'entry.updated', data: { kb, entry_id: id, ...data } });
const deleted = (kb, id) => ({ type: 'entry.deleted', data: { kb, entry_id: id } });

function run(events, start = new GraphState()) {
  for (const event of events) start.apply(event);
  return start;
}

const edgesOf = (state) => [...state.edgesById.values()].map((edge) => `${edge.source}>${edge.target}`).sort();

// [name, events, entries, links]
const table = [
  ['a link within the KB', [created('n', 'a', ['b']), created('n', 'b')], 2, ['n/a>n/b']],
  ['a link drawn once its target appears', [created('n', 'a', ['later']), created('n', 'x'), created('n', 'later')],
   3, ['n/a>n/later']],
  ['a link to another KB', [created('n', 'a', ['t/x']), created('t', 'x')], 2, ['n/a>t/x']],
  ['the same KB first', [created('t', 'x'), created('n', 't/x'), created('n', 'a', ['t/x'])], 3, ['n/a>n/t/x']],
  ['a delete takes the links both ways', [created('n', 'a', ['b']), created('n', 'b', ['c']), created('n', 'c'),
                                          deleted('n', 'b')], 2, []],
  ['a deleted target comes back', [created('n', 'a', ['b']), created('n', 'b'), deleted('n', 'b'),
                                   created('n', 'b')], 2, ['n/a>n/b']],
  ['an update without links keeps them', [created('n', 'a', ['b']), created('n', 'b'),
                                           updated('n', 'a', { title: 'A2', changes: ['title'] })], 2, ['n/a>n/b']],
  ['an update that empties links', [created('n', 'a', ['b']), created('n', 'b'),
                                    updated('n', 'a', { changes: ['links'] })], 2, []],
  ['an update of an unknown entry creates it', [updated('n', 'a', { title: 'A' })], 1, []],
  ['a self link', [created('n', 'a', ['a'])], 1, ['n/a>n/a']],
  ['two links to one entry', [created('n', 'b'), created('n', 'a', ['b', 'b'])], 2, ['n/a>n/b', 'n/a>n/b']],
  ['events of no entry change nothing', [{ type: 'qa.validation_failed', data: { kb: 'n' } },
                                         { type: 'entry.created', data: { kb: 'n' } }], 0, []],
];

for (const [name, events, entries, links] of table) {
  test(name, () => {
    const state = run(events);
    assert.equal(state.nodes.size, entries);
    assert.deepEqual(edgesOf(state), links);
    assert.equal(state.edgeCount, links.length);
  });
}

test('links past 1000 are left out, as the plugin does', () => {
  const targets = Array.from({ length: 1500 }, (_, i) => `e${i}`);
  const state = run([created('n', 'hub', targets), created('n', 'e5'), created('n', 'e1400')]);
  assert.deepEqual(edgesOf(state), ['n/hub>n/e5']);
});

test('from /api/graph, dangling links included', () => {
  const state = GraphState.fromGraph({
    nodes: [{ id: 'n/a', kb: 'n', entry_id: 'a', title: 'A', type: 'note' },
            { id: 'n/b', kb: 'n', entry_id: 'b', title: 'B', type: 'paper' }],
    edges: [{ source: 'n/a', target: 'n/b', relation: 'cites' }],
    dangling: [{ source: 'n/b', target: 'c', relation: 'related' }],
  });
  assert.equal(state.edgeCount, 1);
  state.apply(created('n', 'c'));
  assert.deepEqual(edgesOf(state), ['n/a>n/b', 'n/b>n/c']);
  assert.equal(state.degree('n/b'), 2);
  assert.equal(state.edgesIn('n/c')[0].source, 'n/b');
});

test('changes name what to draw', () => {
  const state = run([created('n', 'a', ['b'])]);
  const changes = state.apply(created('n', 'b'));
  assert.deepEqual(changes.nodesAdded, ['n/b']);
  assert.deepEqual(changes.edgesAdded.map((edge) => edge.target), ['n/b']);
  const gone = state.apply(deleted('n', 'b'));
  assert.deepEqual(gone.nodesRemoved, ['n/b']);
  assert.equal(gone.edgesRemoved.length, 1);
  assert.equal(state.apply({ type: 'kb.indexed', data: { kb: 'n' } }).reload, true);
});

test('a replay starts before the log and ends on the live graph', () => {
  // Before the log: "old" and "gone" (read from files). Then the log: "new" is made, "old" is
  // renamed and linked to it, "gone" is deleted, "temp" comes and goes.
  const log = [
    created('n', 'new'), updated('n', 'old', { title: 'Old renamed', links: [{ target: 'new' }] }),
    deleted('n', 'gone'), created('n', 'temp', ['old']), deleted('n', 'temp'),
  ];
  const before = run([created('n', 'old'), created('n', 'gone', ['old'])]);
  const live = run(log, before.clone());
  const baseline = Replay.baselineOf(live, log);
  assert.deepEqual([...baseline.nodes.keys()].sort(), ['n/gone', 'n/old']);
  const replayed = run(log, baseline.clone());
  assert.equal(replayed.differences(live), 0);
  assert.ok(replayed.differences(baseline) > 0);
});
