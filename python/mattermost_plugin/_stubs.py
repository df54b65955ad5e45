"""Imports the generated protobuf and gRPC modules, generating them first if needed."""

from ._codegen import ensure_stubs

ensure_stubs()

from mattermost.pluginapi.v1 import api_pb2, api_pb2_grpc  # noqa: E402
from mattermost.pluginapi.v1 import common_pb2  # noqa: E402
from mattermost.pluginapi.v1 import hooks_pb2, hooks_pb2_grpc  # noqa: E402
from plugin_health import health_pb2, health_pb2_grpc  # noqa: E402

__all__ = [
    "api_pb2",
    "api_pb2_grpc",
    "common_pb2",
    "hooks_pb2",
    "hooks_pb2_grpc",
    "health_pb2",
    "health_pb2_grpc",
]
