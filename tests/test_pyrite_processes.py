#!/usr/bin/env python3
"""Many Pyrite processes, one event log (the package loaded by Pyrite's registry in each).

Two writers while a third process serves: a stream client sees every event once, in order; a
writer killed with SIGKILL mid-write leaves the log gap-free and the others going; writes made
while no server runs reach a stream client and a webhook once pyrite-host serves; a pre-forking
parent and its children all write, nothing lost, no hang.

usage: test_pyrite_processes.py --source SOURCE_DIR --build BUILD_DIR --host PYRITE_HOST
"""

import argparse
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import unittest

ARGS = None
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyrite_testing import Receiver, free_port, healthy, wait_until  # noqa: E402


class Collector:
    """A stream client on its own thread, collecting (sequence, entry id) of every event."""

    def __init__(self, port, since=0, state_file=None):
        from pyrite_eventbus.client import StreamClient
        self.events = []
        self.client = StreamClient(f"ws://127.0.0.1:{port}/stream", since=since, max_backoff=0.5,
                                   state_file=state_file)
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        try:
            for event in self.client.events():
                self.events.append((event["sequence"], event["data"]["entry_id"]))
        except Exception:  # the test's end closes the socket under it
            pass

    def ids(self):
        return [entry_id for _, entry_id in self.events]


class ProcessesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="pyrite-processes-test-")
        self.port = free_port()
        self.processes = []
        self.env = dict(os.environ, PYRITE_DATA_DIR=self.dir, PYTHONPATH=os.pathsep.join(
            [os.path.join(ARGS.build, "python"), os.path.join(ARGS.source, "tests", "pyrite_standin")]))

    def tearDown(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
            try:
                process.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()

    def config(self, name, serve, extra="", data_dir=False):
        path = os.path.join(self.dir, name)
        with open(path, "w") as file:
            if data_dir:  # pyrite-host does not read $PYRITE_DATA_DIR
                file.write(f"data_dir: {self.dir}\n")
            file.write(f"""knowledge_bases: []
plugins:
  - name: eventbus
    settings:
      instance: processes-test
      serve: {serve}
      serve_after: 0s
      stream: {{port: {self.port}}}
{extra}""")
        return path

    def start(self, config, *arguments):
        env = dict(self.env, PYRITE_EVENTBUS_CONFIG=config)
        process = subprocess.Popen([sys.executable, os.path.join(ARGS.source, "tests", "pyrite_process.py"),
                                    *arguments], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        self.processes.append(process)
        return process

    def finish(self, process, timeout=120):
        out, err = process.communicate(timeout=timeout)
        self.assertEqual(process.returncode, 0, err)
        return out

    def log_rows(self):
        with sqlite3.connect(os.path.join(self.dir, "eventbus", "events.sqlite")) as db:
            return db.execute("SELECT seq, entry_id, id FROM events ORDER BY seq").fetchall()

    def assert_chained(self):
        """The hash chain, recomputed here from docs/eventlog.md's formula: one chain across
        every process that wrote."""
        with sqlite3.connect(os.path.join(self.dir, "eventbus", "events.sqlite")) as db:
            rows = db.execute("SELECT seq, envelope, hash, prev_hash FROM events ORDER BY seq")
            previous = ""
            for seq, envelope, stored, prev_hash in rows:
                self.assertEqual(prev_hash, previous, seq)
                previous = hashlib.sha256(f"{prev_hash}\n{seq}\n{envelope}".encode()).hexdigest()
                self.assertEqual(stored, previous, seq)

    def assert_gap_free(self, rows):
        self.assertEqual([row[0] for row in rows], list(range(1, len(rows) + 1)))
        self.assertEqual(len({row[2] for row in rows}), len(rows))  # event ids
        self.assertEqual(len({row[1] for row in rows}), len(rows))  # every entry once

    def test_two_writers_while_a_third_serves(self):
        config = self.config("pyrite.yaml", "auto")
        server = self.start(config, "serve")
        self.assertTrue(wait_until(lambda: healthy(self.port)), server.stderr)
        collector = Collector(self.port)
        writers = [self.start(config, "write", "notes", name, "200") for name in ("a", "b")]
        for writer in writers:
            self.assertIn("written 200", self.finish(writer))
        self.assertTrue(wait_until(lambda: len(collector.events) >= 400), len(collector.events))
        rows = self.log_rows()
        self.assertEqual(len(rows), 400)
        self.assert_gap_free(rows)
        # Every event once, in sequence order, from both writers (the server wrote none).
        self.assertEqual(collector.events, [(row[0], row[1]) for row in rows])
        self.assertEqual(sum(1 for i in collector.ids() if i.startswith("a-")), 200)
        self.assert_chained()
        collector.client.close()

    def test_a_killed_writer_leaves_the_log_whole(self):
        config = self.config("pyrite.yaml", "auto")
        self.start(config, "serve")
        self.assertTrue(wait_until(lambda: healthy(self.port)))
        collector = Collector(self.port)
        doomed = self.start(config, "write", "notes", "doomed", "100000", "1")
        self.assertTrue(wait_until(lambda: len(collector.events) >= 100))
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
        survivor = self.start(config, "write", "notes", "survivor", "100")
        self.assertIn("written 100", self.finish(survivor))
        rows = self.log_rows()
        self.assert_gap_free(rows)
        self.assertTrue(wait_until(lambda: len(collector.events) >= len(rows)))
        self.assertEqual(collector.events, [(row[0], row[1]) for row in rows])
        self.assertEqual(sum(1 for row in rows if row[1].startswith("survivor-")), 100)
        self.assert_chained()
        self.assertTrue(healthy(self.port))
        collector.client.close()

    def test_writes_without_a_server_go_out_once_one_runs(self):
        receiver = Receiver()
        webhooks = f"""      webhooks:
        retry_schedule: [100ms]
        endpoints:
          - url: http://127.0.0.1:{receiver.server_address[1]}/hook
            allow_private: true
"""
        writer_config = self.config("writer.yaml", "never", webhooks)
        self.assertIn("written 50", self.finish(self.start(writer_config, "write", "notes", "early", "50")))
        self.assertFalse(healthy(self.port))
        self.assertEqual(len(self.log_rows()), 50)
        # pyrite-host, the standalone server for users of Pyrite's CLI, on the same settings.
        server_config = self.config("host.yaml", "always", webhooks, data_dir=True)
        host = subprocess.Popen([ARGS.host, "serve", "--config", server_config],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.processes.append(host)
        self.assertTrue(wait_until(lambda: healthy(self.port)))
        collector = Collector(self.port)
        self.assertTrue(wait_until(lambda: len(collector.events) >= 50))
        self.assertEqual(collector.ids(), [f"early-{i}" for i in range(50)])
        self.assertTrue(wait_until(lambda: len(receiver.received) >= 50), len(receiver.received))
        self.assertEqual(sorted(set(receiver.received)), sorted(f"early-{i}" for i in range(50)))
        # And a write made while it serves, by a process that only writes.
        self.finish(self.start(writer_config, "write", "notes", "late", "5"))
        self.assertTrue(wait_until(lambda: len(collector.events) >= 55))
        self.assertTrue(wait_until(lambda: len(set(receiver.received)) >= 55))
        collector.client.close()
        receiver.shutdown()

    def test_the_client_resumes_across_host_restarts(self):
        """pyrite_eventbus.client: one client reconnects with backoff while the server is down;
        a program started anew resumes from its state file; neither misses or repeats one."""
        writer = self.config("writer.yaml", "never")
        server = self.config("host.yaml", "always", data_dir=True)

        def start_host():
            host = subprocess.Popen([ARGS.host, "serve", "--config", server],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            self.processes.append(host)
            self.assertTrue(wait_until(lambda: healthy(self.port)))
            return host

        host = start_host()
        state = os.path.join(self.dir, "client.position")
        staying = Collector(self.port)
        restarted = Collector(self.port, state_file=state)
        self.finish(self.start(writer, "write", "notes", "before", "10"))
        self.assertTrue(wait_until(lambda: len(restarted.events) >= 10 and len(staying.events) >= 10))
        restarted.client.reconnect = False
        restarted.client.close()  # the program ends; its position is in the state file
        host.terminate()
        host.communicate(timeout=30)
        self.finish(self.start(writer, "write", "notes", "while", "10"))
        host = start_host()
        again = Collector(self.port, state_file=state)  # since=0 is overridden by the file
        self.finish(self.start(writer, "write", "notes", "after", "5"))
        expected = [f"before-{i}" for i in range(10)] + [f"while-{i}" for i in range(10)] + \
            [f"after-{i}" for i in range(5)]
        self.assertTrue(wait_until(lambda: len(staying.events) >= 25), staying.ids())
        self.assertTrue(wait_until(lambda: len(again.events) >= 15), again.ids())
        self.assertEqual(staying.ids(), expected)
        self.assertGreaterEqual(staying.client.connections, 2)
        self.assertEqual(again.ids(), expected[10:])
        self.assertEqual(again.client.unrecovered, 0)
        staying.client.close()
        again.client.close()

    def test_a_pre_forking_parent_and_its_children_all_write(self):
        config = self.config("pyrite.yaml", "never")
        process = self.start(config, "fork", "notes", "f", "30", "2")
        self.finish(process, timeout=120)  # no hang
        rows = self.log_rows()
        self.assertEqual(len(rows), 30 * 4)
        self.assert_gap_free(rows)
        for prefix in ("f-parent-", "f-child0-", "f-child1-", "f-after-"):
            self.assertEqual(sum(1 for row in rows if row[1].startswith(prefix)), 30, prefix)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for option in ("--source", "--build", "--host"):
        parser.add_argument(option, required=True)
    ARGS, rest = parser.parse_known_args()
    sys.path[:0] = [os.path.join(ARGS.build, "python"), os.path.join(ARGS.source, "tests", "pyrite_standin")]
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
