#!/usr/bin/env python3
"""The bridge client (python/pyrite_eventbus/bridge.py) as Pyrite would use it.

A stand-in for Pyrite's hook registry calls the module's hooks the way Pyrite's registry does
(registration order; a before_* result replaces the entry; an exception aborts the write; after_*
exceptions are logged). Behind the module runs a real pyrite-host with the event bus plugin and a
test plugin with opinions (tests/plugins/policyplugin.cpp).
"""

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

ARGS = None


class PyriteHookRegistry:
    """What Pyrite's plugin registry does with get_hooks() (pyrite/plugins/registry.py)."""

    def __init__(self):
        self.hooks = {}

    def register(self, plugin):
        for name, callables in plugin.get_hooks().items():
            self.hooks.setdefault(name, []).extend(callables)

    def run_before(self, hook, entry, context):
        for callable_ in self.hooks.get(hook, []):
            result = callable_(entry, context)  # raising aborts the write
            if result is not None:
                entry = result
        return entry

    def run_after(self, hook, entry, context):
        for callable_ in self.hooks.get(hook, []):
            try:
                callable_(entry, context)
            except Exception as error:  # logged, never undoes the write
                logging.getLogger("pyrite").warning("after hook failed: %s", error)

    def save(self, store, entry, context):
        """A write as Pyrite's KB service makes it."""
        entry = self.run_before("before_save", entry, context)
        key = entry["id"] if isinstance(entry, dict) else entry.id
        store[key] = entry
        self.run_after("after_save", entry, context)
        return entry


class Entry:
    """Like Pyrite's entry objects (pyrite/models/base.py): attributes, to_frontmatter() and the
    classmethod from_frontmatter(meta, body)."""

    def __init__(self, id, title, type="note", tags=(), links=(), body="text"):
        self.id, self.title, self.type = id, title, type
        self.tags, self.links, self.body = list(tags), list(links), body

    def to_frontmatter(self):
        return {"id": self.id, "title": self.title, "type": self.type, "tags": self.tags,
                "links": self.links}

    @classmethod
    def from_frontmatter(cls, meta, body):
        return cls(meta["id"], meta.get("title", ""), meta.get("type", "note"),
                   meta.get("tags", ()), meta.get("links", ()), body)


class BridgeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        sys.path.insert(0, ARGS.module)
        import pyrite_eventbus.bridge
        cls.bridge_module = pyrite_eventbus.bridge
        cls.dir = tempfile.mkdtemp(prefix="pyrite-bridge-test-")
        cls.socket_path = os.path.join(cls.dir, "bridge.sock")
        cls.config = os.path.join(cls.dir, "pyrite.yaml")
        with open(cls.config, "w") as config:
            config.write(f"""data_dir: {cls.dir}
strict_plugins: true
bridge:
  socket: {cls.socket_path}
plugins:
  - name: policy
  - name: eventbus
    settings:
      instance: bridge-test
      stream: {{enabled: false, port: 0}}
""")
        cls.host = subprocess.Popen(
            [ARGS.host, "--config", cls.config, "--plugin-dir", ARGS.plugins,
             "--plugin-dir", ARGS.test_plugins],
            stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 30
        while not os.path.exists(cls.socket_path):
            if cls.host.poll() is not None or time.time() > deadline:
                raise RuntimeError("pyrite-host did not start: " + cls.host.stderr.read())
            time.sleep(0.05)

    @classmethod
    def tearDownClass(cls):
        cls.host.terminate()
        cls.host.wait(timeout=30)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def setUp(self):
        self.plugin = self.bridge_module.EventBusBridge(socket_path=self.socket_path)
        self.registry = PyriteHookRegistry()
        self.registry.register(self.plugin)
        self.store = {}

    def tearDown(self):
        self.plugin.close()

    def events(self, entry_id):
        """What the event bus logged for an entry, read with pyrite-host events."""
        for _ in range(100):
            out = subprocess.run([ARGS.host, "events", "--config", self.config, "--plugin-dir",
                                  ARGS.plugins, "--plugin-dir", ARGS.test_plugins],
                                 capture_output=True, text=True, check=True).stdout
            found = [json.loads(line) for line in out.splitlines()
                     if json.loads(line)["data"].get("entry_id") == entry_id]
            if found:
                return found
            time.sleep(0.05)
        return []

    def context(self, operation="create"):
        return {"kb_name": "research", "user": "alice", "kb_schema": {}, "operation": operation}

    def test_plugin_protocol(self):
        self.assertEqual(self.plugin.name, "eventbus")
        hooks = self.plugin.get_hooks()
        self.assertEqual(sorted(hooks), sorted(self.bridge_module.HOOK_NAMES))
        self.assertTrue(all(len(callables) == 1 and callable(callables[0])
                            for callables in hooks.values()))
        self.assertTrue(self.plugin.ping())

    def test_save_becomes_an_event(self):
        saved = self.registry.save(self.store, {"id": "n1", "title": "Hello", "type": "note",
                                                "links": [{"target": "n2", "relation": "related"}]},
                                   self.context())
        self.assertEqual(saved["title"], "Hello")
        events = self.events("n1")
        self.assertEqual([event["type"] for event in events], ["entry.created"])
        self.assertEqual(events[0]["data"]["actor"], "alice")
        self.assertEqual(events[0]["data"]["links"], [{"target": "n2", "relation": "related"}])

    def test_replacement_reaches_later_hooks_and_the_write(self):
        saved = self.registry.save(self.store, {"id": "n2", "title": "upper: shout"},
                                   self.context())
        self.assertEqual(saved["title"], "UPPER: SHOUT")
        self.assertEqual(self.store["n2"]["title"], "UPPER: SHOUT")
        self.assertEqual(self.events("n2")[0]["data"]["title"], "UPPER: SHOUT")

    def test_replacement_of_an_entry_object(self):
        # Rebuilt as the entry's own type with from_frontmatter, as Pyrite builds entries.
        entry = Entry("n3", "upper: object", body="the body")
        saved = self.registry.save(self.store, entry, self.context())
        self.assertIsInstance(saved, Entry)
        self.assertEqual(saved.title, "UPPER: OBJECT")
        self.assertEqual(saved.body, "the body")
        self.assertIs(self.store["n3"], saved)

    def test_veto_aborts_the_write(self):
        with self.assertRaises(self.bridge_module.HookVetoed) as caught:
            self.registry.save(self.store, {"id": "n4", "title": "VETO this"}, self.context())
        self.assertEqual(caught.exception.by, "policy")
        self.assertIn("VETO", caught.exception.message)
        self.assertNotIn("n4", self.store)

    def test_raising_hook_aborts_the_write(self):
        with self.assertRaises(self.bridge_module.HookVetoed) as caught:
            self.registry.save(self.store, {"id": "n5", "title": "RAISE now"}, self.context())
        self.assertIn("ValueError", caught.exception.message)
        self.assertNotIn("n5", self.store)

    def test_after_hook_failure_is_only_logged(self):
        with self.assertLogs("pyrite.eventbus.bridge", level="WARNING") as logs:
            self.registry.save(self.store, {"id": "n6", "title": "AFTERFAIL here"}, self.context())
        self.assertIn("n6", self.store)
        self.assertTrue(any("after hook broke" in line for line in logs.output))
        self.assertEqual(self.events("n6")[0]["type"], "entry.created")

    def test_delete_and_update_with_previous(self):
        self.registry.save(self.store, {"id": "n7", "title": "First"}, self.context())
        context = dict(self.context("update"), previous={"id": "n7", "title": "First"})
        self.registry.save(self.store, {"id": "n7", "title": "Second"}, context)
        entry = self.registry.run_before("before_delete", {"id": "n7"}, self.context("delete"))
        self.registry.run_after("after_delete", entry, self.context("delete"))
        events = self.events("n7")
        for _ in range(50):
            if len(events) == 3:
                break
            time.sleep(0.05)
            events = self.events("n7")
        self.assertEqual([event["type"] for event in events],
                         ["entry.created", "entry.updated", "entry.deleted"])
        self.assertEqual(events[1]["data"]["changes"], ["title"])

    def test_notifications(self):
        self.plugin.notify("kb.indexed", {"entries": 3, "added": 1, "updated": 0, "removed": 0,
                                          "duration_ms": 5}, {"kb_name": "research"})
        with self.assertRaises(self.bridge_module.BridgeError) as caught:
            self.plugin.notify("task.claimed", {"nothing": True}, {"kb_name": "research"})
        self.assertIn("entry_id", str(caught.exception))
        with self.assertRaises(ValueError):
            self.plugin.notify("no.such", {})

    def test_unreachable_host(self):
        missing = os.path.join(self.dir, "nobody.sock")
        lenient = self.bridge_module.EventBusBridge(socket_path=missing)
        registry = PyriteHookRegistry()
        registry.register(lenient)
        with self.assertLogs("pyrite.eventbus.bridge", level="WARNING") as logs:
            saved = registry.save(self.store, {"id": "n8", "title": "Offline"}, self.context())
        self.assertEqual(saved["title"], "Offline")
        self.assertTrue(any("cannot reach pyrite-host" in line for line in logs.output))

        strict = self.bridge_module.EventBusBridge(socket_path=missing, strict=True)
        registry = PyriteHookRegistry()
        registry.register(strict)
        with self.assertRaises(self.bridge_module.BridgeError):
            registry.save(self.store, {"id": "n9", "title": "Offline"}, self.context())
        self.assertNotIn("n9", self.store)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for option in ("--host", "--plugins", "--test-plugins", "--module"):
        parser.add_argument(option, required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
