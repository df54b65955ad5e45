# ServeHTTP streamed end to end (scripts/checks/42-plugin-http-stream.sh drives it through
# `plugin-host serve` with a real HTTP client):
#   POST /upload          reads the body chunk by chunk; answers its size and SHA-256. If the
#                         client goes away mid-body, records "upload-cancelled" in the KV store.
#   GET  /download?mib=N  N MiB of the PATTERN, produced chunk by chunk by a generator.
#   GET  /endless         the PATTERN until the client goes away (bounded to 4 GiB); the closed
#                         generator records "download-cancelled" in the KV store.
#   GET  /events          server-sent events from an async generator: "first", then waits
#                         (at most 10 s) for POST /events/ack and sends "acknowledged" (or
#                         "timeout"), then "done".
#   POST /events/ack      acknowledges the first event.
#   GET  /kv/KEY          a KV value ("" when unset).
import asyncio, hashlib, json, os, sys, threading
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from mattermost_plugin import HTTPResponse, Plugin, RequestCancelled, current_call, hook, run

PATTERN = bytes(range(256)) * 256  # 64 KiB
MIB_CHUNKS = (1024 * 1024) // len(PATTERN)
ENDLESS_LIMIT_CHUNKS = 4 * 1024 * MIB_CHUNKS


class HTTPStream(Plugin):
    def __init__(self):
        self.acknowledged = threading.Event()

    @hook
    def serve_http(self, request):
        path, _, query = request.url.partition("?")
        if request.method == "POST" and path == "/upload":
            return self.upload(request)
        if path == "/download":
            mib = int(query.partition("=")[2] or "1")
            headers = [("Content-Type", "application/octet-stream"), ("Content-Length", str(mib * 1024 * 1024))]
            return HTTPResponse(200, headers, (PATTERN for _ in range(mib * MIB_CHUNKS)))
        if path == "/endless":
            return HTTPResponse(200, [("Content-Type", "application/octet-stream")], self.endless())
        if path == "/events":
            self.acknowledged.clear()
            return HTTPResponse(200, [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")], self.events())
        if request.method == "POST" and path == "/events/ack":
            self.acknowledged.set()
            return HTTPResponse(204)
        if path.startswith("/kv/"):
            value = self.api.kv_get(path[len("/kv/"):]) or b""
            return HTTPResponse(200, [("Content-Type", "text/plain")], value)
        return None

    def upload(self, request):
        digest = hashlib.sha256()
        size = 0
        try:
            for chunk in request.iter_body():
                digest.update(chunk)
                size += len(chunk)
        except RequestCancelled:
            self.api.kv_set("upload-cancelled", "after %d bytes; cancelled=%s" % (size, current_call().cancelled))
            raise
        return HTTPResponse(200, [("Content-Type", "application/json")],
                            json.dumps({"bytes": size, "sha256": digest.hexdigest()}))

    def endless(self):
        sent = 0
        try:
            while sent < ENDLESS_LIMIT_CHUNKS:
                yield PATTERN
                sent += 1
        except GeneratorExit:
            self.api.kv_set("download-cancelled", "after %d chunks" % sent)
            raise

    async def events(self):
        yield "data: first\n\n"
        acknowledged = await asyncio.to_thread(self.acknowledged.wait, 10)
        yield "data: %s\n\n" % ("acknowledged" if acknowledged else "timeout")
        yield "data: done\n\n"


run(HTTPStream())
