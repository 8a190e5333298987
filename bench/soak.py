#!/usr/bin/env python3
"""Soak: the whole plugin under a steady mixed load for a bounded time (default 10 minutes).

One pyrite-host with the event bus plugin (SQLite log, streams, webhooks), and around it:
  - 1,000 WebSocket clients with mixed filters (soakclient, one process), each checking every
    event by sequence; one of them hangs up and resumes every --churn-ms;
  - 10 webhook endpoints on loopback (webhooksink, one process): some answer at once, two are
    slow, two fail for a while and recover (503s; hang-ups), one fails 10% of requests;
  - 500 events/s sent through the bridge by the Python module Pyrite uses
    (python/pyrite_eventbus/bridge.py), from four writers: creates, updates, deletes and
    notifications over three KBs and five entry types.
When the time is up, publishing stops and the soak waits until the log, the outbox and the
clients are drained. Then the events the log stored are the reference: every client must have
exactly the ones its filter matches, once each, in order; every endpoint must have accepted every
event its filter matches. The host's memory (RSS) is sampled every 2 s throughout.

Prints "name: value unit" lines (bench/run-all collects them). Exits 1 when a target is missed:
a gap, a duplicate, a missing delivery, a dead delivery, a refused client, RSS growth over 5%
after warm-up (the mean of the 30 s after warm-up, max(20 s, 20% of the run), against the mean of
the last 30 s of load), or a webhook backlog that grows (pending deliveries, sampled every 10 s:
the mean of the load's second half after warm-up against its first, by more than one second of
deliveries).

usage: bench_soak [--minutes M] [--clients N] [--rate R] [--churn-ms MS] [--keep]
"""

import argparse
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
import pyrite_eventbus.bridge as bridge_module  # noqa: E402

KBS = ["research", "tasks", "notes"]
ENTRY_TYPES = ["note", "paper", "topic", "person", "task"]
ENTRY_POOL = 3000  # entry ids cycle over this many, as a KB's working set does
WRITERS = 4

# The stream clients' filters: connection i subscribes with CLASSES[i % len(CLASSES)].
CLASSES = [
    {},
    {"types": ["entry.*"]},
    {"types": ["entry.created"], "kb": "research"},
    {"types": ["task.*"]},
    {"kb": "tasks"},
    {"entry_type": "paper"},
    {"types": ["qa.*", "task.completed"]},
    {"types": ["entry.updated", "entry.deleted"], "kb": "notes"},
]

# The endpoints: (behaviour of the receiver, filter). Windows are set from the soak's length.
def endpoints(seconds):
    start, length, period = round(seconds * 0.1), max(2, round(seconds * 0.05)), round(seconds * 0.2)
    window = f"{start}+{length}/{period}"
    later = f"{start + period // 2}+{length}/{period}"
    return [
        ("ok", {}),
        ("ok", {"events": ["entry.*"]}),
        ("ok", {"events": ["task.*", "qa.*"]}),
        ("delay=20", {"events": ["entry.created"]}),
        ("delay=100", {"events": ["task.completed"]}),
        ("fail=" + window, {}),
        ("hangup=" + later, {}),
        ("flaky=10", {}),
        ("ok", {"kb": "research"}),
        ("ok", {"type": "paper"}),
    ]


def pattern(types):
    return re.compile("|".join(re.escape(t).replace(r"\*", ".*") for t in types) + r"\Z") if types else None


def matcher(types, kb, entry_type):
    regex = pattern(types)
    return lambda t, k, e: (not kb or kb == k) and (not entry_type or entry_type == e) and (
        regex is None or regex.match(t) is not None)


def splitmix64(x):
    mask = (1 << 64) - 1
    x = (x + 0x9E3779B97F4A7C15) & mask
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & mask
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & mask
    return x ^ (x >> 31)


def figure(name, value, unit):
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    print(f"{name}: {text} {unit}", flush=True)


class Host:
    def __init__(self, binary, plugins, config, workdir):
        env = dict(os.environ, PYRITE_PLUGIN_PATH=plugins, QT_LOGGING_RULES="pyrite.*.info=true;pyrite.host.memory.debug=true",
                   SOAK_WEBHOOK_SECRET="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        self.log_path = os.path.join(workdir, "host.log")
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([binary, "--config", config], stderr=subprocess.PIPE,
                                        stdout=subprocess.DEVNULL, env=env)
        self.port = None
        self.ready = threading.Event()
        self.lines = {"warning": 0, "critical": 0}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stderr:
            self.log.write(line)
            text = line.decode(errors="replace")
            match = re.search(r"live event streams on ws://127\.0\.0\.1:(\d+)/stream", text)
            if match:
                self.port = int(match.group(1))
            if "ready; Ctrl+C" in text:
                self.ready.set()
            for level in self.lines:
                self.lines[level] += f"{level}:" in text.lower()
        self.log.flush()

    def rss_kb(self):
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                return int(next(line.split()[1] for line in status if line.startswith("VmRSS")))
        except (OSError, StopIteration):
            return 0

    def metrics(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=10) as reply:
            return {name: float(value) for name, value in
                    (line.split()[:2] for line in reply.read().decode().splitlines()
                     if line and not line.startswith("#"))}

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Writers:
    """WRITERS threads, each with its own bridge connection, together at `rate` events/s."""

    def __init__(self, socket_path, rate):
        self.socket_path, self.rate = socket_path, rate
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged = 0
        self.failures = []
        self.calls_ms = []
        self.behind = 0

    def start(self):
        self.started = time.monotonic()
        self.threads = [threading.Thread(target=self._run, args=(w,), daemon=True) for w in range(WRITERS)]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        self.elapsed = time.monotonic() - self.started

    def _run(self, writer):
        bridge = bridge_module.EventBusBridge(self.socket_path, strict=True)
        hooks = {name: calls[0] for name, calls in bridge.get_hooks().items()}
        k = writer
        while not self.stopping.is_set():
            due = self.started + k / self.rate
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            elif wait < -1:
                with self.lock:
                    self.behind += 1
            try:
                took = self._write(bridge, hooks, k)
                with self.lock:
                    self.acknowledged += 1
                    self.calls_ms.append(took)
            except Exception as error:  # noqa: BLE001 - every failure is counted and shown
                with self.lock:
                    self.failures.append(f"event {k}: {error}")
            k += WRITERS
        bridge.close()

    @staticmethod
    def _write(bridge, hooks, k):
        kind, kb, entry_type = k % 10, KBS[k % 3], ENTRY_TYPES[(k // 10) % 5]
        entry_id = f"soak-{k % ENTRY_POOL}"
        started = time.time()
        title = f"soak {k} @t={started * 1000:.1f}"
        entry = {"id": entry_id, "title": title, "type": entry_type, "tags": ["soak"],
                 "links": [{"target": f"soak-{(k + 1) % ENTRY_POOL}", "relation": "related"}]}
        context = {"kb_name": kb, "user": f"writer-{k % WRITERS}"}
        if kind < 6:
            context["operation"] = "create" if kind < 4 else "update"
            if kind >= 4:
                context["previous"] = dict(entry, title=f"soak {k} before")
            hooks["before_save"](entry, context)
            hooks["after_save"](entry, context)
        elif kind == 6:
            context["operation"] = "delete"
            hooks["before_delete"](entry, context)
            hooks["after_delete"](entry, context)
        else:
            payload = {"entry_id": entry_id, "entry_type": entry_type, "title": title}
            if kind == 9:
                payload["issues"] = [{"field": "title", "rule": "soak", "message": "checked by the soak",
                                      "severity": "warning"}]
            else:
                payload["assignee" if kind == 7 else "outcome"] = "soak" if kind == 7 else "done"
            bridge.notify(["task.claimed", "task.completed", "qa.validation_failed"][kind - 7],
                          payload, {"kb_name": kb, "user": context["user"]})
        return (time.time() - started) * 1000


class Helper:
    """A line-oriented helper process (soakclient, webhooksink)."""

    def __init__(self, argv):
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, command, until=None):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        lines = []
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"{self.process.args[0]} ended")
            lines.append(line.rstrip("\n"))
            if until is None or lines[-1] == until:
                return lines

    def close(self):
        self.process.stdin.close()
        self.process.wait(10)


def status(client):
    fields = client.ask("status")[0].split()[1:]
    return {fields[i]: int(fields[i + 1]) for i in range(0, len(fields), 2)}


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] if values else -1.0


def write_config(workdir, sink_ports, seconds):
    lines = [f"data_dir: {workdir}", "knowledge_bases:"]
    for kb in KBS:
        os.makedirs(os.path.join(workdir, "kb", kb), exist_ok=True)
        lines.append(f"  - {{name: {kb}, path: {os.path.join(workdir, 'kb', kb)}}}")
    lines += [f"bridge: {{socket: {os.path.join(workdir, 'bridge.sock')}}}",
              "plugins:", "  - name: eventbus", "    settings:", "      instance: soak",
              "      event_log: {driver: sqlite, path: events.sqlite}",
              "      stream: {address: 127.0.0.1, port: 0, max_connections: 10000, "
              "max_connections_per_address: 5000}",
              "      webhooks:",
              # Short retries, so that endpoints that come back catch up within the soak.
              "        retry_schedule: [1s, 2s, 4s, 8s]",
              "        concurrency_per_endpoint: 8",
              "        breaker_failures: 5",
              "        breaker_pause: 2s",
              "        endpoints:"]
    for index, (behaviour, filters) in enumerate(endpoints(seconds)):
        lines.append(f"          - url: http://127.0.0.1:{sink_ports[index]}/e{index}")
        lines.append("            secret: env:SOAK_WEBHOOK_SECRET")
        lines.append("            allow_private: true")
        lines.append("            max_attempts: 100")
        lines.append("            timeout: 5s")
        if "events" in filters:
            lines.append(f"            events: {json.dumps(filters['events'])}")
        if "kb" in filters or "type" in filters:
            lines.append("            filter: " + json.dumps({k: filters[k] for k in ("kb", "type") if k in filters}))
    path = os.path.join(workdir, "pyrite.yaml")
    with open(path, "w") as config:
        config.write("\n".join(lines) + "\n")
    return path


def stored_events(database):
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT seq, type, kb, entry_type FROM events ORDER BY seq").fetchall()
    finally:
        connection.close()


def outbox_counts(database, column, where=""):
    """The outbox's deliveries counted by one of its columns (read-only)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)
    try:
        return dict(connection.execute(
            f"SELECT {column}, count(*) FROM webhook_deliveries {where} GROUP BY {column}"))
    finally:
        connection.close()


def outbox_states(database):
    return outbox_counts(database, "state")


def pending_by_endpoint(database):
    """Deliveries not yet accepted, per endpoint (the state index finds them)."""
    try:
        return outbox_counts(database, "endpoint", "WHERE state = 'pending'")
    except sqlite3.Error:
        return {}  # the log and its outbox are made at the host's first start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=500, help="events per second")
    parser.add_argument("--churn-ms", type=float, default=200,
                        help="one client hangs up and resumes this often (0: never)")
    parser.add_argument("--host", required=True, help="the pyrite-host binary")
    parser.add_argument("--plugins", required=True, help="the folder with the event bus plugin")
    parser.add_argument("--tools", required=True, help="the folder with soakclient and webhooksink")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    args = parser.parse_args()
    seconds = args.minutes * 60
    warmup = max(20.0, seconds * 0.2)
    workdir = tempfile.mkdtemp(prefix="pyrite-soak-")
    print(f"== soak for {args.minutes:g} min in {workdir}: {args.clients} clients, "
          f"{args.rate:g} events/s, 10 endpoints", flush=True)

    behaviours = [behaviour for behaviour, _ in endpoints(seconds)]
    sink = Helper([os.path.join(args.tools, "webhooksink"), str(len(behaviours))] + behaviours)
    sink_ports = [int(port) for port in sink.process.stdout.readline().split()]
    config = write_config(workdir, sink_ports, seconds)
    host = Host(args.host, args.plugins, config, workdir)
    if not host.ready.wait(60) or not host.port:
        sys.exit(f"soak: the host did not start; see {host.log_path}")

    subscriptions = os.path.join(workdir, "subscriptions.jsonl")
    with open(subscriptions, "w") as file:
        for index, filters in enumerate(CLASSES):
            message = {"op": "subscribe", "id": f"c{index}"}
            if "types" in filters:
                message["types"] = filters["types"]
            rest = {k: filters[k] for k in ("kb", "entry_type") if k in filters}
            if rest:
                message["filter"] = rest
            file.write(json.dumps(message, separators=(",", ":")) + "\n")
    client = Helper([os.path.join(args.tools, "soakclient"), "127.0.0.1", str(host.port), "/stream",
                     str(args.clients), subscriptions, str(args.churn_ms)])
    deadline = time.monotonic() + 120
    while status(client)["subscribed"] < args.clients:
        if time.monotonic() > deadline:
            sys.exit(f"soak: only {status(client)['subscribed']} of {args.clients} clients subscribed")
        time.sleep(0.5)

    writers = Writers(os.path.join(workdir, "bridge.sock"), args.rate)
    writers.start()
    rss = []  # (seconds since start, KiB)
    backlog = []  # (seconds since start, {endpoint: pending deliveries}), every 10 s
    database = os.path.join(workdir, "events.sqlite")
    unsent = []  # bytes queued in the host for stream clients, sampled with the RSS
    last_print = 0.0
    while (elapsed := time.monotonic() - writers.started) < seconds:
        rss.append((elapsed, host.rss_kb()))
        metrics = host.metrics()
        unsent.append(metrics.get("pyrite_stream_unsent_bytes", 0))
        if not backlog or elapsed - backlog[-1][0] >= 10:
            backlog.append((elapsed, pending_by_endpoint(database)))
        if elapsed - last_print >= 30 or last_print == 0:
            last_print = elapsed or 1e-9
            state = status(client)
            print(f"  {elapsed:5.0f} s: {writers.acknowledged} written, "
                  f"{metrics.get('pyrite_log_events_stored_total', 0):.0f} stored, "
                  f"{state['frames']} frames, {state['reconnects']} resumes, "
                  f"{len(writers.failures)} failed writes, RSS {rss[-1][1] / 1024:.1f} MiB, "
                  f"unsent {max(unsent[-15:]) / 2**20:.1f} MiB at most lately", flush=True)
        time.sleep(2)
    rss.append((time.monotonic() - writers.started, host.rss_kb()))
    writers.stop()
    load_end_rss = rss[-1][1]

    # Drain: the log has everything, no delivery is pending, the clients have stopped growing.
    # A backlog is not a loss: the soak waits as long as it shrinks (a machine too small for the
    # load falls behind; the drain time and the backlog at the end of the load say by how much),
    # and gives up after 60 s without progress or max(10 min, the run's length).
    drain_started = last_progress = last_print = time.monotonic()
    previous_unique = -1
    previous = None
    backlog_at_end = None
    while True:
        metrics, states, state = host.metrics(), outbox_states(database), status(client)
        stored = metrics.get("pyrite_log_events_stored_total", 0)
        pending = states.get("pending", 0)
        if backlog_at_end is None:
            backlog_at_end = pending
        if (stored >= writers.acknowledged and not pending and state["unique"] == previous_unique
                and state["open"] == args.clients):
            break
        now = time.monotonic()
        if previous != (stored, pending, state["unique"]):
            previous, last_progress = (stored, pending, state["unique"]), now
        if now - last_progress > 60 or now - drain_started > max(600, seconds):
            print(f"soak: not drained after {now - drain_started:.0f} s: {stored:.0f} of "
                  f"{writers.acknowledged} stored, {pending} deliveries pending", flush=True)
            break
        if now - last_print >= 30:
            last_print = now
            print(f"  draining for {now - drain_started:.0f} s: {pending} deliveries pending", flush=True)
        previous_unique = state["unique"]
        time.sleep(3)
    drain_seconds = time.monotonic() - drain_started

    report = client.ask("report", until="end")
    sink_report = os.path.join(workdir, "sink.txt")
    sink.ask(f"report {sink_report}", until="reported")
    end_rss = host.rss_kb()
    metrics = host.metrics()
    host.stop()
    client.close()
    sink.close()

    events = stored_events(database)
    states = outbox_states(database)

    # Streams: each connection against the stored events its class's filter matches.
    expected = []
    for filters in CLASSES:
        match = matcher(filters.get("types"), filters.get("kb"), filters.get("entry_type"))
        count, total = 0, 0
        for seq, kind, kb, entry_type in events:
            if match(kind, kb, entry_type):
                count += 1
                total = (total + splitmix64(seq)) & ((1 << 64) - 1)
        expected.append((count, total))
    gaps = duplicates = mismatched = unexpected = resumes = unrecovered = server_closes = errors = 0
    frames = 0
    for line in report:
        if not line.startswith("conn "):
            continue
        fields = line.split()
        values = {fields[i]: int(fields[i + 1]) for i in range(2, len(fields), 2)}
        count, total = expected[values["class"]]
        frames += values["unique"] + values["duplicates"]
        duplicates += values["duplicates"]
        resumes += values["reconnects"]
        unrecovered += values["unrecovered"]
        server_closes += values["server_closes"]
        errors += values["errors"]
        if values["unique"] < count:
            gaps += count - values["unique"]
        elif values["unique"] > count:
            unexpected += values["unique"] - count
        elif values["hash"] != total:
            mismatched += 1
    stream_latency = next(line.split() for line in report if line.startswith("latency "))

    # Webhooks: each endpoint against the stored events its filter matches.
    missing = repeated = refused = hangups = accepted = expected_deliveries = 0
    webhook_latency = {}
    with open(sink_report) as file:
        for line in file:
            fields = line.split()
            if fields[0] == "port":
                index = int(fields[1])
                filters = endpoints(seconds)[index][1]
                match = matcher(filters.get("events"), filters.get("kb"), filters.get("type"))
                want = {seq for seq, kind, kb, entry_type in events if match(kind, kb, entry_type)}
                got = set()
                for span in fields[fields.index("ranges") + 1:]:
                    first, last = span.split("-")
                    got.update(range(int(first), int(last) + 1))
                lost = want - got
                if lost:
                    print(f"  endpoint e{index}: {len(lost)} missing, first {sorted(lost)[:5]}", flush=True)
                missing += len(lost)
                unexpected += len(got - want)
                expected_deliveries += len(want)
                accepted += int(fields[3])
                repeated += int(fields[5])
                refused += int(fields[7])
                hangups += int(fields[9])
            else:
                webhook_latency[fields[0]] = (float(fields[3]), float(fields[5]))

    warm = next((kb for at, kb in rss if at >= warmup), rss[-1][1])
    # Growth between the means of the 30 s after warm-up and the last 30 s of load: a single
    # sample lands anywhere between two trims of the host's heap (every 10 s).
    def mean(values):
        return sum(values) / len(values) if values else 0.0
    warm_mean = mean([kb for at, kb in rss if warmup <= at < warmup + 30])
    end_mean = mean([kb for at, kb in rss if at >= seconds - 30])
    growth = (end_mean - warm_mean) / warm_mean * 100 if warm_mean else 0.0
    trims = []  # (KiB given back, ms)
    with open(host.log_path, errors="replace") as log:
        for line in log:
            match = re.search(r"gave (\d+) KiB of freed heap back to the system in ([\d.]+) ms", line)
            if match:
                trims.append((int(match.group(1)), float(match.group(2))))
    # The backlog over the load. Endpoints that answer throughout must keep up at every sample;
    # with the ones that fail for a while, the backlog rises in their windows and falls after, so
    # its trend compares two spans of two failure periods each (a period is 20% of the run):
    # growth is the later span's mean minus the earlier one's, judged against one second of the
    # deliveries the run asked for.
    answering = {f"e{index}" for index, (behaviour, _) in enumerate(endpoints(seconds))
                 if not behaviour.startswith(("fail", "hangup"))}
    # Configured endpoints are named by their URL, which ends in /e<index>.
    answering_max = max((sum(n for url, n in pending.items() if url.rsplit("/", 1)[-1] in answering)
                         for _, pending in backlog), default=0)
    middle = warmup + (seconds - warmup) / 2
    early_backlog = mean([sum(p.values()) for at, p in backlog if warmup <= at < middle])
    late_backlog = mean([sum(p.values()) for at, p in backlog if at >= middle])
    deliveries_per_second = expected_deliveries / seconds if seconds else 0
    backlog_grows = late_backlog - early_backlog > deliveries_per_second
    published = writers.acknowledged
    print(f"== {len(writers.failures)} failed writes; host log: {host.log_path} "
          f"({host.lines['warning']} warnings, {host.lines['critical']} critical)", flush=True)
    for failure in writers.failures[:5]:
        print("  " + failure, flush=True)
    figure("soak_minutes", args.minutes, "min")
    figure("soak_events_published", published, "events")
    figure("soak_events_stored", len(events), "events")
    figure("soak_publish_rate", published / writers.elapsed, "events/s")
    figure("soak_failed_writes", len(writers.failures), "events")
    figure("soak_hook_call_p50", percentile(writers.calls_ms, 0.5), "ms")
    figure("soak_hook_call_p99", percentile(writers.calls_ms, 0.99), "ms")
    figure("soak_stream_clients", args.clients, "clients")
    figure("soak_stream_frames", frames, "frames")
    figure("soak_stream_resumes", resumes, "resumes")
    figure("soak_stream_resumes_not_recovered", unrecovered, "resumes")
    figure("soak_stream_server_closes", server_closes, "closes")
    figure("soak_stream_client_errors", errors, "errors")
    figure("soak_stream_gaps", gaps, "events")
    figure("soak_stream_duplicates", duplicates, "events")
    figure("soak_stream_mismatched_clients", mismatched, "clients")
    figure("soak_stream_latency_p50", float(stream_latency[3]), "ms")
    figure("soak_stream_latency_p99", float(stream_latency[5]), "ms")
    figure("soak_webhook_expected", expected_deliveries, "deliveries")
    figure("soak_webhook_accepted", accepted, "deliveries")
    figure("soak_webhook_backlog_at_end_of_load", backlog_at_end or 0, "deliveries")
    figure("soak_webhook_backlog_answering_max", answering_max, "deliveries")
    figure("soak_webhook_backlog_early_mean", early_backlog, "deliveries")
    figure("soak_webhook_backlog_late_mean", late_backlog, "deliveries")
    figure("soak_webhook_backlog_growth", late_backlog - early_backlog, "deliveries")
    figure("soak_webhook_missing", missing, "deliveries")
    figure("soak_webhook_repeated", repeated, "deliveries")
    figure("soak_webhook_refused_attempts", refused + hangups, "attempts")
    figure("soak_webhook_dead", states.get("dead", 0), "deliveries")
    figure("soak_webhook_latency_p50", webhook_latency["latency_ok"][0], "ms")
    figure("soak_webhook_latency_p99", webhook_latency["latency_ok"][1], "ms")
    figure("soak_unexpected", unexpected, "events")
    figure("soak_drain", drain_seconds, "s")
    figure("soak_rss_after_warmup", warm / 1024, "MiB")
    figure("soak_rss_end_of_load", load_end_rss / 1024, "MiB")
    figure("soak_rss_after_drain", end_rss / 1024, "MiB")
    figure("soak_rss_max", max(kb for _, kb in rss) / 1024, "MiB")
    figure("soak_rss_after_warmup_mean", warm_mean / 1024, "MiB")
    figure("soak_rss_end_of_load_mean", end_mean / 1024, "MiB")
    figure("soak_rss_growth", growth, "%")
    figure("soak_heap_trims", len(trims), "trims")
    figure("soak_heap_trim_released", sum(kib for kib, _ in trims) / 1024, "MiB")
    figure("soak_heap_trim_p99", percentile([ms for _, ms in trims], 0.99) if trims else 0.0, "ms")
    figure("soak_stream_unsent_max", max(unsent, default=0) / 2**20, "MiB")
    figure("soak_stream_slow_consumer_closes", int(metrics.get("pyrite_stream_slow_consumer_closes_total", 0)), "closes")
    if not args.keep:
        subprocess.run(["rm", "-rf", workdir])
    failed = (gaps or duplicates or mismatched or unexpected or missing or states.get("dead", 0) or errors
              or writers.failures or growth > 5 or len(events) != published or backlog_grows)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
