"""Baseline: a plain grpcio PluginAPI server (KV calls on a dict, no secret check), to
compare the Swift host's API round trip with. Prints its port, exits when stdin closes.

Usage: python3 -m bench.baseline_api_server
"""

import os
import sys
import threading
from concurrent import futures

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import grpc  # noqa: E402

from mattermost_plugin._generated import api_pb2, api_pb2_grpc  # noqa: E402


class DictAPI(api_pb2_grpc.PluginAPIServicer):
    def __init__(self):
        self.values = {}
        self.lock = threading.Lock()

    def KVSet(self, request, context):
        with self.lock:
            self.values[request.key] = request.value
        return api_pb2.KVSetResponse()

    def KVGet(self, request, context):
        with self.lock:
            value = self.values.get(request.key)
        return api_pb2.KVGetResponse(found=value is not None, value=value or b"")


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    api_pb2_grpc.add_PluginAPIServicer_to_server(DictAPI(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    sys.stdin.read()
    server.stop(0)


if __name__ == "__main__":
    main()
