"""Baseline: a plain grpcio client calling a plugin's MessageWillBePosted hook.

Usage: python3 -m bench.hook_client TARGET COUNT   (prints one JSON line)
TARGET is "unix:/path" or "127.0.0.1:PORT"; the plugin's hooks secret comes from the
BENCH_HOOKS_SECRET environment variable (sent as mattermost-hooks-secret on every call).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import grpc  # noqa: E402

from bench.latency import measure  # noqa: E402
from mattermost_plugin import protocol  # noqa: E402
from mattermost_plugin._generated import common_pb2, hooks_pb2, hooks_pb2_grpc  # noqa: E402


def main():
    target, count = sys.argv[1], int(sys.argv[2])
    with grpc.insecure_channel(target) as channel:
        stub = hooks_pb2_grpc.PluginHooksStub(channel)
        request = hooks_pb2.MessageWillBePostedRequest(
            post=common_pb2.Post(message="hello", channel_id="channel-town-square", user_id="user-alice")
        )
        metadata = [(protocol.HOOKS_SECRET_METADATA_KEY, os.environ.get("BENCH_HOOKS_SECRET", ""))]
        print(measure(lambda: stub.MessageWillBePosted(request, timeout=5, metadata=metadata), count))


if __name__ == "__main__":
    main()
