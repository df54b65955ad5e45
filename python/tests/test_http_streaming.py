"""ServeHTTP streaming in the SDK, against the real http_stream test plugin process: the
response head and first chunk arrive while the plugin's generator still runs, and a call
the host cancels mid-body reaches the plugin (RequestCancelled, a closed generator).

Run: python3 -m unittest discover -s python/tests -v   (from the repository root)
"""

import queue
import threading
import unittest

from host_double import TIMEOUT, HostDouble
from mattermost_plugin._generated import hooks_pb2

PATTERN = bytes(range(256)) * 256


def head(method: str, url: str) -> hooks_pb2.ServeHTTPRequest:
    return hooks_pb2.ServeHTTPRequest(head=hooks_pb2.HTTPRequestHead(method=method, url=url))


class HTTPStreamingTests(unittest.TestCase):
    def setUp(self) -> None:
        self.host = HostDouble()
        self.plugin = self.host.start("http_stream")
        self.hooks = self.plugin.hooks()

    def tearDown(self) -> None:
        self.host.close()

    def test_an_event_stream_reaches_the_caller_before_the_generator_ends(self) -> None:
        responses = self.hooks.ServeHTTP(iter([head("GET", "/events")]), timeout=TIMEOUT)
        first = next(responses)
        self.assertEqual(first.head.status_code, 200)
        chunks = [first.body_chunk] if first.body_chunk else []
        while not chunks:
            chunks.append(next(responses).body_chunk)
        self.assertEqual(chunks[0], b"data: first\n\n")
        # The generator waits for this acknowledgement, which needs the first event.
        ack = list(self.hooks.ServeHTTP(iter([head("POST", "/events/ack")]), timeout=TIMEOUT))
        self.assertEqual(ack[0].head.status_code, 204)
        rest = b"".join(message.body_chunk for message in responses)
        self.assertEqual(rest, b"data: acknowledged\n\ndata: done\n\n")

    def test_a_cancelled_upload_raises_request_cancelled_in_the_plugin(self) -> None:
        release = queue.Queue()

        def requests():
            yield head("POST", "/upload")
            yield hooks_pb2.ServeHTTPRequest(body_chunk=PATTERN)
            release.get(timeout=TIMEOUT)  # the rest never comes

        call = self.hooks.ServeHTTP(requests(), timeout=TIMEOUT)
        threading.Timer(0.2, call.cancel).start()
        with self.assertRaises(Exception):
            list(call)
        release.put(None)
        recorded = self.host.api.wait_for_key("upload-cancelled")
        self.assertIsNotNone(recorded)
        self.assertTrue(recorded.endswith(b"cancelled=True"), recorded)

    def test_a_cancelled_download_closes_the_generator(self) -> None:
        call = self.hooks.ServeHTTP(iter([head("GET", "/endless")]), timeout=TIMEOUT)
        received = 0
        for message in call:
            received += len(message.body_chunk)
            if received >= 1 << 20:
                break
        call.cancel()
        recorded = self.host.api.wait_for_key("download-cancelled")
        self.assertIsNotNone(recorded)
        self.assertTrue(recorded.startswith(b"after "), recorded)


if __name__ == "__main__":
    unittest.main()
