#!/usr/bin/env python3
"""The Python package (python/) as a Pyrite user installs and runs it.

pip installs it offline into a temporary target, Pyrite's plugin registry finds it through its
entry point exactly as Pyrite does (the stand-in of tests/pyrite_standin mirrors Pyrite's module
paths and signatures: CI has no Pyrite), and writes through Pyrite's KB service reach the bus
running in this process: events for in-process subscribers, a replaced entry rebuilt with Link
objects, a veto Pyrite maps to a refusal, the HTTP side served.

usage: test_pyrite_package.py --source SOURCE_DIR --build BUILD_DIR --test-plugins DIR
"""

import argparse
import importlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.request

ARGS = None
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyrite_testing import free_port, pip_install, wait_until  # noqa: E402


class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="pyrite-package-test-")
        cls.site = os.path.join(cls.dir, "site")
        pip_install(ARGS.source, cls.site, ARGS.build)
        cls.port = free_port()
        data = os.path.join(cls.dir, "data")
        os.makedirs(os.path.join(cls.dir, "kb", "notes"))
        os.makedirs(os.path.join(cls.dir, "kb", "tasks"))
        cls.config = os.path.join(cls.dir, "pyrite.yaml")
        with open(cls.config, "w") as config:
            config.write(f"""plugin_dirs: [{ARGS.test_plugins}]
plugins:
  - policy
  - name: eventbus
    settings:
      instance: package-test
      serve: auto
      serve_after: 0s
      stream: {{port: {cls.port}}}
""")
        os.environ.update(PYRITE_DATA_DIR=data, PYRITE_EVENTBUS_CONFIG=cls.config)
        sys.path[:0] = [cls.site, os.path.join(ARGS.source, "tests", "pyrite_standin")]
        importlib.invalidate_caches()
        from pyrite.config import KBConfig, PyriteConfig
        from pyrite.services.kb_service import KBService
        cls.pyrite_config = PyriteConfig(knowledge_bases=[
            KBConfig("notes", os.path.join(cls.dir, "kb", "notes")),
            KBConfig("tasks", os.path.join(cls.dir, "kb", "tasks"), kb_type="task")])
        cls.kb = KBService(cls.pyrite_config)
        import pyrite_eventbus
        cls.bus = pyrite_eventbus

    @classmethod
    def tearDownClass(cls):
        cls.bus.runtime().stop()

    def collect(self, types="entry.*", ids=None, **filters):
        """Events of the given entry ids only: an earlier test's write may still be on its way."""
        events = []

        def keep(event):
            if ids is None or event["data"].get("entry_id") in ids:
                events.append(event)

        subscription = self.bus.subscribe(types, keep, **filters)
        self.addCleanup(subscription.cancel)
        return events

    def test_installed_as_pip_puts_it(self):
        package = os.path.join(self.site, "pyrite_eventbus")
        self.assertTrue(any(name.startswith("_native") for name in os.listdir(package)))
        self.assertTrue(os.path.exists(os.path.join(package, "plugins", "libpyrite-eventbus.so")))
        dist_info = [name for name in os.listdir(self.site) if name.endswith(".dist-info")]
        self.assertEqual(dist_info, ["pyrite_eventbus-0.1.0.dist-info"])
        with open(os.path.join(self.site, dist_info[0], "entry_points.txt")) as entry_points:
            self.assertIn("[pyrite.plugins]\neventbus = pyrite_eventbus.plugin:EventBusPlugin",
                          entry_points.read())

    def test_found_by_pyrites_registry(self):
        from importlib.metadata import entry_points
        from pyrite.plugins import get_registry
        points = [ep for ep in entry_points().select(group="pyrite.plugins")]
        self.assertEqual([ep.name for ep in points], ["eventbus"])
        plugin = points[0].load()()  # as PluginRegistry.discover: no arguments
        self.assertEqual(plugin.name, "eventbus")
        self.assertEqual(sorted(plugin.get_hooks()), sorted(
            ["before_save", "after_save", "before_delete", "after_delete", "before_index"]))
        self.assertFalse(hasattr(plugin, "get_kb_types"))  # it must see every KB
        self.assertEqual(get_registry().list_plugins(), ["eventbus"])

    def test_writes_become_events_in_sequence_order(self):
        events = self.collect(kb="notes", ids={"alpha"})
        self.kb.create_entry("notes", "alpha", "Alpha", links=[{"target": "beta"}])
        self.kb.update_entry("alpha", "notes", title="Alpha two")
        self.kb.delete_entry("alpha", "notes")
        self.assertTrue(wait_until(lambda: len(events) == 3), events)
        self.assertEqual([e["type"] for e in events],
                         ["entry.created", "entry.updated", "entry.deleted"])
        sequences = [e["sequence"] for e in events]
        self.assertEqual(sequences, sorted(sequences))
        self.assertEqual(len(set(e["epoch"] for e in events)), 1)
        self.assertEqual(events[0]["data"]["links"], [{"target": "beta", "relation": "related"}])
        self.assertEqual(events[1]["data"]["title"], "Alpha two")
        self.assertEqual(events[0]["source"], "pyrite://package-test/kb/notes")

    def test_replaced_entry_is_pyrites_own_type_with_link_objects(self):
        from pyrite.models.base import NoteEntry
        from pyrite.schema.provenance import Link
        entry = self.kb.create_entry("notes", "shout", "upper: quiet", body="body text",
                                     links=[{"target": "alpha", "relation": "cites"}])
        self.assertIsInstance(entry, NoteEntry)
        self.assertEqual(entry.title, "UPPER: QUIET")
        self.assertEqual(entry.body, "body text")
        self.assertEqual(entry.links, [Link(target="alpha", relation="cites")])
        stored = self.kb.load_entry_from_disk("shout", "notes")  # the save took Link objects
        self.assertEqual((stored.title, stored.links), (entry.title, entry.links))

    def test_veto_is_a_refusal_pyrite_maps_to_400(self):
        from pyrite.exceptions import PyriteError, ValidationError
        with self.assertRaises(ValueError) as caught:
            self.kb.create_entry("notes", "no", "VETO this")
        self.assertIsInstance(caught.exception, ValidationError)
        self.assertIsInstance(caught.exception, PyriteError)
        self.assertEqual(caught.exception.by, "policy")
        self.assertIn("titles may not start with VETO", str(caught.exception))
        self.assertIsNone(self.kb.load_entry_from_disk("no", "notes"))

    def test_a_raising_or_slow_subscriber_holds_up_nothing(self):
        fast = self.collect(kb="tasks", ids={f"t{i}" for i in range(20)})
        slow_seen = []
        release = threading.Event()

        def slow(event):
            release.wait(10)
            slow_seen.append(event["sequence"])

        def raising(event):
            raise RuntimeError("subscriber bug")

        slow_subscription = self.bus.subscribe("entry.*", slow, kb="tasks")
        raising_subscription = self.bus.subscribe("entry.*", raising, kb="tasks")
        self.addCleanup(slow_subscription.cancel)
        self.addCleanup(raising_subscription.cancel)
        with self.assertLogs("pyrite.eventbus.subscribers", level="ERROR") as logs:
            for i in range(20):
                self.kb.create_entry("tasks", f"t{i}", f"Task {i}", entry_type="task")
            # Every write returned and the fast subscriber has every event, while the slow one
            # is still held on its first.
            self.assertTrue(wait_until(lambda: len(fast) == 20))
            self.assertTrue(wait_until(lambda: raising_subscription.failed == 20))
        self.assertEqual(slow_seen, [])
        self.assertIn("subscriber bug", "\n".join(logs.output))
        release.set()
        self.assertTrue(wait_until(lambda: len(slow_seen) == 20))
        self.assertEqual(slow_seen, [e["sequence"] for e in fast])

    def test_existing_hook_runs_as_subscriber(self):
        calls = []

        def after_save(entry, context):  # an existing Pyrite hook, unchanged
            if entry.id == "hooked":
                calls.append((entry.id, entry.title, context["kb_name"], context.operation))

        subscription = self.bus.run_hook_as_subscriber(after_save)
        self.addCleanup(subscription.cancel)
        self.kb.create_entry("notes", "hooked", "Hooked")
        self.kb.update_entry("hooked", "notes", title="Hooked again")
        self.assertTrue(wait_until(lambda: len(calls) == 2), calls)
        self.assertEqual(calls, [("hooked", "Hooked", "notes", "create"),
                                 ("hooked", "Hooked again", "notes", "update")])

    def test_example_subscriber_plugin(self):
        """examples/subscriber_plugin as Pyrite's registry would construct it."""
        sys.path.insert(0, os.path.join(ARGS.source, "examples", "subscriber_plugin"))
        task_notifier = importlib.import_module("task_notifier")
        plugin = task_notifier.TaskNotifier()
        for subscription in plugin.subscriptions:
            self.addCleanup(subscription.cancel)
        self.assertFalse(hasattr(plugin, "get_hooks"))
        with self.assertLogs("task_notifier", level="INFO") as logs:
            self.kb.create_entry("notes", "example", "An example")
            wait_until(lambda: any("notes/example" in line for line in logs.output))
        self.assertIn("INFO:task_notifier:create notes/example: An example", logs.output)

    def test_an_entry_nested_too_deep_is_refused_with_its_reason(self):
        hook = self.bus.EventBusPlugin().get_hooks()["before_save"][0]
        entry = {"id": "deep", "title": "Deep"}
        nested = entry
        for _ in range(100):
            nested["child"] = {}
            nested = nested["child"]
        with self.assertRaises(ValueError) as caught:
            hook(entry, {"kb_name": "notes", "operation": "create"})
        self.assertIn("nests more than 64 levels", str(caught.exception))

    def test_bad_pattern_is_a_value_error(self):
        with self.assertRaises(ValueError) as caught:
            self.bus.subscribe("entry.**x", lambda event: None)
        self.assertIn("entry.**x", str(caught.exception))

    def test_the_process_serves_http_and_streams(self):
        url = f"http://127.0.0.1:{self.port}/healthz"
        self.assertTrue(wait_until(lambda: _get(url) is not None), url)
        self.assertEqual(json.loads(_get(url))["status"], "ok")
        graph = json.loads(_get(f"http://127.0.0.1:{self.port}/api/graph"))
        self.assertIn("nodes", graph)

    def test_qt_messages_reach_pythons_logging(self):
        with self.assertLogs("pyrite.host.hooks", level="WARNING") as logs:
            self.kb.create_entry("notes", "af", "AFTERFAIL now")
            wait_until(lambda: any("after hook broke" in line for line in logs.output))
        self.assertTrue(any("after hook broke" in line for line in logs.output), logs.output)


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.read()
    except OSError:
        return None


class BadSettingsTest(unittest.TestCase):
    def test_a_bad_settings_file_is_said_once_and_writes_go_on(self):
        work = tempfile.mkdtemp(prefix="pyrite-package-bad-")
        config = os.path.join(work, "pyrite.yaml")
        with open(config, "w") as file:
            file.write("plugins:\n  - name: eventbus\n    settings:\n      serve: sometimes\n")
        script = (
            "import logging\n"
            "logging.basicConfig(level=logging.ERROR, format='%(name)s: %(message)s')\n"
            "from pyrite.config import KBConfig, PyriteConfig\n"
            "from pyrite.services.kb_service import KBService\n"
            f"kb = KBService(PyriteConfig([KBConfig('notes', {work!r})]))\n"
            "kb.create_entry('notes', 'a', 'A')\n"
            "kb.create_entry('notes', 'b', 'B')\n"
            "print(sorted(row['id'] for row in kb.db.list_kb_rows('notes')))\n")
        env = dict(os.environ, PYRITE_DATA_DIR=os.path.join(work, "data"),
                   PYRITE_EVENTBUS_CONFIG=config, PYTHONPATH=os.pathsep.join(
                       [os.path.join(ARGS.build, "python"),
                        os.path.join(ARGS.source, "tests", "pyrite_standin")]))
        result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "['a', 'b']")  # the writes went on
        self.assertEqual(result.stderr.count("pyrite.eventbus: the event bus cannot start"), 1,
                         result.stderr)  # said once, not at every write
        self.assertIn("pyrite.yaml:4: plugins[0].settings.serve: unknown value \"sometimes\"",
                      result.stderr)
        self.assertIn("writes go on without events", result.stderr)


class BuildBackendTest(unittest.TestCase):
    def test_relative_build_dir_is_refused(self):
        """pip runs the backend in python/: a relative build folder would land in the sources."""
        target = tempfile.mkdtemp(prefix="pyrite-package-refused-")
        env = dict(os.environ, PYRITE_EVENTBUS_BUILD_DIR="build", PIP_NO_INDEX="1")
        result = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target",
                                 target, os.path.join(ARGS.source, "python")],
                                env=env, capture_output=True, text=True)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("PYRITE_EVENTBUS_BUILD_DIR must be an absolute path, not 'build'",
                      result.stdout + result.stderr)
        self.assertFalse(os.path.exists(os.path.join(ARGS.source, "python", "build")))


class DefaultsTest(unittest.TestCase):
    def test_no_settings_file_means_defaults_below_pyrites_data_dir(self):
        """A Pyrite user who wrote no pyrite.yaml: the log goes to $PYRITE_DATA_DIR/eventbus."""
        work = tempfile.mkdtemp(prefix="pyrite-package-defaults-")
        site = os.path.join(work, "site")
        pip_install(ARGS.source, site, ARGS.build)
        data = os.path.join(work, "data")
        script = (
            "import pyrite_eventbus\n"
            "from pyrite.config import KBConfig, PyriteConfig\n"
            "from pyrite.services.kb_service import KBService\n"
            f"KBService(PyriteConfig([KBConfig('notes', {work!r})])).create_entry('notes', 'a', 'A')\n"
            "print(pyrite_eventbus.settings_file())\n")
        env = dict(os.environ, PYRITE_DATA_DIR=data,
                   PYTHONPATH=os.pathsep.join([site, os.path.join(ARGS.source, "tests", "pyrite_standin")]))
        env.pop("PYRITE_EVENTBUS_CONFIG", None)
        result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), os.path.join(data, "pyrite.yaml"))
        log = os.path.join(data, "eventbus", "events.sqlite")
        self.assertTrue(os.path.exists(log), os.listdir(data))
        import sqlite3
        with sqlite3.connect(log) as db:
            rows = db.execute("SELECT seq, type, entry_id FROM events").fetchall()
        # Written at exit: the after_save was queued, and the interpreter's exit flushed it.
        self.assertEqual(rows, [(1, "entry.created", "a")])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for option in ("--source", "--build", "--test-plugins"):
        parser.add_argument(option, required=True)
    ARGS, rest = parser.parse_known_args()
    logging.basicConfig(level=logging.WARNING)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
