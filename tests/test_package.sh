#!/usr/bin/env bash
# The Debian package, as a user gets it: cpack builds it from this build tree, dpkg-deb unpacks it
# into a temporary root (no change to this machine), and the unpacked pyrite-host finds the
# unpacked plugin, lists it, and serves the example KB's graph.
# usage: test_package.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
host_pid=""
cleanup() {
    [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "not ok - $*" >&2; exit 1; }

cpack -G DEB -B "$work/out" --config "$build/CPackConfig.cmake" > "$work/cpack.log" 2>&1 \
    || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/out/pyrite-eventbus_*.deb)
echo "ok - built $(basename "$deb") ($(du -k "$deb" | cut -f1) KB)"

info=$(dpkg-deb -I "$deb")
for field in "Package: pyrite-eventbus" "libqt6core6" "libqt6sql6-sqlite" "libqt6websockets6" \
             "libqt6httpserver6" "libyaml-cpp"; do
    grep -q "$field" <<<"$info" || fail "the control file has no $field"
done
echo "ok - control file names its dependencies"

root="$work/root"
dpkg-deb -x "$deb" "$root"
for path in usr/bin/pyrite-host usr/lib/pyrite/plugins/libpyrite-eventbus.so \
            usr/lib/python3/dist-packages/pyrite_eventbus/__init__.py \
            usr/share/doc/pyrite-eventbus/README.md usr/share/doc/pyrite-eventbus/examples/pyrite.yaml \
            usr/share/pyrite-eventbus/tools/verify-webhook.py; do
    [ -e "$root/$path" ] || fail "the package has no /$path"
done
echo "ok - files in their places"

# The example, copied out of the docs as a user would, on a free port.
cp -r "$root/usr/share/doc/pyrite-eventbus/examples" "$work/example"
sed -i 's/^        port: 8765$/        port: 0/' "$work/example/pyrite.yaml"
grep -q "port: 0" "$work/example/pyrite.yaml" || fail "could not set the example's port"
export HOME="$work/home" QT_LOGGING_RULES="pyrite.*.info=true" LANG=C.UTF-8
plugins=$("$root/usr/bin/pyrite-host" plugins --config "$work/example/pyrite.yaml" 2>&1) \
    || { echo "$plugins"; fail "pyrite-host plugins"; }
grep -q "plugin folders searched: $root/usr/lib/pyrite/plugins$" <<<"$plugins" \
    || { echo "$plugins"; fail "the host searched other folders than the package's"; }
grep -q "eventbus 0.1.0  \[loaded\]" <<<"$plugins" || { echo "$plugins"; fail "the plugin did not load"; }
echo "ok - pyrite-host plugins: eventbus loaded from /usr/lib/pyrite/plugins"

"$root/usr/bin/pyrite-host" --config "$work/example/pyrite.yaml" 2> "$work/host.log" &
host_pid=$!
for _ in $(seq 100); do
    grep -q "ready; Ctrl+C stops" "$work/host.log" && break
    sleep 0.1
done
url=$(grep -o "live graph on http://[^ ]*" "$work/host.log" | cut -d' ' -f4)
[ -n "$url" ] || { cat "$work/host.log"; fail "the host did not start"; }
nodes=$(python3 - "$url" <<'PY'
import json, sys, time, urllib.request
for _ in range(50):
    graph = json.load(urllib.request.urlopen(sys.argv[1] + "api/graph"))
    if not graph["loading"]:
        break
    time.sleep(0.1)
page = urllib.request.urlopen(sys.argv[1]).read()
assert b"Pyrite live graph" in page
print(len(graph["nodes"]))
PY
) || fail "the graph page or API did not answer"
[ "$nodes" = 31 ] || fail "the example graph has $nodes entries, not 31"
echo "ok - the unpacked host serves the example graph ($nodes entries) at $url"

# The Python package as Debian's python3 finds it: the entry point Pyrite's registry reads, and a
# hook call that reaches the event log through the plugin in /usr/lib/pyrite/plugins.
data="$work/pyrite-data"
PYTHONPATH="$root/usr/lib/python3/dist-packages" PYRITE_DATA_DIR="$data" \
    PYRITE_EVENTBUS_CONFIG="$work/none.yaml" python3 - <<'PY' || fail "the Python package does not work from the package"
import sqlite3, os
from importlib.metadata import entry_points
points = [ep for ep in entry_points().select(group="pyrite.plugins") if ep.name == "eventbus"]
assert len(points) == 1, points
plugin = points[0].load()()
assert plugin.name == "eventbus"
plugin.get_hooks()["after_save"][0]({"id": "deb-1", "title": "From the package", "type": "note"},
                                    {"kb_name": "notes", "operation": "create"})
import pyrite_eventbus
pyrite_eventbus.runtime().stop()
with sqlite3.connect(os.path.join(os.environ["PYRITE_DATA_DIR"], "eventbus", "events.sqlite")) as db:
    assert db.execute("SELECT type, entry_id FROM events").fetchall() == [("entry.created", "deb-1")]
PY
echo "ok - the Python package: entry point found, a hook call written to the event log"
