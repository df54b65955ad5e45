"""Loads the Python protobuf/grpc modules for grpc.testing, generated at run time.

The .proto files come from the system (Debian's grpc-proto package) and are never copied into
the repository; the generated modules live in a temporary or git-ignored directory.
If INTEROP_STUBS_DIR names a directory that already holds them (the check script generates
once and shares them), it is used; otherwise they are generated into a fresh temp directory.
"""

import atexit
import importlib
import os
import shutil
import subprocess
import sys
import tempfile

PROTO_ROOT = os.environ.get("INTEROP_PROTO_ROOT", "/usr/share/grpc-proto")
PROTO_FILES = ["grpc/testing/empty.proto", "grpc/testing/messages.proto", "grpc/testing/test.proto"]


def generate(out_dir):
    """Runs grpcio-tools' protoc (its bundled protoc matches pip's protobuf runtime)."""
    os.makedirs(out_dir, exist_ok=True)
    command = [sys.executable, "-m", "grpc_tools.protoc", f"-I{PROTO_ROOT}",
               f"--python_out={out_dir}", f"--grpc_python_out={out_dir}", *PROTO_FILES]
    subprocess.run(command, check=True, timeout=120)


def _stubs_dir():
    shared = os.environ.get("INTEROP_STUBS_DIR")
    if shared and os.path.exists(os.path.join(shared, "grpc", "testing", "test_pb2_grpc.py")):
        return shared
    out_dir = tempfile.mkdtemp(prefix="interop-stubs-")
    atexit.register(shutil.rmtree, out_dir, ignore_errors=True)
    generate(out_dir)
    return out_dir


def load():
    """Returns (empty_pb2, messages_pb2, test_pb2_grpc).

    The generated modules import each other as `grpc.testing.*`, but `grpc` is grpcio's own
    package, so the generated `grpc/` folder is appended to that package's search path to
    make `grpc.testing` resolvable without touching grpcio's installation.
    """
    import grpc

    generated = os.path.join(_stubs_dir(), "grpc")
    if generated not in grpc.__path__:
        grpc.__path__.append(generated)
    empty_pb2 = importlib.import_module("grpc.testing.empty_pb2")
    messages_pb2 = importlib.import_module("grpc.testing.messages_pb2")
    test_pb2_grpc = importlib.import_module("grpc.testing.test_pb2_grpc")
    return empty_pb2, messages_pb2, test_pb2_grpc


if __name__ == "__main__":
    # `python3 interop_stubs.py DIR` generates into DIR (used by scripts/checks/30-interop.sh).
    generate(sys.argv[1])
