#!/usr/bin/env python3
"""Pyrite's CLI and MCP server speaking events (docs/pyrite.md).

The MCP tools as Pyrite's MCP server gets them (the registry's get_all_mcp_tools(tier)): their
schemas are valid JSON Schema, events_since pages through the log and says when a position is
of another log, events_wait waits and answers, the webhook tools redeliver and test, and every bad
argument is a clear error answer. The CLI as a user runs it: `python -m pyrite.cli` (the
stand-in's `pyrite` script, registering plugin commands as Pyrite does) in another process,
reading the same log read-only: `pyrite events` with filters, formats and --follow, `pyrite
webhooks list / deliveries / redeliver / test`, and their errors and exit codes.

usage: test_pyrite_cli_mcp.py --source SOURCE_DIR --build BUILD_DIR
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
import threading
import time
import unittest

ARGS = None
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyrite_testing import Receiver, free_port, pip_install, wait_until  # noqa: E402

SECRET = "whsec_bmV2ZXItc2hvd24tc2VjcmV0LWJ5dGVzLTMybG9uZyE="


def python_with_typer():
    """Typer comes with Pyrite; in CI it is Debian's python3-typer."""
    for python in (sys.executable, "/usr/bin/python3"):
        if os.path.exists(python) and subprocess.run(
                [python, "-c", "import typer"], capture_output=True).returncode == 0:
            return python
    return None


class EventsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = pathlib.Path(tempfile.mkdtemp(prefix="pyrite-cli-mcp-test-"))
        cls.site = cls.dir / "site"
        pip_install(ARGS.source, str(cls.site), ARGS.build)
        cls.receiver = Receiver()
        cls.config = cls.dir / "pyrite.yaml"
        cls.config.write_text(f"""plugins:
  - name: eventbus
    settings:
      instance: cli-test
      serve: auto
      serve_after: 0s
      stream: {{port: {free_port()}}}
      webhooks:
        retry_schedule: [100ms]
        endpoints:
          - id: hook
            url: {cls.receiver.url}
            secret: {SECRET}
            allow_private: true
            events: [entry.created]
""")
        cls.env = dict(os.environ, PYRITE_DATA_DIR=str(cls.dir / "data"),
                       PYRITE_EVENTBUS_CONFIG=str(cls.config), PYRITE_STANDIN_KBS=",".join(
                           f"{kb}={cls.dir / 'kb' / kb}" for kb in ("notes", "tasks")),
                       PYTHONPATH=os.pathsep.join(
                           [str(cls.site), os.path.join(ARGS.source, "tests", "pyrite_standin")]))
        os.environ.update(cls.env)
        sys.path[:0] = cls.env["PYTHONPATH"].split(os.pathsep)
        importlib.invalidate_caches()
        from pyrite.config import load_config
        from pyrite.plugins import get_registry
        from pyrite.services.kb_service import KBService
        cls.kb = KBService(load_config())
        for i in range(5):
            cls.kb.create_entry("notes", f"n{i}", f"Note {i}")
        cls.kb.create_entry("tasks", "t0", "Task", entry_type="task")
        cls.kb.update_entry("t0", "tasks", status="done")
        cls.registry = get_registry()
        import pyrite_eventbus
        cls.bus = pyrite_eventbus
        assert wait_until(lambda: len(cls.receiver.received) >= 6), cls.receiver.received
        since = cls.tool("read", "events_since")
        assert wait_until(lambda: len(since({"limit": 1000})["events"]) >= 8)
        cls.all = since({"limit": 1000})["events"]
        assert len(cls.all) == 8, cls.all

    @classmethod
    def tearDownClass(cls):
        cls.bus.runtime().stop()
        cls.receiver.shutdown()

    @classmethod
    def tool(cls, tier, name):
        return cls.registry.get_all_mcp_tools(tier)[name]["handler"]

    # MCP -----------------------------------------------------------------------------------------

    def test_tools_per_tier_with_valid_schemas(self):
        import jsonschema
        read = {"events_since", "events_wait"}
        for tier, expected in (("read", read), ("write", read),
                               ("admin", read | {"webhook_test", "webhook_redeliver"})):
            tools = self.registry.get_all_mcp_tools(tier)
            self.assertEqual(set(tools), expected, tier)
            for name, tool in tools.items():
                jsonschema.Draft202012Validator.check_schema(tool["inputSchema"])
                self.assertTrue(tool["description"], name)
                self.assertTrue(callable(tool["handler"]), name)

    def test_events_since_pages_through_the_log(self):
        since = self.tool("read", "events_since")
        first = since({"limit": 3})
        self.assertEqual([e["sequence"] for e in first["events"]], [1, 2, 3])
        self.assertTrue(first["more"] and first["recovered"])
        rest = since({"since": first["next"], "epoch": first["epoch"], "limit": 100})
        # (Other tests may have written since: only the first events are known here.)
        self.assertEqual([e["sequence"] for e in rest["events"]][:5], list(range(4, 9)))
        self.assertFalse(rest["more"])
        tasks = since({"types": ["entry.updated", "task.*"], "kb": "tasks"})
        self.assertEqual([e["type"] for e in tasks["events"]], ["entry.updated", "task.completed"])
        notes = since({"entry_type": "note", "since": 2})
        self.assertEqual([e["data"]["entry_id"] for e in notes["events"]][:3], ["n2", "n3", "n4"])
        caught_up = since({"since": rest["next"], "epoch": rest["epoch"]})
        self.assertEqual((caught_up["events"], caught_up["next"]), ([], rest["next"]))

    def test_a_position_of_another_log_starts_again(self):
        answer = self.tool("read", "events_since")({"since": 6, "epoch": "another-log"})
        self.assertFalse(answer["recovered"])
        self.assertEqual(answer["events"][:8], self.all)
        self.assertNotEqual(answer["epoch"], "another-log")

    def test_bad_arguments_are_clear_error_answers(self):
        since = self.tool("read", "events_since")
        rows = [({"since": -1}, "since: expected a sequence number of at least 0, got -1"),
                ({"since": "3"}, "since: expected a sequence number of at least 0, got '3'"),
                ({"limit": 0}, "limit: expected a whole number from 1 to 1000, got 0"),
                ({"types": ["Entry Created"]}, 'event type pattern "Entry Created" may only '
                                                'contain a-z, 0-9'),
                ({"types": [3]}, "types: expected a list"),
                ({"kb": 5}, "kb: expected a string"),
                ({"sinse": 3}, "unknown argument 'sinse' (known: entry_type, epoch, kb, limit, "
                               "since, types)")]
        for arguments, message in rows:
            with self.subTest(arguments=arguments):
                answer = since(arguments)
                self.assertEqual(answer.get("error_code"), "INVALID_ARGUMENT", answer)
                self.assertFalse(answer["retryable"])
                self.assertIn(message, answer["error"])
        wait = self.tool("read", "events_wait")
        self.assertIn("timeout: expected seconds from 0 to 60, got 600",
                      wait({"timeout": 600})["error"])

    def test_events_wait_waits_for_the_next_match(self):
        wait = self.tool("read", "events_wait")
        end = self.all[-1]["sequence"]
        started = time.monotonic()
        nothing = wait({"since": end, "types": ["entry.deleted"], "timeout": 0.3})
        self.assertGreaterEqual(time.monotonic() - started, 0.25)
        self.assertEqual((nothing["events"], nothing["next"]), ([], end))
        timer = threading.Timer(0.3, lambda: self.kb.delete_entry("n4", "notes"))
        timer.start()
        self.addCleanup(timer.cancel)
        started = time.monotonic()
        answer = wait({"since": end, "types": ["entry.deleted"], "timeout": 20})
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual([e["data"]["entry_id"] for e in answer["events"]], ["n4"])
        self.kb.create_entry("notes", "n4", "Note 4 again")

    def test_webhook_tools(self):
        redeliver = self.tool("admin", "webhook_redeliver")
        delivery = json.loads(self.bus.runtime().bus().list_deliveries("hook", "", 1, False)[0])
        count = len(self.receiver.received)
        self.assertEqual(redeliver({"delivery_id": delivery["id"]}), {"pending_again": 1})
        self.assertTrue(wait_until(lambda: len(self.receiver.received) > count))
        self.assertEqual(redeliver({"delivery_id": 999999})["error"], "no delivery 999999")
        self.assertEqual(redeliver({})["error_code"], "INVALID_ARGUMENT")
        self.assertEqual(redeliver({"delivery_id": 1, "dead": True})["error_code"],
                         "INVALID_ARGUMENT")
        test = self.tool("admin", "webhook_test")
        answer = test({"url": self.receiver.url})
        self.assertEqual(answer["status"], 204, answer)
        self.assertNotIn(SECRET, json.dumps(answer))
        self.assertEqual(test({})["error_code"], "MISSING_PARAMETER")
        self.assertIn("error", test({"url": "ftp://127.0.0.1/x"}))

    # CLI -----------------------------------------------------------------------------------------

    def pyrite(self, *arguments, timeout=60):
        python = python_with_typer()
        if python is None:
            self.skipTest("no Python with Typer here (Debian: python3-typer)")
        return subprocess.run([python, "-m", "pyrite.cli", *arguments], env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def test_help_lists_the_plugin_commands(self):
        result = self.pyrite("--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        for command in ("events", "webhooks", "version"):
            self.assertIn(command, result.stdout)

    def test_events_as_json_lines_and_a_table(self):
        result = self.pyrite("events", "--format", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual([e["id"] for e in lines[:8]], [e["id"] for e in self.all])
        result = self.pyrite("events", "--type", "task.*", "--type", "entry.updated",
                             "--kb", "tasks")
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = [line.split() for line in result.stdout.splitlines()]
        self.assertEqual([(row[0], row[2], row[3]) for row in rows],
                         [("7", "entry.updated", "tasks/t0"), ("8", "task.completed", "tasks/t0")])
        since = self.pyrite("events", "--since", "7", "--epoch", self.all[0]["epoch"], "-f", "json")
        self.assertEqual(json.loads(since.stdout.splitlines()[0])["sequence"], 8)

    def test_events_of_another_log_and_bad_options(self):
        result = self.pyrite("events", "--since", "6", "--epoch", "another", "-f", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("pyrite events: epoch another is not this log's", result.stderr)
        self.assertGreaterEqual(len(result.stdout.splitlines()), 8)
        rows = [(["--format", "xml"], 'pyrite events: --format: "xml" is not one of table, json'),
                (["--from", "yesterday"], 'pyrite events: --from: "yesterday" is not an RFC 3339 '
                                          "time"),
                (["--type", "entry.[x"], "pyrite events: "),
                (["--since", "-4"], "--since must be at least 0")]
        for arguments, message in rows:
            with self.subTest(arguments=arguments):
                result = self.pyrite("events", *arguments)
                self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
                self.assertIn(message, result.stderr)

    def test_events_verify(self):
        previous = ""
        for event in self.all:  # each names the one before it
            self.assertEqual(event["prevhash"], previous)
            previous = event["hash"]
        result = self.pyrite("events", "verify")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("the chain is intact:", result.stdout)
        report = json.loads(self.pyrite("events", "verify", "-f", "json").stdout)
        self.assertTrue(report["intact"])
        self.assertGreaterEqual(report["checked"], 8)
        # An edit with SQL, as someone with sqlite3 would make it; undone afterwards.
        import sqlite3
        database = sqlite3.connect(self.dir / "data" / "eventbus" / "events.sqlite")
        self.addCleanup(database.close)
        with database:
            database.execute("UPDATE events SET envelope = envelope || ' ' WHERE seq = 3")
        try:
            result = self.pyrite("events", "verify")
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertIn("the chain breaks at sequence 3: its content does not match its hash",
                          result.stdout)
        finally:
            with database:
                database.execute("UPDATE events SET envelope = rtrim(envelope) WHERE seq = 3")
        self.assertEqual(self.pyrite("events", "verify").returncode, 0)

    def test_events_follow(self):
        python = python_with_typer()
        if python is None:
            self.skipTest("no Python with Typer here (Debian: python3-typer)")
        end = str(self.all[-1]["sequence"])
        follower = subprocess.Popen(
            [python, "-m", "pyrite.cli", "events", "--follow", "--interval", "0.1", "--since", end,
             "--type", "entry.created", "-f", "json"],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: follower.poll() is None and follower.kill())
        time.sleep(1.0)  # it reads the end of the log and waits
        self.kb.create_entry("notes", "followed", "Followed")
        line = follower.stdout.readline()
        self.assertEqual(json.loads(line)["data"]["entry_id"], "followed")
        follower.terminate()
        follower.communicate(timeout=20)
        self.assertIn(follower.returncode, (0, -15))

    def test_reading_needs_no_secrets(self):
        """Before: every command failed unless the secrets were exported in the same shell."""
        config = self.dir / "secrets.yaml"
        config.write_text(self.config.read_text().replace(
            f"secret: {SECRET}", "secret: env:CLI_TEST_UNSET_SECRET").replace(
            "stream: {port:", "stream: {tokens: [env:CLI_TEST_UNSET_TOKEN], port:"))
        self.assertIn("env:CLI_TEST_UNSET_TOKEN", config.read_text())
        self.assertIn("env:CLI_TEST_UNSET_SECRET", config.read_text())
        env = dict(self.env, PYRITE_EVENTBUS_CONFIG=str(config))
        env.pop("CLI_TEST_UNSET_SECRET", None)
        env.pop("CLI_TEST_UNSET_TOKEN", None)
        python = python_with_typer()
        if python is None:
            self.skipTest("no Python with Typer here (Debian: python3-typer)")

        def pyrite(*arguments):
            return subprocess.run([python, "-m", "pyrite.cli", *arguments], env=env,
                                  capture_output=True, text=True, timeout=60)
        for arguments in (["events", "-f", "json"], ["events", "verify"], ["webhooks", "list"],
                          ["webhooks", "deliveries"]):
            with self.subTest(arguments=arguments):
                result = pyrite(*arguments)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                self.assertNotIn("is not set", result.stderr)
        # The test call signs as deliveries do: it says which variable is missing.
        result = pyrite("webhooks", "test", self.receiver.url)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("environment variable CLI_TEST_UNSET_SECRET is not set", result.stderr)

    def test_webhooks_commands(self):
        listed = self.pyrite("webhooks", "list")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn(self.receiver.url.split("/hook")[0], listed.stdout)
        self.assertNotIn(SECRET, listed.stdout + listed.stderr)
        deliveries = self.pyrite("webhooks", "deliveries", "-f", "json", "--state", "delivered")
        self.assertEqual(deliveries.returncode, 0, deliveries.stderr)
        rows = [json.loads(line) for line in deliveries.stdout.splitlines()]
        self.assertTrue(rows and all(row["state"] == "delivered" for row in rows), rows)
        for arguments, code, message in (
                ([], 2, 'give a delivery id (a number from "pyrite webhooks deliveries") or --dead'),
                (["999999"], 1, "pyrite webhooks redeliver: no delivery 999999"),
                ([str(rows[0]["id"])], 0, "deliveries pending again: 1")):
            with self.subTest(arguments=arguments):
                result = self.pyrite("webhooks", "redeliver", *arguments)
                self.assertEqual(result.returncode, code, result.stdout + result.stderr)
                self.assertIn(message, result.stdout + result.stderr)
        tested = self.pyrite("webhooks", "test", self.receiver.url)
        self.assertEqual(tested.returncode, 0, tested.stdout + tested.stderr)
        self.assertEqual(json.loads(tested.stdout)["status"], 204)
        refused = self.pyrite("webhooks", "deliveries", "--limit", "0")
        self.assertEqual((refused.returncode, refused.stderr.strip()),
                         (2, "pyrite webhooks deliveries: --limit must be from 1 to 10000"))

    def test_runtime_endpoint_commands(self):
        """The same operations as pyrite-host webhooks and the HTTP API."""
        created = self.pyrite("webhooks", "create",
                              '{"id": "py-hook", "url": "https://93.184.216.34/hook", '
                              '"events": ["entry.*"]}')
        self.assertEqual(created.returncode, 0, created.stdout + created.stderr)
        endpoint = json.loads(created.stdout)
        self.assertTrue(endpoint["secret"].startswith("whsec_"), endpoint)
        self.assertIn("the secret is shown only now", created.stderr)
        listed = self.pyrite("webhooks", "list", "-f", "json")
        ids = [json.loads(line)["id"] for line in listed.stdout.splitlines()]
        self.assertIn("py-hook", ids)
        self.assertNotIn(endpoint["secret"], listed.stdout)
        updated = self.pyrite("webhooks", "update", "py-hook", '{"enabled": false}')
        self.assertEqual(updated.returncode, 0, updated.stderr)
        self.assertFalse(json.loads(updated.stdout)["enabled"])
        rotated = self.pyrite("webhooks", "rotate-secret", "py-hook", "--grace-hours", "1")
        self.assertEqual(rotated.returncode, 0, rotated.stderr)
        self.assertNotEqual(json.loads(rotated.stdout)["secret"], endpoint["secret"])
        for arguments, code, message in (
                (["create", "[1]"], 1, "the definition must be a JSON object"),
                (["create", '{"url": "http://10.0.0.1/x"}'], 1, "url: refused: 10.0.0.1"),
                (["update", "nobody", "{}"], 1, 'no endpoint "nobody"'),
                (["rotate-secret", "py-hook", "--grace-hours", "1000"], 2,
                 "--grace-hours must be from 0 to 720"),
                (["test", "nobody"], 1, 'no endpoint \\"nobody\\"'),
                (["redeliver", "--dead", "--endpoint", "py-hook"], 0, "deliveries pending again: 0"),
                (["redeliver", "5", "--endpoint", "py-hook"], 2, "--endpoint goes with --dead"),
                (["delete", "py-hook"], 0, '"deleted":true'),
                (["delete", "py-hook"], 1, 'no endpoint "py-hook"')):
            with self.subTest(arguments=arguments):
                result = self.pyrite("webhooks", *arguments)
                self.assertEqual(result.returncode, code, result.stdout + result.stderr)
                self.assertIn(message, result.stdout + result.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    for option in ("--source", "--build"):
        parser.add_argument(option, required=True)
    ARGS, rest = parser.parse_known_args()
    logging.basicConfig(level=logging.WARNING)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
