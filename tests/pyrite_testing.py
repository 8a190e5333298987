"""What the Python tests of the package share: waiting, free loopback ports, a webhook receiver,
the health probe, and pip installing the package offline as a user would."""

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request


def wait_until(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


class Receiver(http.server.ThreadingHTTPServer):
    """A webhook receiver on loopback that keeps the entry ids of the events it accepted."""

    def __init__(self):
        self.received = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(json.loads(body)["data"].get("entry_id"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


def pip_install(source, target, build):
    """pip install SOURCE/python --target TARGET, offline, as a user would."""
    env = dict(os.environ, PYRITE_EVENTBUS_BUILD_DIR=os.path.abspath(build), PIP_NO_INDEX="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target",
                             target, os.path.join(source, "python")],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("pip install failed:\n" + result.stdout + result.stderr)
