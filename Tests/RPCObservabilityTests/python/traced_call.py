"""grpcio client that makes one unary call to obs.Test/Get carrying W3C trace headers
(driven by TracingInterceptorTests.swift).

Usage: traced_call.py PORT TRACEPARENT TRACESTATE
Prints the response text. The call has a deadline.
"""
import sys

import grpc


def main():
    port, traceparent, tracestate = sys.argv[1], sys.argv[2], sys.argv[3]
    with grpc.insecure_channel("127.0.0.1:%s" % port) as channel:
        get = channel.unary_unary("/obs.Test/Get")  # bytes in, bytes out
        reply = get(b"from grpcio", timeout=10, metadata=[("traceparent", traceparent), ("tracestate", tracestate)])
    print(reply.decode("utf-8"), flush=True)


if __name__ == "__main__":
    main()
