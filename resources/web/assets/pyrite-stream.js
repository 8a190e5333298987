// A small client for the plugin's event stream (docs/protocol.md, docs/stream-client.md): one
// subscription over /stream that resumes from the last sequence and epoch it handled after any
// drop, reconnecting with a growing delay. The graph page uses it; other pages may import it:
//
//   import { PyriteStream } from '/assets/pyrite-stream.js';
//   const stream = new PyriteStream({ types: ['entry.*'], since: 0 });
//   stream.addEventListener('event', (e) => console.log(e.detail));
//   stream.start();

const RefusedRetryMs = 30000;

export class PyriteStream extends EventTarget {
  // options: url (default: this page's /stream), token, types (patterns, default all), filter
  // ({kb, entry_type, entry_id}), since (a sequence: replay what came after it), epoch, and the
  // reconnect delays minRetryMs (500) and maxRetryMs (10000).
  constructor(options = {}) {
    super();
    this.url = options.url || PyriteStream.defaultUrl();
    this.token = options.token || '';
    this.types = options.types || ['*'];
    this.filter = options.filter || {};
    this.lastSequence = options.since || 0;
    this.epoch = options.epoch || '';
    this.minRetryMs = options.minRetryMs || 500;
    this.maxRetryMs = options.maxRetryMs || 10000;
    this.retryMs = this.minRetryMs;
    this.status = 'idle'; // idle, connecting, live, reconnecting, refused, closed
    this.socket = null;
    this.subscription = '';
    this.subscriptions = 0;
    this.retryTimer = 0;
  }

  static defaultUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/stream';
  }

  start() {
    if (this.socket || this.status === 'closed') return;
    clearTimeout(this.retryTimer);
    const url = this.token ? `${this.url}?token=${encodeURIComponent(this.token)}` : this.url;
    const socket = new WebSocket(url);
    this.socket = socket;
    this.subscription = '';
    this.setStatus('connecting');
    socket.onopen = () => this.subscribe();
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = (event) => this.closed(socket, event);
  }

  // Ends the stream for good.
  close() {
    clearTimeout(this.retryTimer);
    this.setStatus('closed');
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close(1000, 'closed by the page');
  }

  // Other types or filter from now on, resuming from the last sequence handled (a narrower
  // filter sees nothing twice; a wider one does not see the past of what it adds).
  resubscribe({ types, filter } = {}) {
    if (types) this.types = types;
    if (filter) this.filter = filter;
    this.subscribe();
  }

  // Where to resume from, when the caller reloaded what it shows (say from /api/graph).
  setPosition(sequence, epoch) {
    this.lastSequence = sequence;
    if (epoch !== undefined) this.epoch = epoch;
  }

  // Closes the socket as a network drop would; the client reconnects after retryMs.
  drop(retryMs) {
    if (!this.socket) return;
    this.retryMs = retryMs || this.minRetryMs;
    this.socket.close(4100, 'dropped by the page');
  }

  subscribe() {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (this.subscription) socket.send(JSON.stringify({ op: 'unsubscribe', id: this.subscription }));
    this.subscription = '';
    if (!this.types.length) {
      this.setStatus('live');
      return;
    }
    this.subscription = `s${++this.subscriptions}`;
    const message = { op: 'subscribe', id: this.subscription, types: this.types,
                      filter: this.filter, since: this.lastSequence };
    if (this.epoch) message.epoch = this.epoch;
    socket.send(JSON.stringify(message));
  }

  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (error) {
      this.emit('problem', { message: `a frame that is not JSON: ${String(data).slice(0, 80)}` });
      return;
    }
    if (frame.op === 'event' && frame.sub === this.subscription) {
      const event = frame.event || {};
      if (typeof event.sequence === 'number') {
        if (event.sequence <= this.lastSequence) return; // a replay overlaps what came live
        this.lastSequence = event.sequence;
      }
      this.emit('event', event);
    } else if (frame.op === 'subscribed' && frame.id === this.subscription) {
      this.retryMs = this.minRetryMs;
      const resumed = this.lastSequence > 0;
      if (frame.recovered === false && resumed) {
        // The position is void (another log, or pruned): whoever shows the events reloads.
        this.lastSequence = frame.position || 0;
        this.epoch = frame.epoch || '';
        this.emit('resync', { position: frame.position, logStart: frame.log_start });
      } else if (frame.epoch) {
        this.epoch = frame.epoch;
      }
      this.setStatus('live');
    } else if (frame.op === 'error') {
      this.emit('problem', { message: frame.message, code: frame.code });
    }
  }

  closed(socket, event) {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.status === 'closed') return;
    if (event.code === 4001) {
      // A token does not appear by itself: try again rarely.
      this.setStatus('refused', event.reason || 'a token is required', RefusedRetryMs);
      this.retryTimer = setTimeout(() => this.start(), RefusedRetryMs);
      return;
    }
    this.setStatus('reconnecting', '', this.retryMs);
    this.retryTimer = setTimeout(() => this.start(), this.retryMs);
    // Doubling, with a little jitter so that many pages do not come back at the same instant.
    this.retryMs = Math.min(this.retryMs * 2 * (0.9 + Math.random() * 0.2), this.maxRetryMs);
  }

  setStatus(status, reason = '', retryMs = 0) {
    this.status = status;
    this.emit('status', { status, reason, retryMs });
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
