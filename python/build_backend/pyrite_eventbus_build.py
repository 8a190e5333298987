"""PEP 517 build backend of the pyrite-eventbus Python package, standard library only.

pip builds the package without the network: the wheel holds the Python modules (from
python/pyrite_eventbus/) and the two native pieces from the CMake build: the extension module
``_native`` and the Qt plugin ``libpyrite-eventbus.so`` (in ``plugins/``). The build folder is
$PYRITE_EVENTBUS_BUILD_DIR, else build/ in the repository; when they are not built there yet, the
backend builds just those two targets with CMake (which needs the Debian packages of
scripts/install-deps.sh).

Also a command for CMake's install step: ``pyrite_eventbus_build.py dist-info DIR`` writes the
dist-info folder (with the pyrite.plugins entry point) for Debian's dist-packages.
"""

import base64
import hashlib
import io
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile

PYTHON_DIR = pathlib.Path(__file__).resolve().parent.parent
REPOSITORY = PYTHON_DIR.parent
PACKAGE = "pyrite_eventbus"
NATIVE_TARGETS = ("pyrite-eventbus", "pyrite_eventbus_native")


def _project():
    with open(PYTHON_DIR / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]


def _dist_name():
    project = _project()
    return f"{project['name'].replace('-', '_')}-{project['version']}"


def _metadata():
    project = _project()
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}",
             f"Summary: {project['description']}",
             f"Requires-Python: {project['requires-python']}",
             f"License: {project['license']['text']}"]
    lines += [f"Project-URL: {name}, {url}" for name, url in project.get("urls", {}).items()]
    readme = (PYTHON_DIR / project["readme"]).read_text(encoding="utf-8")
    return "\n".join(lines + ["Description-Content-Type: text/markdown", "", readme])


def _entry_points():
    lines = []
    for group, points in _project().get("entry-points", {}).items():
        lines.append(f"[{group}]")
        lines += [f"{name} = {target}" for name, target in points.items()]
        lines.append("")
    return "\n".join(lines)


def _tag():
    interpreter = f"cp{sys.version_info.major}{sys.version_info.minor}"
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"{interpreter}-{interpreter}-{platform}"


def _dist_info_files(tag):
    wheel = f"Wheel-Version: 1.0\nGenerator: pyrite_eventbus_build\nRoot-Is-Purelib: false\nTag: {tag}\n"
    return {"METADATA": _metadata(), "WHEEL": wheel, "entry_points.txt": _entry_points(),
            "top_level.txt": PACKAGE + "\n"}


def _build_dir():
    given = os.environ.get("PYRITE_EVENTBUS_BUILD_DIR")
    if not given:
        return REPOSITORY / "build"
    build = pathlib.Path(given).expanduser()
    # pip runs the backend in python/: a relative path would mean a build tree in the sources.
    if not build.is_absolute():
        raise RuntimeError(f"PYRITE_EVENTBUS_BUILD_DIR must be an absolute path, not {given!r}")
    if build.resolve() == PYTHON_DIR or PYTHON_DIR in build.resolve().parents:
        raise RuntimeError(f"PYRITE_EVENTBUS_BUILD_DIR {given} is inside the package's sources")
    return build


def _native_files(build):
    package = build / "python" / PACKAGE
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    natives = sorted(package.glob("_native*.so"))
    plugin = build / "plugins" / "libpyrite-eventbus.so"
    if not natives or not plugin.exists():
        return None
    native = next((path for path in natives if path.name == "_native" + suffix), None)
    if native is None:
        raise RuntimeError(f"{natives[0]} is not for this Python (it wants _native{suffix}): "
                           f"configure the build with -DPython3_EXECUTABLE={sys.executable}")
    return native, plugin


def _native_artifacts():
    """The extension module and the Qt plugin, built with CMake if they are not yet."""
    build = _build_dir()
    found = _native_files(build)
    if found:
        return found
    if not (REPOSITORY / "CMakeLists.txt").exists():
        raise RuntimeError(f"no native build in {build} and no source tree to build one; set "
                           "PYRITE_EVENTBUS_BUILD_DIR to a pyrite-eventbus build folder")
    print(f"pyrite-eventbus: building the native module and the plugin in {build}", flush=True)
    subprocess.run(["cmake", "-S", str(REPOSITORY), "-B", str(build), "-G", "Ninja",
                    "-DCMAKE_BUILD_TYPE=RelWithDebInfo", f"-DPython3_EXECUTABLE={sys.executable}"],
                   check=True, stdout=sys.stderr)
    subprocess.run(["cmake", "--build", str(build), "--target", *NATIVE_TARGETS], check=True,
                   stdout=sys.stderr)
    found = _native_files(build)
    if not found:
        raise RuntimeError(f"the build in {build} did not produce the native module and plugin")
    return found


def _package_files():
    """(path in the wheel, bytes) of the Python modules and the native pieces."""
    files = []
    for source in sorted((PYTHON_DIR / PACKAGE).glob("*.py")):
        files.append((f"{PACKAGE}/{source.name}", source.read_bytes()))
    native, plugin = _native_artifacts()
    files.append((f"{PACKAGE}/{native.name}", native.read_bytes()))
    files.append((f"{PACKAGE}/plugins/{plugin.name}", plugin.read_bytes()))
    return files


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(wheel_directory, files):
    tag = _tag()
    dist_info = f"{_dist_name()}.dist-info"
    files = list(files) + [(f"{dist_info}/{name}", text.encode())
                           for name, text in _dist_info_files(tag).items()]
    record = [_record_line(name, data) for name, data in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    wheel_name = f"{_dist_name()}-{tag}.whl"
    with zipfile.ZipFile(pathlib.Path(wheel_directory) / wheel_name, "w",
                         zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name.endswith(".so") else 0o644) << 16
            wheel.writestr(info, data, zipfile.ZIP_DEFLATED)
    return wheel_name


# PEP 517 / PEP 660 hooks -------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    dist_info = pathlib.Path(metadata_directory) / f"{_dist_name()}.dist-info"
    write_dist_info(dist_info)
    return dist_info.name


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, _package_files())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # The sources stay where they are (a .pth file points at them); the native pieces are copied
    # next to them, where the package looks for them (both are ignored by git).
    native, plugin = _native_artifacts()
    shutil.copy2(native, PYTHON_DIR / PACKAGE / native.name)
    (PYTHON_DIR / PACKAGE / "plugins").mkdir(exist_ok=True)
    shutil.copy2(plugin, PYTHON_DIR / PACKAGE / "plugins" / plugin.name)
    pth = (f"{PACKAGE}-editable.pth", (str(PYTHON_DIR) + "\n").encode())
    return _write_wheel(wheel_directory, [pth])


def build_sdist(sdist_directory, config_settings=None):
    name = _dist_name()
    archive = pathlib.Path(sdist_directory) / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for path in ["pyproject.toml", "README.md", "build_backend/pyrite_eventbus_build.py"] + \
                [f"{PACKAGE}/{p.name}" for p in sorted((PYTHON_DIR / PACKAGE).glob("*.py"))]:
            tar.add(PYTHON_DIR / path, arcname=f"{name}/{path}")
        info = tarfile.TarInfo(f"{name}/PKG-INFO")
        data = _metadata().encode()
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return archive.name


# For CMake's install step ------------------------------------------------------------------

def write_dist_info(directory):
    """The dist-info folder of an installation that is not a wheel's (Debian's dist-packages)."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in _dist_info_files(_tag()).items():
        if name != "WHEEL":
            (directory / name).write_text(text, encoding="utf-8")
    (directory / "INSTALLER").write_text("pyrite-eventbus (Debian package)\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "dist-info":
        write_dist_info(pathlib.Path(sys.argv[2]) / f"{_dist_name()}.dist-info")
    else:
        sys.exit("usage: pyrite_eventbus_build.py dist-info DIR")
