"""grpcio client for our grpc.health.v1.Health service (driven by HealthServiceTests.swift).

Usage: health_client.py PORT
Stubs are generated at run time from Debian's grpc-proto into a temporary directory (the
grpc_health package is not installed, and third-party .proto files stay out of the repo).
Prints one line per observation and flushes, so the Swift test can react to each:
  check "" SERVING / check absent NOT_FOUND / watch SERVICE_UNKNOWN / watch SERVING / ...
The test changes the watched service's status after each watch line; after NOT_SERVING this
client cancels the watch and prints "done". Every call has a deadline.
"""
import os
import sys
import tempfile

import grpc
from grpc_tools import protoc

# Compiled from its own directory so the modules are top-level `health_pb2{,_grpc}` and do not
# collide with the installed `grpc` package; the proto package (and so the RPC paths) is unchanged.
HEALTH_DIR = "/usr/share/grpc-proto/grpc/health/v1"


def generate_stubs(out_dir):
    status = protoc.main(["grpc_tools.protoc", "-I", HEALTH_DIR,
                          "--python_out=" + out_dir, "--grpc_python_out=" + out_dir, "health.proto"])
    if status != 0:
        raise SystemExit("grpc_tools.protoc failed with %d" % status)
    sys.path.insert(0, out_dir)


def say(line):
    print(line, flush=True)


def main():
    port = int(sys.argv[1])
    with tempfile.TemporaryDirectory() as out_dir:
        generate_stubs(out_dir)
        import health_pb2
        import health_pb2_grpc

        names = {value: name for name, value in health_pb2.HealthCheckResponse.ServingStatus.items()}
        with grpc.insecure_channel("127.0.0.1:%d" % port) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            reply = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
            say('check "" ' + names[reply.status])
            try:
                stub.Check(health_pb2.HealthCheckRequest(service="absent"), timeout=10)
                say("check absent answered")
            except grpc.RpcError as error:
                say("check absent " + error.code().name)
            watch = stub.Watch(health_pb2.HealthCheckRequest(service="db"), timeout=30)
            for reply in watch:
                say("watch " + names[reply.status])
                if reply.status == health_pb2.HealthCheckResponse.NOT_SERVING:
                    watch.cancel()
                    break
    say("done")


if __name__ == "__main__":
    main()
