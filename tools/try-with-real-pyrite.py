#!/usr/bin/env python3
"""Tries the package against real Pyrite by hand (CI has no Pyrite): installs python/ with pip into
a temporary target, then drives Pyrite's own services, whose plugin registry finds the package
through its entry point, and prints what came out.

usage: PYTHONPATH=<Pyrite's source tree and its dependencies> \\
       tools/try-with-real-pyrite.py --build BUILD_DIR --test-plugins BUILD_DIR/testplugins/policy

In a second process of its own it also writes through Pyrite while this one serves, to show the
shared log. Everything goes to a temporary folder ($PYRITE_DATA_DIR points there).
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def setup(args):
    work = Path(tempfile.mkdtemp(prefix="pyrite-real-trial-"))
    site = work / "site"
    env = dict(os.environ, PYRITE_EVENTBUS_BUILD_DIR=str(Path(args.build).resolve()), PIP_NO_INDEX="1")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
                    str(ROOT / "python")], env=env, check=True)
    port = free_port()
    (work / "data").mkdir()
    (work / "data" / "pyrite.yaml").write_text(textwrap.dedent(f"""\
        plugin_dirs: [{Path(args.test_plugins).resolve()}]
        plugins:
          - policy
          - name: eventbus
            settings:
              instance: real-pyrite
              serve_after: 0s
              stream: {{port: {port}}}
        """))
    os.environ["PYRITE_DATA_DIR"] = str(work / "data")
    sys.path.insert(0, str(site))
    return work, site, port


def pyrite_services(work):
    from pyrite.config import KBConfig, PyriteConfig, Settings
    from pyrite.models.task import TASK_KB_PRESET
    from pyrite.services.kb_service import KBService
    from pyrite.services.task_service import TaskService
    from pyrite.storage.database import PyriteDB
    from pyrite.utils.yaml import dump_yaml_file
    notes, tasks = work / "kbs" / "notes", work / "kbs" / "tasks"
    notes.mkdir(parents=True)
    tasks.mkdir(parents=True)
    dump_yaml_file(TASK_KB_PRESET, tasks / "kb.yaml")
    config = PyriteConfig(knowledge_bases=[KBConfig(name="notes", path=notes, kb_type="generic"),
                                           KBConfig(name="tasks", path=tasks, kb_type="task")],
                          settings=Settings(index_path=work / "data" / "index.db"))
    for kb in config.knowledge_bases:
        kb.load_kb_yaml()
    db = PyriteDB(config.settings.index_path)  # Pyrite's registry discovers plugins here
    kbs = KBService(config, db)
    return config, db, kbs, TaskService(config, db, kbs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--test-plugins", required=True)
    parser.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--hold", type=float, default=0,
                        help="keep serving the graph page this many seconds at the end (prints its URL)")
    args = parser.parse_args()
    if args.writer:  # the second process: writes through Pyrite, serves nothing
        work = Path(os.environ["TRIAL_WORK"])
        sys.path.insert(0, str(work / "site"))
        _, _, kbs, _ = pyrite_services_existing(work)
        for i in range(5):
            kbs.create_entry("notes", f"from-other-process-{i}", f"From the other process {i}", "note")
        return
    work, site, port = setup(args)
    import pyrite_eventbus
    from pyrite.plugins import get_registry
    config, db, kbs, tasks = pyrite_services(work)
    print("registry plugins:", get_registry().list_plugins())
    seen = []
    pyrite_eventbus.subscribe("*", lambda e: seen.append(e))
    entry = kbs.create_entry("notes", "alpha", "Alpha", "note", body="See [[beta]].", tags=["x"])
    kbs.create_entry("notes", "beta", "Beta", "note")
    kbs.update_entry("alpha", "notes", title="Alpha v2")
    replaced = kbs.create_entry("notes", "shout", "upper: loud", "note", links=[{"target": "alpha", "relation": "cites"}])
    print("replaced:", type(replaced).__name__, repr(replaced.title), [type(l).__name__ for l in replaced.links])
    try:
        kbs.create_entry("notes", "vetoed", "VETO me", "note")
    except Exception as error:
        from pyrite.exceptions import PyriteError, ValidationError
        print("veto:", type(error).__name__, "| ValueError:", isinstance(error, ValueError),
              "| ValidationError:", isinstance(error, ValidationError), "| PyriteError:", isinstance(error, PyriteError),
              "|", error)
    tasks.create_task("tasks", "Write the report")
    task_id = [e for e in seen if e["data"].get("entry_type") == "task"] or None
    kbs.delete_entry("beta", "notes")
    operations(work, config, db, kbs, tasks)
    env = dict(os.environ, TRIAL_WORK=str(work), PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    subprocess.run([sys.executable, __file__, "--build", args.build, "--test-plugins", args.test_plugins, "--writer"],
                   env=env, check=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and sum(1 for e in seen if e["data"].get("entry_id", "").startswith("from-other")) < 5:
        time.sleep(0.05)
    print(f"events seen in this process ({len(seen)}):")
    for event in seen:
        data = event["data"]
        print(f"  {event['sequence']:3} {event['type']:15} {data.get('kb') or '':6} {data.get('entry_id') or '':28} "
              f"title={data.get('title')!r} links={data.get('links')} changes={data.get('changes')}")
    import urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/graph") as answer:
        graph = json.load(answer)
    print("graph nodes:", sorted(n["id"] for n in graph["nodes"]))
    print("graph edges:", sorted((e["source"], e["target"]) for e in graph.get("edges", [])))
    print("graph paths:", sorted((n["id"], n.get("path")) for n in graph["nodes"]))
    def get(path):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as answer:
            return json.load(answer)
    newest = get("/api/events?order=newest&limit=3")
    print("newest events:", [(e["sequence"], e["type"], e.get("subject")) for e in newest["events"]],
          "last_sequence", newest["last_sequence"], "more", newest["more"])
    alpha = get("/api/events?kb=notes&entry_id=alpha&order=newest")
    print("alpha's events:", [(e["sequence"], e["type"]) for e in alpha["events"]])
    print("problems:", get("/api/problems")["problems"])
    cli_and_mcp(work, config)
    if args.hold:
        print(f"graph page: http://127.0.0.1:{port}/ (serving {args.hold:.0f} s)", flush=True)
        time.sleep(args.hold)
    pyrite_eventbus.runtime().stop()


def operations(work, config, db, kbs, tasks):
    """Pyrite operations that run no hook (or only a plain one) and what they must become."""
    from pyrite.services.qa_service import QAService
    from pyrite.services.schema_service import SchemaService
    kbs.add_link("alpha", "notes", "shout", "cites")
    task = tasks.create_task("tasks", "Claim me")
    task_id = task["entry_id"] if isinstance(task, dict) else task.id
    print("claim:", tasks.claim_task(task_id, "tasks", "alice"))
    kbs.update_entry(task_id, "tasks", status="in_progress")
    kbs.update_entry(task_id, "tasks", status="done")
    qa = QAService(config, db)
    kbs.create_entry("notes", "weak", "Weak", "note", body="")
    assessed = qa.assess_entry("weak", "notes")
    print("assess_entry:", {k: assessed.get(k) for k in ("assessment_id", "qa_status", "issues_found")})
    kbs.create_entry("notes", "qa-manual", "QA of alpha", "qa_assessment", target_entry="alpha",
                     target_kb="notes", tier=1, qa_status="fail",
                     issues=[{"rule": "missing_source", "severity": "error", "message": "no source"}])
    issues = qa.validate_kb("notes")["issues"]
    print("validate_kb issues:", sorted((i["severity"], i["rule"], i.get("entry_id")) for i in issues))
    time.sleep(1.1)  # Pyrite compares file times with index times
    notes = work / "kbs" / "notes"
    (notes / "outside.md").write_text("---\nid: outside\ntitle: Written outside Pyrite\ntype: note\n"
                                      "---\n\nLinks to [[alpha]].\n")
    alpha = notes / "notes" / "alpha.md"  # Pyrite keeps notes in a folder per type
    alpha.write_text(alpha.read_text().replace("title: Alpha v2", "title: Alpha edited outside"))
    (notes / "untitled.md").write_text("---\nid: untitled\ntitle: ''\ntype: note\n---\n\nNo title.\n")
    print("sync_index:", kbs.sync_index("notes"))
    print("validate_entry untitled:", [(i["severity"], i["rule"]) for i in
                                       qa.validate_entry("untitled", "notes")["issues"]])
    failed = qa.assess_entry("untitled", "notes")
    print("assess_entry untitled:", {k: failed.get(k) for k in ("assessment_id", "qa_status", "issues_found")})
    print("add_type:", SchemaService(config).add_type("notes", "paper", {"description": "A paper"}))


def cli_and_mcp(work, config):
    """Pyrite's own CLI in another process (`pyrite events`), and its MCP server's tools."""
    from pyrite.config import save_config
    from pyrite.server.mcp_server import PyriteMCPServer
    save_config(config)
    command = "import sys; from pyrite.cli import main; sys.argv[0] = 'pyrite'; main()"
    for arguments in (["events", "--type", "task.*"], ["webhooks", "list"], ["events", "--format", "xml"],
                      ["events", "verify"],
                      ["webhooks", "create", '{"id": "real", "url": "https://93.184.216.34/hook"}'],
                      ["webhooks", "rotate-secret", "real", "--grace-hours", "1"],
                      ["webhooks", "list", "-f", "json"], ["webhooks", "delete", "real"]):
        result = subprocess.run([sys.executable, "-c", command, *arguments], capture_output=True, text=True,
                                env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
        print(f"pyrite {' '.join(arguments)} -> exit {result.returncode}")
        for line in (result.stdout + result.stderr).strip().splitlines()[-6:]:
            print("   ", line)
    for tier in ("read", "admin"):
        server = PyriteMCPServer(config, tier=tier)
        names = sorted(n for n in server.tools if n.startswith(("events_", "webhook_")))
        print(f"MCP {tier} tier tools:", names)
    answer = server._dispatch_tool("events_since", {"since": 0, "types": ["schema.*", "kb.*"], "limit": 5})
    print("MCP events_since:", [(e["type"], e["data"].get("kb")) for e in answer.get("events", [])],
          "next", answer.get("next"), "recovered", answer.get("recovered"))
    print("MCP events_wait (1 s, nothing new):",
          server._dispatch_tool("events_wait", {"since": answer["next"] + 1000, "timeout": 1})["events"])
    print("MCP bad argument:", server._dispatch_tool("events_since", {"since": -3}))


def pyrite_services_existing(work):
    from pyrite.config import KBConfig, PyriteConfig, Settings
    from pyrite.services.kb_service import KBService
    from pyrite.storage.database import PyriteDB
    config = PyriteConfig(knowledge_bases=[KBConfig(name="notes", path=work / "kbs" / "notes", kb_type="generic"),
                                           KBConfig(name="tasks", path=work / "kbs" / "tasks", kb_type="task")],
                          settings=Settings(index_path=work / "data" / "index.db"))
    for kb in config.knowledge_bases:
        kb.load_kb_yaml()
    db = PyriteDB(config.settings.index_path)
    return config, db, KBService(config, db), None


if __name__ == "__main__":
    main()
