"""Generates the Python gRPC stubs for the plugin protos into a git-ignored folder.

Run once at set-up (`python3 -m mattermost_plugin._codegen`) and checked again on every
import: a stamp file holds a hash of the inputs, so stale stubs are regenerated and fresh
ones are left alone. A file lock keeps twenty plugins starting at once from racing.
"""

import fcntl
import hashlib
import os
import shutil
import sys
import tempfile

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
GENERATED_DIR = os.path.join(PACKAGE_DIR, "_generated")
STAMP_FILE = os.path.join(GENERATED_DIR, "STAMP")
LOCK_FILE = os.path.join(PACKAGE_DIR, ".codegen.lock")

# The repository's Protos/ folder, two levels above this package (python/mattermost_plugin).
PROTO_ROOT = os.path.normpath(os.path.join(PACKAGE_DIR, "..", "..", "Protos"))
PLUGIN_PROTOS = [
    "mattermost/pluginapi/v1/common.proto",
    "mattermost/pluginapi/v1/hooks.proto",
    "mattermost/pluginapi/v1/api.proto",
]
# The standard health service, installed by the grpc-proto apt package. It is copied under
# another folder name because generating it as grpc/health/v1 would shadow the grpc package.
HEALTH_PROTO_SOURCE = "/usr/share/grpc-proto/grpc/health/v1/health.proto"
HEALTH_PROTO_COPY = "plugin_health/health.proto"


def _inputs_digest():
    digest = hashlib.sha256()
    for relative in PLUGIN_PROTOS:
        with open(os.path.join(PROTO_ROOT, relative), "rb") as handle:
            digest.update(relative.encode() + b"\0" + handle.read())
    with open(HEALTH_PROTO_SOURCE, "rb") as handle:
        digest.update(handle.read())
    import grpc_tools

    digest.update(getattr(grpc_tools, "__file__", "").encode())
    return digest.hexdigest()


def _is_fresh(expected):
    try:
        with open(STAMP_FILE, "r", encoding="ascii") as handle:
            return handle.read().strip() == expected
    except OSError:
        return False


def _generate_into(target, include_dir):
    from grpc_tools import protoc
    import importlib.resources

    well_known = str(importlib.resources.files("grpc_tools") / "_proto")
    arguments = [
        "grpc_tools.protoc",
        "-I" + PROTO_ROOT,
        "-I" + include_dir,
        "-I" + well_known,
        "--python_out=" + target,
        "--grpc_python_out=" + target,
    ] + PLUGIN_PROTOS + [HEALTH_PROTO_COPY]
    status = protoc.main(arguments)
    if status != 0:
        raise RuntimeError("grpc_tools.protoc failed with status %d" % status)


def ensure_stubs():
    """Makes sure up-to-date stubs exist in _generated/ and that folder is importable."""
    expected = _inputs_digest()
    if not _is_fresh(expected):
        with open(LOCK_FILE, "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not _is_fresh(expected):
                    _regenerate(expected)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    if GENERATED_DIR not in sys.path:
        sys.path.insert(0, GENERATED_DIR)


def _regenerate(expected):
    staging = tempfile.mkdtemp(prefix=".generating-", dir=PACKAGE_DIR)
    try:
        include_dir = os.path.join(staging, "include")
        output_dir = os.path.join(staging, "out")
        os.makedirs(os.path.join(include_dir, os.path.dirname(HEALTH_PROTO_COPY)))
        os.makedirs(output_dir)
        shutil.copyfile(HEALTH_PROTO_SOURCE, os.path.join(include_dir, HEALTH_PROTO_COPY))
        _generate_into(output_dir, include_dir)
        with open(os.path.join(output_dir, "STAMP"), "w", encoding="ascii") as handle:
            handle.write(expected + "\n")
        if os.path.exists(GENERATED_DIR):
            shutil.rmtree(GENERATED_DIR)
        os.rename(output_dir, GENERATED_DIR)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


if __name__ == "__main__":
    ensure_stubs()
    print("mattermost_plugin: stubs ready in " + GENERATED_DIR)
