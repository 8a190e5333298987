#!/usr/bin/env python3
"""Hook calls through pyrite-host's bridge, the write path Pyrite drives, for bench_streams'
write-path phases: after_save of new entries from WRITERS threads (each with its own bridge
connection, as Pyrite's processes have), as fast as the host answers or at --rate calls/s. The
entry's title and id carry "t=<epoch ms>" so that wsblast can time /stream and /ws frames alike.

usage: bridgeload.py SOCKET SECONDS [--rate R] [--writers N]
Prints "ready" once every writer is connected and about to call, then at the end "calls: N",
"calls per s: X" and "failures: N" (the first failure on stderr). SIGTERM ends it at once.
"""

import argparse
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python"))
from pyrite_eventbus.bridge import EventBusBridge  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("socket")
    parser.add_argument("seconds", type=float)
    parser.add_argument("--rate", type=float, default=0, help="calls per second in all (0: as fast as answered)")
    parser.add_argument("--writers", type=int, default=2)
    args = parser.parse_args()

    lock = threading.Lock()
    counts = {"calls": 0, "failures": 0}
    connected = threading.Barrier(args.writers + 1)
    times = {}

    def run(writer):
        bridge = EventBusBridge(args.socket, strict=True)
        after_save = bridge.get_hooks()["after_save"][0]
        bridge.ping()
        connected.wait()
        started, deadline = times["started"], times["deadline"]
        k = writer
        while True:
            now = time.monotonic()
            if now >= deadline:
                break
            if args.rate > 0:
                due = started + k / args.rate
                if due > now:
                    time.sleep(due - now)
            stamp = f"t={time.time() * 1000:.1f}"
            entry = {"id": f"w{writer}-{k}-{stamp}", "title": f"Bench {stamp}", "type": "note"}
            try:
                after_save(entry, {"kb_name": "bench", "operation": "create", "user": "bench"})
                with lock:
                    counts["calls"] += 1
            except Exception as error:  # noqa: BLE001 - counted, the first one shown
                with lock:
                    counts["failures"] += 1
                    if counts["failures"] == 1:
                        print(f"bridgeload: {error}", file=sys.stderr, flush=True)
            k += args.writers
        bridge.close()

    threads = [threading.Thread(target=run, args=(w,), daemon=True) for w in range(args.writers)]
    for thread in threads:
        thread.start()
    times["started"] = started = time.monotonic()
    times["deadline"] = started + args.seconds
    connected.wait()
    print("ready", flush=True)
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    print(f"calls: {counts['calls']}")
    print(f"calls per s: {counts['calls'] / elapsed:.1f}")
    print(f"failures: {counts['failures']}", flush=True)
    return 1 if counts["failures"] else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    sys.exit(main())
