// Replay: rebuilds the graph from the event log, oldest event first, at a chosen speed, with
// pause, a slider to jump anywhere, and a way back to live. Events that arrive live meanwhile
// join the end, so a replay that catches up follows live.
//
// Where it starts: the log holds changes, not the entries that were there before its first event
// (the folder read at start publishes only kb.indexed). So the replay starts from those: every
// entry of the live graph that no event in the log created, and entries the log updates or
// deletes before creating them. Replayed to the end, it gives the live graph again.
import { GraphState } from './graphstate.js';

export const MaxReplayEvents = 200000; // the newest ones, when the log holds more
const PageSize = 1000;
const FrameBudgetMs = 12; // "as fast as drawn": work per frame, the rest is drawing

export class Replay extends EventTarget {
  constructor({ api, view, filters }) {
    super();
    this.api = api;
    this.view = view;
    this.filters = filters; // { kb, entry_type }
    this.events = [];
    this.index = 0; // events applied
    this.speed = 20; // events per second; Infinity: as fast as drawn
    this.playing = false;
    this.frameRequest = 0;
    this.baseline = null;
    this.state = null;
    this.applied = 0;
    this.startedAt = 0;
    this.truncated = false;
  }

  // Reads the log and shows the graph as it was before the first event.
  async load(liveState, lastSequence) {
    let since = 0;
    for (;;) {
      const query = new URLSearchParams({ since: String(since), limit: String(PageSize),
                                          type: 'entry.*' });
      if (this.filters.kb) query.set('kb', this.filters.kb);
      if (this.filters.entry_type) query.set('entry_type', this.filters.entry_type);
      const page = await this.api(`/api/events?${query}`);
      for (const event of page.events) {
        if (event.sequence > lastSequence) break; // the live stream brings the rest
        this.events.push(event);
      }
      if (this.events.length > MaxReplayEvents) {
        this.events.splice(0, this.events.length - MaxReplayEvents);
        this.truncated = true;
      }
      this.dispatchEvent(new CustomEvent('loading', { detail: this.events.length }));
      if (!page.more || page.last_sequence >= lastSequence) break;
      since = page.last_sequence;
    }
    this.baseline = Replay.baselineOf(liveState, this.events);
    this.state = this.baseline.clone();
    this.index = 0;
    this.view.sync(this.state);
    this.progress();
  }

  static baselineOf(liveState, events) {
    const first = new Map();
    for (const event of events) {
      const data = event.data || {};
      if (!data.kb || !data.entry_id) continue;
      const id = `${data.kb}/${data.entry_id}`;
      if (!first.has(id)) first.set(id, event);
    }
    const baseline = new GraphState();
    for (const [id, node] of liveState.nodes) {
      const event = first.get(id);
      if (!event || event.type !== 'entry.created') baseline.nodes.set(id, { ...node, links: node.links.slice() });
    }
    for (const [id, event] of first) {
      if (liveState.nodes.has(id) || event.type === 'entry.created') continue;
      const data = event.data;
      baseline.nodes.set(id, { id, kb: data.kb, entry_id: data.entry_id, title: data.title || data.entry_id,
                               type: data.entry_type || '', tags: data.tags || [],
                               links: (data.links || []).slice(), path: '' });
    }
    for (const id of baseline.nodes.keys()) baseline.resolve(id);
    return baseline;
  }

  // Live events join the end.
  append(events) {
    for (const event of events) {
      if (event.type && event.type.startsWith('entry.')) this.events.push(event);
    }
    this.progress();
  }

  play() {
    if (this.playing) return;
    this.playing = true;
    this.lastFrame = performance.now();
    this.owed = 0;
    if (!this.startedAt) this.startedAt = performance.now();
    this.frameRequest = requestAnimationFrame((now) => this.frame(now));
    this.progress();
  }

  pause() {
    this.playing = false;
    cancelAnimationFrame(this.frameRequest);
    this.progress();
  }

  setSpeed(eventsPerSecond) {
    this.speed = eventsPerSecond;
  }

  frame(now) {
    if (!this.playing) return;
    const changes = GraphState.noChanges();
    const begin = performance.now();
    let count = 0;
    if (this.speed === Infinity) {
      // Apply until the frame's budget is spent; the view draws them all at once.
      while (this.index < this.events.length && performance.now() - begin < FrameBudgetMs) {
        for (let i = 0; i < 64 && this.index < this.events.length; ++i, ++count)
          this.state.apply(this.events[this.index++], changes);
      }
    } else {
      this.owed += ((now - this.lastFrame) / 1000) * this.speed;
      const due = Math.min(Math.floor(this.owed), this.events.length - this.index);
      this.owed -= due;
      for (; count < due; ++count) this.state.apply(this.events[this.index++], changes);
    }
    this.lastFrame = now;
    if (count) {
      this.view.applyChanges(changes, { highlight: this.speed <= 500, direct: true });
      this.applied += count;
    }
    this.progress();
    if (this.index >= this.events.length) {
      this.playing = false;
      this.finishedAt = performance.now();
      this.dispatchEvent(new CustomEvent('end'));
      return;
    }
    this.frameRequest = requestAnimationFrame((next) => this.frame(next));
  }

  // Shows the graph after the first index events.
  seek(index) {
    index = Math.max(0, Math.min(index, this.events.length));
    if (index < this.index) {
      this.state = this.baseline.clone();
      this.index = 0;
    }
    while (this.index < index) this.state.apply(this.events[this.index++]);
    this.view.sync(this.state);
    this.owed = 0;
    this.progress();
    if (this.index >= this.events.length && !this.playing) this.dispatchEvent(new CustomEvent('end'));
  }

  current() {
    return this.index > 0 ? this.events[this.index - 1] : null;
  }

  progress() {
    this.dispatchEvent(new CustomEvent('progress', { detail: { index: this.index, total: this.events.length } }));
  }

  stop() {
    this.pause();
    this.events = [];
  }
}
