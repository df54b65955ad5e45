#!/usr/bin/env python3
"""A grpcio client running the standard gRPC interop test cases against a TestService server.

Usage: interop_client.py --server_host H --server_port P --test_case NAME|all
Exits 0 only when every selected case passes; prints one PASS/FAIL line per case.
"""

import argparse
import os
import queue
import sys
import time
import traceback

import grpc

import interop_stubs
import message_codec

empty_pb2, messages_pb2, _ = interop_stubs.load()

# Every call carries a deadline, so a misbehaving server fails a case instead of hanging it.
CALL_TIMEOUT = 20.0
# How long a test waits on its own request queue before giving up.
QUEUE_TIMEOUT = 20.0

REQUEST_SIZES = [27182, 8, 1828, 45904]
RESPONSE_SIZES = [31415, 9, 2653, 58979]
SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"


class CaseFailure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise CaseFailure(what)


def zeros_payload(size):
    return messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=bytes(size))


def check_zeros(payload, size, what):
    check(len(payload.body) == size, f"{what}: payload is {len(payload.body)} bytes, expected {size}")
    check(payload.body == bytes(size), f"{what}: payload is not all zeros")


def bool_value(value):
    return messages_pb2.BoolValue(value=value)


def expect_rpc_error(code, call, what, details=None):
    """Runs `call`, which must fail with `code` (and `details` when given)."""
    try:
        call()
    except grpc.RpcError as error:
        check(error.code() == code, f"{what}: status {error.code()} ({error.details()!r}), expected {code}")
        if details is not None:
            check(error.details() == details, f"{what}: message {error.details()!r}, expected {details!r}")
        return error
    raise CaseFailure(f"{what}: call succeeded, expected {code}")


class RequestQueue:
    """A request iterator fed from the test thread, so a test controls when each message is
    sent and when the client half-closes. `close()` ends it; `abandon()` releases grpc's
    consumer thread after a cancelled call."""

    _END = object()

    def __init__(self):
        self._queue = queue.Queue()

    def send(self, request):
        self._queue.put(request)

    def close(self):
        self._queue.put(self._END)

    abandon = close

    def __iter__(self):
        return self

    def __next__(self):
        try:
            item = self._queue.get(timeout=QUEUE_TIMEOUT)
        except queue.Empty:
            raise StopIteration
        if item is self._END:
            raise StopIteration
        return item


class Client:
    def __init__(self, channel):
        service = "/grpc.testing.TestService/"
        out = message_codec.serializer
        codec = message_codec.deserializer
        self.empty_call = channel.unary_unary(service + "EmptyCall", out, codec(empty_pb2.Empty))
        self.unary_call = channel.unary_unary(service + "UnaryCall", out, codec(messages_pb2.SimpleResponse))
        self.streaming_output_call = channel.unary_stream(
            service + "StreamingOutputCall", out, codec(messages_pb2.StreamingOutputCallResponse))
        self.streaming_input_call = channel.stream_unary(
            service + "StreamingInputCall", out, codec(messages_pb2.StreamingInputCallResponse))
        self.full_duplex_call = channel.stream_stream(
            service + "FullDuplexCall", out, codec(messages_pb2.StreamingOutputCallResponse))
        self.unimplemented_call = channel.unary_unary(service + "UnimplementedCall", out, codec(empty_pb2.Empty))
        self.unimplemented_service_call = channel.unary_unary(
            "/grpc.testing.UnimplementedService/UnimplementedCall", out, codec(empty_pb2.Empty))

    # --- unary ---------------------------------------------------------------------------

    def empty_unary(self):
        received = self.empty_call(empty_pb2.Empty(), timeout=CALL_TIMEOUT)
        check(received.message == empty_pb2.Empty(), "response is not empty")

    def large_unary(self):
        request = messages_pb2.SimpleRequest(
            response_type=messages_pb2.COMPRESSABLE, response_size=314159, payload=zeros_payload(271828))
        received = self.unary_call(request, timeout=CALL_TIMEOUT)
        check_zeros(received.message.payload, 314159, "response")

    def client_compressed_unary(self):
        def request(expect):
            return messages_pb2.SimpleRequest(
                response_type=messages_pb2.COMPRESSABLE, response_size=314159,
                payload=zeros_payload(271828), expect_compressed=bool_value(expect))

        # Probe: an uncompressed message claiming to be compressed must be refused.
        expect_rpc_error(grpc.StatusCode.INVALID_ARGUMENT,
                         lambda: self.unary_call(request(True), timeout=CALL_TIMEOUT), "probe")
        received = self.unary_call(request(True), timeout=CALL_TIMEOUT, compression=grpc.Compression.Gzip)
        check_zeros(received.message.payload, 314159, "compressed request's response")
        received = self.unary_call(request(False), timeout=CALL_TIMEOUT)
        check_zeros(received.message.payload, 314159, "uncompressed request's response")

    def server_compressed_unary(self):
        for compressed in (True, False):
            request = messages_pb2.SimpleRequest(
                response_type=messages_pb2.COMPRESSABLE, response_size=314159,
                payload=zeros_payload(271828), response_compressed=bool_value(compressed))
            received = self.unary_call(request, timeout=CALL_TIMEOUT)
            check(received.compressed == compressed,
                  f"response_compressed={compressed} but response compressed={received.compressed}")
            check_zeros(received.message.payload, 314159, "response")

    # --- streaming -----------------------------------------------------------------------

    def client_streaming(self):
        requests = [messages_pb2.StreamingInputCallRequest(payload=zeros_payload(size)) for size in REQUEST_SIZES]
        received = self.streaming_input_call(iter(requests), timeout=CALL_TIMEOUT)
        check(received.message.aggregated_payload_size == 74922,
              f"aggregated_payload_size {received.message.aggregated_payload_size}, expected 74922")

    def client_compressed_streaming(self):
        probe = messages_pb2.StreamingInputCallRequest(payload=zeros_payload(27182), expect_compressed=bool_value(True))
        expect_rpc_error(grpc.StatusCode.INVALID_ARGUMENT,
                         lambda: self.streaming_input_call(iter([probe]), timeout=CALL_TIMEOUT), "probe")
        first = messages_pb2.StreamingInputCallRequest(payload=zeros_payload(27182), expect_compressed=bool_value(True))
        # grpcio cannot turn compression off for one message of a compressed call, but grpc core
        # sends a message uncompressed whenever compressing would not shrink it. Random bytes never
        # shrink, so this message goes out with the flag clear, as the case requires. The server
        # only counts payload bytes on this method, so their value does not matter.
        second = messages_pb2.StreamingInputCallRequest(
            payload=messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=os.urandom(45904)),
            expect_compressed=bool_value(False))
        received = self.streaming_input_call(iter([first, second]), timeout=CALL_TIMEOUT,
                                             compression=grpc.Compression.Gzip)
        check(received.message.aggregated_payload_size == 73086,
              f"aggregated_payload_size {received.message.aggregated_payload_size}, expected 73086")

    def server_streaming(self):
        request = messages_pb2.StreamingOutputCallRequest(
            response_type=messages_pb2.COMPRESSABLE,
            response_parameters=[messages_pb2.ResponseParameters(size=size) for size in RESPONSE_SIZES])
        responses = list(self.streaming_output_call(request, timeout=CALL_TIMEOUT))
        check(len(responses) == len(RESPONSE_SIZES), f"{len(responses)} responses, expected {len(RESPONSE_SIZES)}")
        for index, (received, size) in enumerate(zip(responses, RESPONSE_SIZES)):
            check_zeros(received.message.payload, size, f"response {index}")

    def server_compressed_streaming(self):
        request = messages_pb2.StreamingOutputCallRequest(
            response_type=messages_pb2.COMPRESSABLE,
            response_parameters=[
                messages_pb2.ResponseParameters(size=31415, compressed=bool_value(True)),
                messages_pb2.ResponseParameters(size=92653, compressed=bool_value(False)),
            ])
        responses = list(self.streaming_output_call(request, timeout=CALL_TIMEOUT))
        check(len(responses) == 2, f"{len(responses)} responses, expected 2")
        check(responses[0].compressed, "first response should arrive compressed")
        check(not responses[1].compressed, "second response should arrive uncompressed")
        check_zeros(responses[0].message.payload, 31415, "response 0")
        check_zeros(responses[1].message.payload, 92653, "response 1")

    def ping_pong(self):
        requests = RequestQueue()
        call = self.full_duplex_call(requests, timeout=CALL_TIMEOUT)
        try:
            for index, (request_size, response_size) in enumerate(zip(REQUEST_SIZES, RESPONSE_SIZES)):
                requests.send(messages_pb2.StreamingOutputCallRequest(
                    response_type=messages_pb2.COMPRESSABLE, payload=zeros_payload(request_size),
                    response_parameters=[messages_pb2.ResponseParameters(size=response_size)]))
                received = next(call)
                check_zeros(received.message.payload, response_size, f"response {index}")
            requests.close()
            check(next(call, None) is None, "server sent more responses than requests")
        finally:
            requests.abandon()
            call.cancel()

    def empty_stream(self):
        responses = list(self.full_duplex_call(iter([]), timeout=CALL_TIMEOUT))
        check(responses == [], f"{len(responses)} responses to an empty stream")

    # --- cancellation and deadlines --------------------------------------------------------

    def cancel_after_begin(self):
        requests = RequestQueue()
        future = self.streaming_input_call.future(requests, timeout=CALL_TIMEOUT)
        try:
            future.cancel()
            check(future.cancelled(), "call did not report cancelled")
            check(future.code() == grpc.StatusCode.CANCELLED, f"status {future.code()}, expected CANCELLED")
        finally:
            requests.abandon()

    def cancel_after_first_response(self):
        requests = RequestQueue()
        call = self.full_duplex_call(requests, timeout=CALL_TIMEOUT)
        try:
            requests.send(messages_pb2.StreamingOutputCallRequest(
                response_type=messages_pb2.COMPRESSABLE, payload=zeros_payload(27182),
                response_parameters=[messages_pb2.ResponseParameters(size=31415)]))
            received = next(call)
            check_zeros(received.message.payload, 31415, "first response")
            call.cancel()
            expect_rpc_error(grpc.StatusCode.CANCELLED, lambda: next(call), "after cancel")
        finally:
            requests.abandon()

    def timeout_on_sleeping_server(self):
        requests = RequestQueue()
        call = self.full_duplex_call(requests, timeout=0.001)
        try:
            requests.send(messages_pb2.StreamingOutputCallRequest(payload=zeros_payload(27182)))
            expect_rpc_error(grpc.StatusCode.DEADLINE_EXCEEDED, lambda: next(call), "sleeping server")
        finally:
            requests.abandon()

    # --- metadata and status -----------------------------------------------------------------

    def custom_metadata(self):
        initial = ("x-grpc-test-echo-initial", "test_initial_metadata_value")
        trailing = ("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab")

        def check_echo(call, what):
            got_initial = [(m.key, m.value) for m in call.initial_metadata() if m.key == initial[0]]
            got_trailing = [(m.key, m.value) for m in call.trailing_metadata() if m.key == trailing[0]]
            check(got_initial == [initial], f"{what}: initial metadata {got_initial}, expected {[initial]}")
            check(got_trailing == [trailing], f"{what}: trailing metadata {got_trailing}, expected {[trailing]}")

        request = messages_pb2.SimpleRequest(
            response_type=messages_pb2.COMPRESSABLE, response_size=314159, payload=zeros_payload(271828))
        received, call = self.unary_call.with_call(request, timeout=CALL_TIMEOUT, metadata=[initial, trailing])
        check_zeros(received.message.payload, 314159, "unary response")
        check_echo(call, "unary")

        call = self.full_duplex_call(iter([messages_pb2.StreamingOutputCallRequest(
            response_type=messages_pb2.COMPRESSABLE, payload=zeros_payload(271828),
            response_parameters=[messages_pb2.ResponseParameters(size=314159)])]),
            timeout=CALL_TIMEOUT, metadata=[initial, trailing])
        responses = list(call)
        check(len(responses) == 1, f"{len(responses)} streaming responses, expected 1")
        check_zeros(responses[0].message.payload, 314159, "streaming response")
        check_echo(call, "streaming")

    def status_code_and_message(self):
        status = messages_pb2.EchoStatus(code=2, message="test status message")
        expect_rpc_error(
            grpc.StatusCode.UNKNOWN,
            lambda: self.unary_call(messages_pb2.SimpleRequest(response_status=status), timeout=CALL_TIMEOUT),
            "unary", details=status.message)
        expect_rpc_error(
            grpc.StatusCode.UNKNOWN,
            lambda: list(self.full_duplex_call(
                iter([messages_pb2.StreamingOutputCallRequest(response_status=status)]), timeout=CALL_TIMEOUT)),
            "streaming", details=status.message)

    def special_status_message(self):
        status = messages_pb2.EchoStatus(code=2, message=SPECIAL_MESSAGE)
        expect_rpc_error(
            grpc.StatusCode.UNKNOWN,
            lambda: self.unary_call(messages_pb2.SimpleRequest(response_status=status), timeout=CALL_TIMEOUT),
            "unary", details=SPECIAL_MESSAGE)

    def unimplemented_method(self):
        expect_rpc_error(grpc.StatusCode.UNIMPLEMENTED,
                         lambda: self.unimplemented_call(empty_pb2.Empty(), timeout=CALL_TIMEOUT), "method")

    def unimplemented_service(self):
        expect_rpc_error(grpc.StatusCode.UNIMPLEMENTED,
                         lambda: self.unimplemented_service_call(empty_pb2.Empty(), timeout=CALL_TIMEOUT), "service")


TEST_CASES = [
    "empty_unary", "large_unary", "client_compressed_unary", "server_compressed_unary",
    "client_streaming", "client_compressed_streaming", "server_streaming", "server_compressed_streaming",
    "ping_pong", "empty_stream", "cancel_after_begin", "cancel_after_first_response",
    "timeout_on_sleeping_server", "custom_metadata", "status_code_and_message", "special_status_message",
    "unimplemented_method", "unimplemented_service",
]


def run_case(client, name):
    started = time.monotonic()
    try:
        getattr(client, name)()
    except CaseFailure as failure:
        print(f"FAIL {name}: {failure}", flush=True)
        return False
    except grpc.RpcError as error:
        print(f"FAIL {name}: unexpected status {error.code()} ({error.details()!r})", flush=True)
        return False
    except Exception:  # a bug in the case itself still fails just this case
        print(f"FAIL {name}: {traceback.format_exc()}", flush=True)
        return False
    print(f"PASS {name} ({(time.monotonic() - started) * 1000:.0f} ms)", flush=True)
    return True


def parse_bool(text):
    """The interop programs' boolean flag values: --use_tls=true / false."""
    if text.lower() not in ("true", "false"):
        raise argparse.ArgumentTypeError(f"expected true or false, not {text!r}")
    return text.lower() == "true"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server_host", default="127.0.0.1")
    parser.add_argument("--server_port", type=int, required=True)
    parser.add_argument("--test_case", default="all", help="a case name or 'all'")
    parser.add_argument("--use_tls", type=parse_bool, default=False)
    parser.add_argument("--ca_file", help="CA certificates to trust (default: grpcio's bundled roots)")
    parser.add_argument("--server_host_override", help="the name the server's certificate must carry")
    parser.add_argument("--client_cert_file")
    parser.add_argument("--client_key_file")
    args = parser.parse_args()

    names = TEST_CASES if args.test_case == "all" else [args.test_case]
    unknown = [name for name in names if name not in TEST_CASES]
    if unknown:
        print(f"unknown test case {unknown[0]!r}; known: {', '.join(TEST_CASES)}", file=sys.stderr)
        return 2

    host = f"[{args.server_host}]" if ":" in args.server_host else args.server_host
    options = message_codec.GRPC_OPTIONS_KEEP_COMPRESSED + [
        ("grpc.max_receive_message_length", message_codec.MAX_MESSAGE_SIZE)]
    target = f"{host}:{args.server_port}"
    if args.use_tls:
        def read(path):
            if path is None:
                return None
            with open(path, "rb") as file:
                return file.read()
        credentials = grpc.ssl_channel_credentials(
            root_certificates=read(args.ca_file), private_key=read(args.client_key_file),
            certificate_chain=read(args.client_cert_file))
        if args.server_host_override:
            options = options + [("grpc.ssl_target_name_override", args.server_host_override)]
        channel = grpc.secure_channel(target, credentials, options=options)
    else:
        channel = grpc.insecure_channel(target, options=options)
    with channel:
        try:
            grpc.channel_ready_future(channel).result(timeout=CALL_TIMEOUT)
        except grpc.FutureTimeoutError:
            print(f"FAIL: no connection to {host}:{args.server_port}", flush=True)
            return 1
        client = Client(channel)
        failed = [name for name in names if not run_case(client, name)]
    if failed:
        print(f"{len(failed)} of {len(names)} cases failed: {', '.join(failed)}", flush=True)
        return 1
    print(f"all {len(names)} cases passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
