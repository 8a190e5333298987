#!/usr/bin/env python3
"""One Pyrite process for the multi-process tests and benchmarks: Pyrite's KB service (the
stand-in of tests/pyrite_standin) with the pyrite-eventbus package loaded by Pyrite's registry.

usage: pyrite_process.py serve                 start the bus and run until SIGTERM
       pyrite_process.py write KB PREFIX COUNT [INTERVAL_MS [PAYLOAD]]
                                               create COUNT entries PREFIX-0 .. PREFIX-<COUNT-1>
       pyrite_process.py fork KB PREFIX COUNT CHILDREN
                                               write, fork CHILDREN children that write too,
                                               wait for them, write again

Settings come from $PYRITE_EVENTBUS_CONFIG and $PYRITE_DATA_DIR as in Pyrite. Prints one line
"written N" when a writer is done; the title of each entry carries "t=<CLOCK_MONOTONIC ns>" for
latency measurements.
"""

import os
import signal
import sys
import time

import pyrite_eventbus
from pyrite.config import KBConfig, PyriteConfig
from pyrite.services.kb_service import KBService


def service(kb):
    return KBService(PyriteConfig(knowledge_bases=[KBConfig(kb, os.path.join(
        os.environ.get("PYRITE_DATA_DIR", "."), "kb", kb))]))


def write(kb, prefix, count, interval_ms=0, payload=""):
    """With an interval, write i is due at start + i * interval (a rate, not a pause)."""
    kbs = service(kb)
    start = time.monotonic()
    for i in range(count):
        if interval_ms:
            delay = start + i * interval_ms / 1000 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        kbs.create_entry(kb, f"{prefix}-{i}", f"{payload}t={time.monotonic_ns()}")
    print(f"written {count}", flush=True)


def serve():
    stop = []
    signal.signal(signal.SIGTERM, lambda *args: stop.append(True))
    pyrite_eventbus.runtime().bus()
    print("serving", flush=True)
    while not stop:
        time.sleep(0.05)


def fork(kb, prefix, count, children):
    write(kb, f"{prefix}-parent", count)
    pids = []
    for child in range(children):
        pid = os.fork()
        if pid == 0:
            write(kb, f"{prefix}-child{child}", count)
            sys.exit(0)  # a normal exit: atexit writes what is queued
        pids.append(pid)
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"child {pid} failed")
    write(kb, f"{prefix}-after", count)


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "serve":
        serve()
    elif command == "write":
        write(arguments[0], arguments[1], int(arguments[2]),
              int(arguments[3]) if len(arguments) > 3 else 0,
              arguments[4] if len(arguments) > 4 else "")
    elif command == "fork":
        fork(arguments[0], arguments[1], int(arguments[2]), int(arguments[3]))
    else:
        sys.exit(__doc__)
