#!/usr/bin/env python3
"""Checks that the project's rooms depend on each other only the allowed way (README's Layout).

usage: tools/check-room-dependencies.py [SOURCE_DIR]
       tools/check-room-dependencies.py --self-test

Reads every #include "..." in interface/, common/, host/, plugin/ and python/. An include names the room of
the header ("eventlog/eventlog.h"); a bare name is a file of the including file's own folder, of
common/, or one of the few headers at plugin/'s top that the rooms share ("logging.h"). Prints
each include that runs the wrong way, with file and line, and exits 1 if there is any.
"""

import os
import re
import sys
import tempfile

# Who may include whom. "plugin" is the plugin class and its settings (it wires every room);
# "shared" are the few headers at plugin/'s top that every room may use.
SHARED = {"plugin/logging.h", "plugin/accesspolicy.h"}
ALLOWED = {
    "interface": set(),
    "common": {"interface"},
    "host": {"interface", "common"},
    # The Python package's native module: another host of the plugin (Pyrite's own process).
    "python": {"interface", "common", "host"},
    "plugin/bus": {"interface", "common", "shared"},
    "plugin/eventlog": {"interface", "common", "shared", "plugin/bus"},
    "plugin/streams": {"interface", "common", "shared", "plugin/bus", "plugin/eventlog"},
    "plugin/webhooks": {"interface", "common", "shared", "plugin/bus", "plugin/eventlog"},
    # The HTTP side reads the bus, the event log's read service and the interface only.
    "plugin/http": {"interface", "common", "shared", "plugin/bus", "eventlog-reader"},
    "shared": {"interface", "common", "shared"},
    "plugin": {"interface", "common", "shared", "plugin/bus", "plugin/eventlog", "plugin/streams",
               "plugin/webhooks", "plugin/http", "plugin"},
}
ROOTS = ["interface", "common", "host", "plugin", "python"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def room_of(path):
    """The room of a file given relative to the source dir ("plugin/http/webserver.h")."""
    if path in SHARED:
        return "shared"
    if path == "plugin/eventlog/eventlogreader.h":
        return "eventlog-reader"
    parts = path.split("/")
    if parts[0] == "plugin" and len(parts) > 2:
        return "plugin/" + parts[1]
    return parts[0]


def resolve(source_dir, including, name):
    """The included file relative to source_dir, or None when it is not one of ours."""
    if "/" not in name:
        folders = [os.path.dirname(including), "common"]
        if including.startswith("plugin/"):
            folders.append("plugin")
        if including.startswith("python/"):
            folders.append("host")
        for folder in folders:
            candidate = os.path.join(folder, name)
            if os.path.exists(os.path.join(source_dir, candidate)):
                return candidate
        return None
    for base in ("", "plugin/"):
        if os.path.exists(os.path.join(source_dir, base + name)):
            return base + name
    return None


def check(source_dir):
    problems = []
    for root in ROOTS:
        for dirpath, _, files in os.walk(os.path.join(source_dir, root)):
            for file in sorted(files):
                if not file.endswith((".h", ".cpp")):
                    continue
                path = os.path.relpath(os.path.join(dirpath, file), source_dir)
                problems += check_file(source_dir, path)
    return problems


def check_file(source_dir, path):
    problems = []
    with open(os.path.join(source_dir, path), encoding="utf-8") as file:
        text = file.read()
    room = room_of(path)
    if room == "eventlog-reader":
        room = "plugin/eventlog"
    for match in INCLUDE.finditer(text):
        name = match.group(1)
        line = text.count("\n", 0, match.start()) + 1
        target = resolve(source_dir, path, name)
        if target is None:
            if "/" not in name and any(os.path.exists(os.path.join(dirpath, name))
                                       for root in ROOTS
                                       for dirpath, _, _ in os.walk(os.path.join(source_dir, root))):
                problems.append(f"{path}:{line}: \"{name}\" is not in this folder; name its room")
            continue
        other = room_of(target)
        allowed = ALLOWED.get(room, set())
        if other == "eventlog-reader" and (room == "plugin/eventlog" or "plugin/eventlog" in allowed):
            continue
        if other != room and other not in allowed:
            problems.append(f"{path}:{line}: includes {target}: {room} may not depend on {other}")
    return problems


def self_test():
    """The check must fail on a wrong-way include and pass on an allowed one."""
    with tempfile.TemporaryDirectory() as tree:
        def write(path, text):
            os.makedirs(os.path.dirname(os.path.join(tree, path)), exist_ok=True)
            with open(os.path.join(tree, path), "w") as file:
                file.write(text)
        write("plugin/bus/event.h", "#pragma once\n")
        write("plugin/eventlog/eventlog.h", '#include "bus/event.h"\n')
        write("plugin/webhooks/outbox.h", '#include "eventlog/eventlog.h"\n')
        if check(tree):
            return "an allowed include was reported: " + "; ".join(check(tree))
        write("plugin/eventlog/logworker.h", '#include "webhooks/outbox.h"\n')
        write("plugin/http/graph.h", '#include "streams/x.h"\n#include "eventlog/eventlog.h"\n')
        write("plugin/streams/x.h", "#pragma once\n")
        write("plugin/streams/y.h", '#include "event.h"\n')
        found = check(tree)
        expected = ["logworker.h:1", "graph.h:1", "graph.h:2", "y.h:1"]
        missing = [e for e in expected if not any(e in problem for problem in found)]
        if missing or len(found) != len(expected):
            return f"expected problems at {expected}, got {found}"
    return None


def main():
    if sys.argv[1:] == ["--self-test"]:
        failure = self_test()
        print(failure or "check-room-dependencies: self-test passed")
        return 1 if failure else 0
    source_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    problems = check(source_dir)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} includes run the wrong way (see README, Layout)")
        return 1
    print("check-room-dependencies: every include runs the allowed way")
    return 0


if __name__ == "__main__":
    sys.exit(main())
