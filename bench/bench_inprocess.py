#!/usr/bin/env python3
"""The bus in Pyrite's own process (the Python package), measured; prints "name: value unit".

1. after_save in process: Pyrite's registry calls the package's after_save hook with an entry
   (tests/pyrite_standin mirrors Pyrite's Entry); from the call until the event is on the bus
   (the native module notes when each queued call has published it; both clocks are
   CLOCK_MONOTONIC). Median and p99 over 20,000 calls, after 2,000 to warm up.
2. Another process appends, this one serves: a writer process (serve: never) writes entries whose
   title carries its CLOCK_MONOTONIC time; a stream client of the serving process notes when each
   arrives. p50 and p99 over 2,000 events at 200 events/s.
3. Four writer processes, 1,000 writes/s in all, for --seconds (default 60): every event in the
   log once, sequences gap-free, and a stream client of the serving process saw each once.

usage: bench/bench_inprocess.py --build BUILD_DIR [--seconds 60]
"""

import argparse
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.01)
    return predicate()


def write_config(directory, port, serve):
    path = os.path.join(directory, f"{serve}.yaml")
    with open(path, "w") as file:
        file.write(f"""plugins:
  - name: eventbus
    settings:
      instance: bench
      serve: {serve}
      serve_after: 0s
      stream: {{port: {port}, max_pending_bytes: 67108864}}
""")
    return path


def in_process_latency(directory):
    os.environ.update(PYRITE_DATA_DIR=os.path.join(directory, "inprocess"),
                      PYRITE_EVENTBUS_CONFIG=write_config(directory, free_port(), "never"))
    import pyrite_eventbus
    from pyrite.models.base import NoteEntry
    from pyrite.plugins import PluginContext
    from pyrite.schema.provenance import Link
    hook = pyrite_eventbus.EventBusPlugin().get_hooks()["after_save"][0]
    context = PluginContext(kb_name="research", operation="create", kb_type="generic")
    entry = NoteEntry(id="note-1", title="A note", body="text", tags=["a", "b"],
                      links=[Link(target="note-2"), Link(target="note-3", relation="cites")])
    bus = pyrite_eventbus.runtime().bus(context)
    for _ in range(2000):
        hook(entry, context)
    time.sleep(0.5)

    # Paced as writes come (a Pyrite write takes milliseconds of its own): 2,000 calls a second.
    bus.record_hook_timings(True)
    starts, returned = [], []
    next_call = time.monotonic_ns()
    for _ in range(10000):
        while time.monotonic_ns() < next_call:
            pass
        next_call += 500_000
        start = time.monotonic_ns()
        hook(entry, context)
        returned.append((time.monotonic_ns() - start) / 1000)
        starts.append(start)
    time.sleep(0.5)  # the last queued calls run
    timings = bus.take_hook_timings()
    latencies = [(done - start) / 1000 for start, (_, _, done) in zip(starts, timings)]
    queued = [(posted - start) / 1000 for start, (posted, _, _) in zip(starts, timings)]
    woken = [(started - posted) / 1000 for posted, started, _ in timings]
    handled = [(done - started) / 1000 for _, started, done in timings]
    print(f"inprocess_after_save_calls: {len(latencies)} calls")
    print(f"inprocess_after_save_median: {percentile(latencies, 0.5):.1f} us")
    print(f"inprocess_after_save_p99: {percentile(latencies, 0.99):.1f} us")
    print(f"inprocess_after_save_return_median: {percentile(returned, 0.5):.1f} us")
    print(f"inprocess_after_save_python_median: {percentile(queued, 0.5):.1f} us (call to queued)")
    print(f"inprocess_after_save_wakeup_median: {percentile(woken, 0.5):.1f} us (queued to started)")
    print(f"inprocess_after_save_handling_median: {percentile(handled, 0.5):.1f} us (started to on the bus)")

    # Back to back: how many after_save calls a second the bus's thread turns into events.
    burst_start = time.monotonic_ns()
    for _ in range(20000):
        hook(entry, context)
    time.sleep(2.0)
    timings = bus.take_hook_timings()
    bus.record_hook_timings(False)
    print(f"inprocess_after_save_capacity: {len(timings) / ((timings[-1][2] - burst_start) / 1e9):.0f} "
          "events/s")
    update_path(directory, pyrite_eventbus.EventBusPlugin().get_hooks(), entry)
    pyrite_eventbus.runtime().stop()


def update_path(directory, hooks, entry):
    """An update as Pyrite makes it: before_save, the file written, after_save; the two hooks are
    timed (the write is Pyrite's), with the previous version compared from the entry's file (what
    entry.updated's "changes" costs) and without a file to compare."""
    from pyrite.plugins import PluginContext
    context = PluginContext(kb_name="research", operation="update", kb_type="generic")
    entry.save(os.path.join(directory, "note-1.md"))
    before, after = hooks["before_save"][0], hooks["after_save"][0]

    def updates(count, with_file):
        took = []
        next_update = time.monotonic_ns()
        for i in range(count):  # paced: an update of Pyrite's takes milliseconds of its own
            while time.monotonic_ns() < next_update:
                pass
            next_update += 1_000_000
            entry.title = f"A note, version {i}"
            start = time.monotonic_ns()
            before(entry, context)
            middle = time.monotonic_ns()
            if with_file:
                entry.save()
            resumed = time.monotonic_ns()
            after(entry, context)
            took.append((middle - start + time.monotonic_ns() - resumed) / 1000)
        return percentile(took, 0.5)

    updates(200, True)
    with_file = updates(3000, True)
    path, entry.file_path = entry.file_path, None
    without_file = updates(3000, False)
    entry.file_path = path
    print(f"inprocess_update_hooks_median: {with_file:.1f} us (before_save + after_save, changes "
          "from the entry's file)")
    print(f"inprocess_update_hooks_without_file_median: {without_file:.1f} us")
    print(f"inprocess_update_changes_ratio: {with_file / without_file:.2f} x")


class Server:
    """A serving Pyrite process and a stream client of it that notes when events arrive."""

    def __init__(self, directory, env):
        self.port = free_port()
        self.env = dict(env, PYRITE_DATA_DIR=directory)
        self.serve_config = write_config(directory, self.port, "auto")
        self.write_config = write_config(directory, self.port, "never")
        self.process = self.spawn(self.serve_config, "serve")
        if not wait_until(self.healthy, 60):
            raise RuntimeError("the serving process did not come up: " + self.process.stderr.read())
        from pyrite_eventbus.client import StreamClient
        self.arrivals = []  # (sequence, entry id, title, CLOCK_MONOTONIC ns at arrival)
        self.client = StreamClient(f"ws://127.0.0.1:{self.port}/stream", since=0)
        threading.Thread(target=self.read, daemon=True).start()

    def spawn(self, config, *arguments):
        return subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "pyrite_process.py"),
                                 *arguments], env=dict(self.env, PYRITE_EVENTBUS_CONFIG=config),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def healthy(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                return True
        except OSError:
            return False

    def read(self):
        try:
            for event in self.client.events():
                data = event["data"]
                self.arrivals.append((event["sequence"], data["entry_id"], data.get("title", ""),
                                      time.monotonic_ns()))
        except Exception:
            pass

    def stop(self):
        self.client.close()
        self.process.terminate()
        self.process.wait(30)


def cross_process_latency(directory, env):
    server = Server(directory, env)
    writer = server.spawn(server.write_config, "write", "notes", "x", "2000", "5")
    writer.communicate(timeout=300)
    wait_until(lambda: len(server.arrivals) >= 2000, 30)
    latencies = [(arrived - int(title.rsplit("t=", 1)[1])) / 1e6
                 for _, _, title, arrived in server.arrivals[200:]]
    print(f"crossprocess_events: {len(server.arrivals)} events")
    print(f"crossprocess_served_p50: {percentile(latencies, 0.5):.2f} ms")
    print(f"crossprocess_served_p99: {percentile(latencies, 0.99):.2f} ms")
    server.stop()


def many_writers(directory, env, seconds):
    server = Server(directory, env)
    per_writer = 250 * seconds  # 4 x 250 writes/s
    started = time.monotonic()
    writers = [server.spawn(server.write_config, "write", "notes", f"w{i}", str(per_writer), "4")
               for i in range(4)]
    for writer in writers:
        _, err = writer.communicate(timeout=seconds * 10 + 120)
        if writer.returncode != 0:
            raise RuntimeError("a writer failed: " + err)
    elapsed = time.monotonic() - started
    expected = 4 * per_writer
    wait_until(lambda: len(server.arrivals) >= expected, 60)
    with sqlite3.connect(os.path.join(directory, "eventbus", "events.sqlite")) as db:
        rows = db.execute("SELECT seq, entry_id FROM events ORDER BY seq").fetchall()
    sequences = [row[0] for row in rows]
    stored = {row[1] for row in rows}
    seen = [arrival[1] for arrival in server.arrivals]
    print(f"multiwriter_processes: 4 processes")
    print(f"multiwriter_seconds: {elapsed:.1f} s")
    print(f"multiwriter_rate: {expected / elapsed:.0f} writes/s")
    print(f"multiwriter_events: {len(rows)} events")
    print(f"multiwriter_lost: {expected - len(stored)} events")
    print(f"multiwriter_duplicated: {len(rows) - len(stored)} events")
    print(f"multiwriter_gaps: {sum(1 for a, b in zip(sequences, sequences[1:]) if b != a + 1)} gaps")
    print(f"multiwriter_stream_missing: {len(stored - set(seen))} events")
    print(f"multiwriter_stream_duplicated: {len(seen) - len(set(seen))} events")
    server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build-release"))
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    paths = [os.path.join(args.build, "python"), os.path.join(ROOT, "tests", "pyrite_standin")]
    sys.path[:0] = paths
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    with tempfile.TemporaryDirectory(prefix="pyrite-bench-inprocess-") as directory:
        in_process_latency(directory)
        os.makedirs(os.path.join(directory, "cross"))
        cross_process_latency(os.path.join(directory, "cross"), env)
        os.makedirs(os.path.join(directory, "many"))
        many_writers(os.path.join(directory, "many"), env, args.seconds)


if __name__ == "__main__":
    main()
