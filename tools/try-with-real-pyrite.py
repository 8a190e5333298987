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
    env = dict(os.environ, TRIAL_WORK=str(work), PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    subprocess.run([sys.executable, __file__, "--build", args.build, "--test-plugins", args.test_plugins, "--writer"],
                   env=env, check=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and sum(1 for e in seen if e["data"].get("entry_id", "").startswith("from-other")) < 5:
        time.sleep(0.05)
    print(f"events seen in this process ({len(seen)}):")
    for event in seen:
        data = event["data"]
        print(f"  {event['sequence']:3} {event['type']:15} {data.get('kb'):6} {data.get('entry_id'):28} "
              f"title={data.get('title')!r} links={data.get('links')} changes={data.get('changes')}")
    import urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/graph") as answer:
        graph = json.load(answer)
    print("graph nodes:", sorted(n["id"] for n in graph["nodes"]))
    pyrite_eventbus.runtime().stop()


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
