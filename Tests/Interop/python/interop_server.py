#!/usr/bin/env python3
"""A grpcio server for grpc.testing.TestService with the standard interop-test semantics.

Usage: interop_server.py --port P [--host 127.0.0.1]
Prints "interop-server listening on HOST:PORT" once it accepts calls; stops on SIGTERM/SIGINT.
UnimplementedCall is deliberately not registered, so it (and any other unknown method or
service) answers UNIMPLEMENTED, as the unimplemented_* cases expect.
"""

import argparse
import signal
import sys
import threading
import time
from concurrent import futures

import grpc

import interop_stubs
import message_codec

empty_pb2, messages_pb2, _ = interop_stubs.load()

SERVICE = "grpc.testing.TestService"
ECHO_INITIAL_KEY = "x-grpc-test-echo-initial"
ECHO_TRAILING_KEY = "x-grpc-test-echo-trailing-bin"
STATUS_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}


def payload(size):
    """COMPRESSABLE payloads are zero bytes (the only payload type the cases use)."""
    return messages_pb2.Payload(type=messages_pb2.COMPRESSABLE, body=bytes(size))


def echo_metadata(context):
    """Echoes the two test keys: the first as initial metadata, the second in trailers."""
    metadata = context.invocation_metadata()
    initial = [(m.key, m.value) for m in metadata if m.key == ECHO_INITIAL_KEY]
    trailing = [(m.key, m.value) for m in metadata if m.key == ECHO_TRAILING_KEY]
    if initial:
        context.send_initial_metadata(initial)
    if trailing:
        context.set_trailing_metadata(trailing)


def abort_with_requested_status(request, context):
    """If the request carries response_status with a non-OK code, ends the call with it."""
    if request.HasField("response_status") and request.response_status.code != 0:
        code = STATUS_BY_NUMBER.get(request.response_status.code, grpc.StatusCode.UNKNOWN)
        context.abort(code, request.response_status.message)


def check_compression(received, context):
    """The client says, per message, whether it compressed it; a mismatch is INVALID_ARGUMENT."""
    request = received.message
    if request.HasField("expect_compressed") and request.expect_compressed.value != received.compressed:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                      f"expect_compressed={request.expect_compressed.value} "
                      f"but the message arrived compressed={received.compressed}")


def send_streaming_responses(request, context):
    """Yields one response per ResponseParameters, honouring interval_us and per-message compression."""
    compress_any = any(p.HasField("compressed") and p.compressed.value for p in request.response_parameters)
    if compress_any:
        context.set_compression(grpc.Compression.Gzip)
    for parameters in request.response_parameters:
        if parameters.interval_us > 0:
            time.sleep(parameters.interval_us / 1_000_000)
        if compress_any and not (parameters.HasField("compressed") and parameters.compressed.value):
            context.disable_next_message_compression()
        yield messages_pb2.StreamingOutputCallResponse(payload=payload(parameters.size))


def empty_call(received, context):
    echo_metadata(context)
    return empty_pb2.Empty()


def unary_call(received, context):
    request = received.message
    echo_metadata(context)
    check_compression(received, context)
    abort_with_requested_status(request, context)
    if request.HasField("response_compressed") and request.response_compressed.value:
        context.set_compression(grpc.Compression.Gzip)
    return messages_pb2.SimpleResponse(payload=payload(request.response_size))


def streaming_output_call(received, context):
    request = received.message
    echo_metadata(context)
    abort_with_requested_status(request, context)
    yield from send_streaming_responses(request, context)


def streaming_input_call(request_iterator, context):
    echo_metadata(context)
    total = 0
    for received in request_iterator:
        check_compression(received, context)
        total += len(received.message.payload.body)
    return messages_pb2.StreamingInputCallResponse(aggregated_payload_size=total)


def full_duplex_call(request_iterator, context):
    echo_metadata(context)
    for received in request_iterator:
        request = received.message
        abort_with_requested_status(request, context)
        yield from send_streaming_responses(request, context)


def half_duplex_call(request_iterator, context):
    """Buffers all requests until the client half-closes, then answers them in order."""
    echo_metadata(context)
    requests = [received.message for received in request_iterator]
    for request in requests:
        abort_with_requested_status(request, context)
        yield from send_streaming_responses(request, context)


def handlers():
    simple_request = message_codec.deserializer(messages_pb2.SimpleRequest)
    output_request = message_codec.deserializer(messages_pb2.StreamingOutputCallRequest)
    input_request = message_codec.deserializer(messages_pb2.StreamingInputCallRequest)
    empty = message_codec.deserializer(empty_pb2.Empty)
    out = message_codec.serializer
    methods = {
        "EmptyCall": grpc.unary_unary_rpc_method_handler(empty_call, empty, out),
        "UnaryCall": grpc.unary_unary_rpc_method_handler(unary_call, simple_request, out),
        "CacheableUnaryCall": grpc.unary_unary_rpc_method_handler(unary_call, simple_request, out),
        "StreamingOutputCall": grpc.unary_stream_rpc_method_handler(streaming_output_call, output_request, out),
        "StreamingInputCall": grpc.stream_unary_rpc_method_handler(streaming_input_call, input_request, out),
        "FullDuplexCall": grpc.stream_stream_rpc_method_handler(full_duplex_call, output_request, out),
        "HalfDuplexCall": grpc.stream_stream_rpc_method_handler(half_duplex_call, output_request, out),
    }
    return grpc.method_handlers_generic_handler(SERVICE, methods)


def parse_bool(text):
    """The interop programs' boolean flag values: --use_tls=true / false."""
    if text.lower() not in ("true", "false"):
        raise argparse.ArgumentTypeError(f"expected true or false, not {text!r}")
    return text.lower() == "true"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--use_tls", type=parse_bool, default=False)
    parser.add_argument("--cert_file")
    parser.add_argument("--key_file")
    parser.add_argument("--client_ca_file", help="require client certificates signed by this CA")
    args = parser.parse_args()

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=16),
        options=message_codec.GRPC_OPTIONS_KEEP_COMPRESSED + [
            ("grpc.max_receive_message_length", message_codec.MAX_MESSAGE_SIZE),
            ("grpc.so_reuseport", 0),
        ],
    )
    server.add_generic_rpc_handlers((handlers(),))
    host = f"[{args.host}]" if ":" in args.host else args.host
    if args.use_tls:
        with open(args.key_file, "rb") as key, open(args.cert_file, "rb") as chain:
            identity = [(key.read(), chain.read())]
        client_ca = None
        if args.client_ca_file:
            with open(args.client_ca_file, "rb") as ca:
                client_ca = ca.read()
        credentials = grpc.ssl_server_credentials(
            identity, root_certificates=client_ca, require_client_auth=client_ca is not None)
        port = server.add_secure_port(f"{host}:{args.port}", credentials)
    else:
        port = server.add_insecure_port(f"{host}:{args.port}")
    if port == 0:
        print(f"interop-server: cannot listen on {host}:{args.port}", file=sys.stderr)
        return 1
    server.start()
    print(f"interop-server listening on {host}:{port}", flush=True)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    server.stop(grace=2).wait(timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
