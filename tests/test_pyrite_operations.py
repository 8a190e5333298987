#!/usr/bin/env python3
"""Every Pyrite operation becomes the right event (docs/pyrite.md), through the stand-in of
Pyrite's services (tests/pyrite_standin mirrors the module paths and signatures of the functions
the plugin wraps; CI has no Pyrite).

Hooks: entry.updated with the fields that changed and an actor, task.claimed / task.completed
from a status transition, qa.validation_failed from a failing qa_assessment, [[wikilinks]] as
links, the context's kb_type and extra. Wrappers: add_link, an index sync of files changed outside
Pyrite (entry.* and kb.indexed), SchemaService (schema.changed), QAService validation
(qa.validation_failed); their results and exceptions pass through untouched, a wrapper never
raises into Pyrite, a missing or changed function is reported and skipped, settings turn one off.

usage: test_pyrite_operations.py --source SOURCE_DIR --build BUILD_DIR
"""

import argparse
import importlib
import json
import logging
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import unittest

ARGS = None
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyrite_testing import pip_install, wait_until  # noqa: E402


class OperationsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = pathlib.Path(tempfile.mkdtemp(prefix="pyrite-operations-test-"))
        cls.site = cls.dir / "site"
        pip_install(ARGS.source, str(cls.site), ARGS.build)
        cls.config = cls.dir / "pyrite.yaml"
        cls.config.write_text("plugins:\n  - name: eventbus\n    settings:\n"
                              "      instance: operations-test\n      serve: never\n")
        os.environ.update(PYRITE_DATA_DIR=str(cls.dir / "data"),
                          PYRITE_EVENTBUS_CONFIG=str(cls.config), PYRITE_EVENTBUS_ACTOR="tester")
        sys.path[:0] = [str(cls.site), os.path.join(ARGS.source, "tests", "pyrite_standin")]
        importlib.invalidate_caches()
        from pyrite.config import KBConfig, PyriteConfig
        from pyrite.plugins import get_registry
        from pyrite.services.kb_service import KBService
        cls.notes, cls.tasks = cls.dir / "kb" / "notes", cls.dir / "kb" / "tasks"
        cls.pyrite_config = PyriteConfig(knowledge_bases=[
            KBConfig("notes", cls.notes), KBConfig("tasks", cls.tasks, kb_type="task")])
        get_registry().discover()  # as Pyrite at start: the plugin installs its wrappers
        cls.kb = KBService(cls.pyrite_config)
        import pyrite_eventbus
        from pyrite_eventbus import wrappers
        cls.bus, cls.wrappers = pyrite_eventbus, wrappers

    @classmethod
    def tearDownClass(cls):
        cls.bus.runtime().stop()

    def collect(self, types="*", ids=None, kb=""):
        """Events about the given entry ids (or all, when None), as the bus stores them."""
        events = []

        def keep(event):
            if ids is None or event["data"].get("entry_id") in ids:
                events.append(event)

        subscription = self.bus.subscribe(types, keep, kb=kb)
        self.addCleanup(subscription.cancel)
        return events

    def create_settled(self, kb, *entries):
        """Creates the entries (id, title, keyword arguments) and waits until their events are
        stored, so that a subscription made after this sees none of them."""
        events = self.collect("entry.created", {entry[0] for entry in entries})
        for entry_id, title, arguments in entries:
            self.kb.create_entry(kb, entry_id, title, **arguments)
        self.wait_for(events, len(entries))

    def wait_for(self, events, count):
        """Waits for count events; each must be valid against its type's JSON Schema."""
        import jsonschema
        self.assertTrue(wait_until(lambda: len(events) >= count, 15), events)
        time.sleep(0.2)  # nothing more may come
        for event in events:
            schema = json.loads((pathlib.Path(ARGS.source) / "resources" / "schemas" /
                                 f"{event['type']}.json").read_text())
            jsonschema.Draft202012Validator(schema).validate(event)
        return [(e["type"], e["data"].get("entry_id")) for e in events]

    # Hooks ---------------------------------------------------------------------------------------

    def test_update_lists_the_changed_fields_and_the_actor(self):
        events = self.collect("entry.*", {"upd"})
        self.kb.create_entry("notes", "upd", "Before", body="text", tags=["a"])
        self.kb.update_entry("upd", "notes", title="After", tags=["a", "b"])
        self.kb.update_entry("upd", "notes", title="After")  # nothing changes
        self.wait_for(events, 3)
        self.assertEqual(events[1]["data"]["changes"], ["tags", "title"])
        self.assertEqual(events[2]["data"]["changes"], [])
        self.assertEqual({e["data"]["actor"] for e in events}, {"tester"})

    def test_task_claim_and_completion(self):
        events = self.collect("*", {"t1"}, kb="tasks")
        self.kb.create_entry("tasks", "t1", "Write the docs", entry_type="task")
        self.assertTrue(self.kb.claim_entry("t1", "tasks", "alice")["claimed"])
        self.kb.update_entry("t1", "tasks", status="done")
        got = self.wait_for(events, 5)
        self.assertEqual(got, [("entry.created", "t1"), ("entry.updated", "t1"),
                               ("task.claimed", "t1"), ("entry.updated", "t1"),
                               ("task.completed", "t1")])
        claimed, completed = events[2]["data"], events[4]["data"]
        self.assertEqual((claimed["assignee"], claimed["old_status"]), ("alice", "open"))
        self.assertEqual(completed["old_status"], "claimed")
        self.assertEqual(events[1]["data"]["changes"], ["assignee", "status"])
        self.assertEqual(events[1]["data"]["kb_type"], "task")
        self.assertEqual(events[1]["data"]["extra"], {"old_status": "open"})

    def test_a_failing_qa_assessment(self):
        events = self.collect("qa.validation_failed", {"paper"})
        self.kb.create_entry("notes", "qa-1", "QA of paper", entry_type="qa_assessment",
                             target_entry="paper", qa_status="fail",
                             issues=[{"rule": "missing_source", "severity": "error",
                                      "message": "no source"}])
        self.kb.create_entry("notes", "qa-2", "QA of paper", entry_type="qa_assessment",
                             target_entry="paper", qa_status="pass")
        self.wait_for(events, 1)
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["data"]["assessment_id"], "qa-1")
        self.assertEqual(events[0]["data"]["issues"][0]["message"], "no source")

    def test_wikilinks_in_the_body_become_links(self):
        events = self.collect("entry.created", {"wiki"})
        self.kb.create_entry("notes", "wiki", "Wiki", body="See [[alpha]] and [[notes:beta|B]]."
                             "\n```\n[[not-a-link]]\n```\n", links=[{"target": "alpha"}])
        self.wait_for(events, 1)
        self.assertEqual(events[0]["data"]["links"], [
            {"target": "alpha", "relation": "related"},
            {"target": "beta", "relation": "wikilink", "kb": "notes"}])

    def test_previous_version_from_the_two_files(self):
        """versions.previous_version: the fields that differ, compared key by key."""
        from pyrite_eventbus.versions import previous_version
        base = "---\nid: a\ntitle: 'A: B'\ntags:\n- x\nlinks:\n- target: b\n  relation: cites\n---\n\nBody\n"
        current = {"id": "a", "title": "A: B", "tags": ["x"], "body": "Body",
                   "links": [{"target": "b", "relation": "cites"}], "kb_name": "notes"}
        rows = [
            ("nothing", base, []),
            ("same value, other quotes", base.replace("'A: B'", '"A: B"'), []),
            ("a comment", base.replace("tags:", "# why\ntags:"), []),
            ("title", base.replace("'A: B'", "Old"), ["title"]),
            ("a tag more", base.replace("- x\n", "- x\n- y\n"), ["tags"]),
            ("a link's relation", base.replace("cites", "related"), ["links"]),
            ("body", base.replace("Body", "Old body"), ["body"]),
            ("a field removed since", base.replace("id: a\n", "id: a\nstatus: open\n"), ["status"]),
            ("a field added since", base.replace("tags:\n- x\n", ""), ["tags"]),
        ]
        for name, old, changed in rows:
            with self.subTest(name):
                previous = previous_version(old, base, current)
                self.assertEqual(sorted(k for k in previous.keys() | current.keys()
                                        if previous.get(k) != current.get(k)), changed)
        self.assertEqual(previous_version(base, base, current), current)
        self.assertIsNone(previous_version("no front matter", base, current))
        self.assertEqual(previous_version(base.replace("'A: B'", "Old"), base, current)["title"],
                         "Old")

    # Wrappers ------------------------------------------------------------------------------------

    def test_add_link_is_an_update_of_the_links(self):
        events = self.collect("entry.updated", {"src"})
        self.kb.create_entry("notes", "src", "Source")
        self.assertIsNone(self.kb.add_link("src", "notes", "dst", "cites"))
        self.kb.add_link("src", "notes", "dst", "cites")  # a duplicate: Pyrite writes nothing
        self.wait_for(events, 1)
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["data"]["changes"], ["links"])
        self.assertEqual(events[0]["data"]["links"],
                         [{"target": "dst", "relation": "cites", "kb": "notes"}])

    def test_files_changed_outside_pyrite_reach_the_bus_on_sync(self):
        from pyrite.models.base import NoteEntry
        self.create_settled("notes", ("edited", "Old title", {"body": "x"}),
                            ("removed", "Removed", {"body": "x"}))
        events = self.collect("*", {"edited", "removed", "outside", None}, kb="notes")
        time.sleep(0.05)  # a file's time must be after its index time
        NoteEntry.from_frontmatter({"id": "outside", "title": "Outside"}, "see [[edited]]").save(
            self.notes / "outside.md")
        edited = NoteEntry.load(self.notes / "edited.md")
        edited.title = "New title"
        edited.save()
        (self.notes / "removed.md").unlink()
        result = self.kb.sync_index("notes")
        self.assertEqual(result, {"added": 1, "updated": 1, "removed": 1})
        got = self.wait_for(events, 4)
        self.assertEqual(sorted(got, key=str), sorted([
            ("entry.created", "outside"), ("entry.updated", "edited"),
            ("entry.deleted", "removed"), ("kb.indexed", None)], key=str))
        by_type = {e["type"]: e["data"] for e in events}
        self.assertEqual(by_type["entry.updated"]["changes"], ["title"])
        self.assertIn({"target": "edited", "relation": "wikilink", "kb": "notes"},
                      by_type["entry.created"]["links"])
        indexed = by_type["kb.indexed"]
        self.assertEqual((indexed["added"], indexed["updated"], indexed["removed"]), (1, 1, 1))
        self.assertEqual(indexed["entries"], len(list(self.notes.glob("*.md"))))

    def test_bulk_links_written_then_synced(self):
        """Pyrite's bulk linking saves files, then syncs the index once."""
        from pyrite.storage.repository import KBRepository
        self.create_settled("notes", ("bulk", "Bulk", {}))
        events = self.collect("entry.updated", {"bulk"})
        time.sleep(0.05)
        repo = KBRepository(self.pyrite_config.get_kb("notes"))
        entry = repo.load("bulk")
        entry.add_link(target="a1", relation="related_to", kb="notes")
        repo.save(entry)
        self.kb.sync_index("notes")
        self.wait_for(events, 1)
        self.assertEqual(events[0]["data"]["changes"], ["links"])

    def test_schema_changes(self):
        from pyrite.services.schema_service import SchemaService
        events = self.collect("schema.changed", kb="tasks")
        schema = SchemaService(self.pyrite_config)
        self.assertEqual(schema.add_type("tasks", "paper", {"required": ["title"]})["added"], True)
        self.assertIn("error", schema.add_type("tasks", "paper", {}))  # refused: no event
        schema.remove_type("tasks", "paper")
        schema.set_schema("tasks", {"types": {"memo": {}, "bug": {}}, "policies": {}})
        self.wait_for(events, 3)
        self.assertEqual([e["data"]["changes"] for e in events], [
            ['added type "paper"'], ['removed type "paper"'], ["set types", "set policies"]])
        self.assertEqual(events[2]["data"]["types"], ["bug", "memo"])
        self.assertEqual(events[0]["data"]["actor"], "tester")

    def test_validation_errors(self):
        from pyrite.services.qa_service import QAService
        self.create_settled("notes", ("untitled", "", {"body": "x"}), ("bodiless", "Bodiless", {}))
        events = self.collect("qa.validation_failed", {"untitled", "bodiless", "ghost"})
        qa = QAService(self.pyrite_config, self.kb.db)
        self.assertEqual(qa.validate_entry("untitled", "notes")["issues"][0]["rule"],
                         "missing_title")
        qa.validate_entry("bodiless", "notes")  # a warning only
        qa.validate_entry("ghost", "notes")  # no such entry: no entry to fail
        qa.validate_kb("notes")
        qa.get_status("notes")  # a dashboard: its validation makes no event
        got = self.wait_for(events, 2)
        self.assertEqual(got, [("qa.validation_failed", "untitled")] * 2)
        self.assertEqual([e["data"]["source"] for e in events], ["validate_entry", "validate_kb"])
        self.assertEqual(events[0]["data"]["issues"], [
            {"field": "title", "rule": "missing_title", "severity": "error",
             "message": "Entry 'untitled' has no title"}])
        # An assessment validates and writes the assessment entry: one event, the assessment's.
        del events[:]
        QAService(self.pyrite_config, self.kb.db, kb_svc=self.kb).assess_entry("untitled", "notes")
        self.wait_for(events, 1)
        self.assertEqual(len(events), 1)
        self.assertTrue(events[0]["data"]["assessment_id"].startswith("qa-untitled-"))

    def test_results_and_exceptions_pass_through_untouched(self):
        from pyrite.exceptions import EntryNotFoundError
        from pyrite.services.schema_service import SchemaService
        with self.assertRaises(EntryNotFoundError) as caught:
            self.kb.add_link("nobody", "notes", "x")
        self.assertEqual(str(caught.exception), "Entry not found: nobody")
        with self.assertRaises(ValueError) as caught:
            SchemaService(self.pyrite_config).add_type("nokb", "t", {})
        self.assertEqual(str(caught.exception), "KB 'nokb' not found")
        result = self.kb.sync_index("tasks")
        self.assertEqual(result, {"added": 0, "updated": 0, "removed": 0})
        self.assertEqual(SchemaService.add_type.__name__, "add_type")  # functools.wraps
        self.assertTrue(SchemaService.add_type.__pyrite_eventbus__)

    def test_a_wrapper_never_raises_into_pyrite(self):
        from pyrite.services.schema_service import SchemaService
        original = self.wrappers._bus

        def broken():
            raise RuntimeError("the bus broke")

        self.wrappers._bus = broken
        try:
            with self.assertLogs("pyrite.eventbus.wrappers", logging.WARNING) as logs:
                answer = SchemaService(self.pyrite_config).add_type("notes", "broken", {})
        finally:
            self.wrappers._bus = original
        self.assertEqual(answer, {"added": True, "type_name": "broken", "kb_name": "notes"})
        self.assertIn("no event for SchemaService.add_type", "\n".join(logs.output))

    def test_a_missing_or_changed_function_is_reported_and_skipped(self):
        Wrapper = self.wrappers.Wrapper
        with self.assertLogs("pyrite.eventbus.wrappers", logging.WARNING) as logs:
            self.assertFalse(Wrapper("x", "pyrite.services.schema_service", "SchemaService",
                                     "rename_type", ["self"], None).install())
            self.assertFalse(Wrapper("x", "pyrite.services.no_such_service", "X", "f",
                                     ["self"], None).install())
            self.assertFalse(Wrapper("x", "pyrite.services.kb_service", "KBService",
                                     "create_entry", ["self", "kb", "name"], None).install())
        said = "\n".join(logs.output)
        self.assertIn("pyrite.services.schema_service.SchemaService.rename_type is not in this "
                      "Pyrite", said)
        self.assertIn("No module named 'pyrite.services.no_such_service'", said)
        self.assertIn("KBService.create_entry(self, kb_name, entry_id, title, entry_type='note', "
                      "body='', **kwargs) has another signature than the one this plugin knows "
                      "(self, kb, name)", said)
        # Installed once per process: asking again says nothing and changes nothing.
        with self.assertNoLogs("pyrite.eventbus.wrappers", logging.WARNING):
            self.assertEqual(self.wrappers.install(), self.wrappers.NAMES)

    def test_settings_turn_a_wrapper_off(self):
        config = self.dir / "off.yaml"
        config.write_text("plugins:\n  - name: eventbus\n    settings:\n      serve: never\n"
                          "      wrappers: {add_link: false, set_schema: false}\n")
        script = (
            "from pyrite.plugins import get_registry\n"
            "from pyrite.services.kb_service import KBService\n"
            "from pyrite.services.schema_service import SchemaService\n"
            "get_registry().discover()\n"
            "from pyrite_eventbus import wrappers\n"
            "print(sorted(wrappers.install()))\n"
            "print(hasattr(KBService.add_link, '__pyrite_eventbus__'),"
            " hasattr(SchemaService.add_type, '__pyrite_eventbus__'))\n")
        env = dict(os.environ, PYRITE_EVENTBUS_CONFIG=str(config), PYTHONPATH=os.pathsep.join(
            [str(self.site), os.path.join(ARGS.source, "tests", "pyrite_standin")]))
        result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines(), [
            json.dumps(sorted(set(self.wrappers.NAMES) - {"add_link", "set_schema"}))
            .replace('"', "'"), "False True"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for option in ("--source", "--build"):
        parser.add_argument(option, required=True)
    ARGS, rest = parser.parse_known_args()
    logging.basicConfig(level=logging.WARNING)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
