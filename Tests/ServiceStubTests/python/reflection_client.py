"""grpcio client for our server reflection service (driven by ReflectionServiceTests.swift).

Usage: reflection_client.py PORT
Stubs for grpc.reflection.v1alpha are generated at run time from Debian's grpc-proto into a
temporary directory (grpcio-reflection is not installed). The descriptors our server returns
are loaded into a fresh protobuf DescriptorPool, which checks that they are well-formed and
that every import arrives. Prints one line per finding; every call has a deadline.
"""
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool
from grpc_tools import protoc

# Compiled from its own directory so the modules are top-level `reflection_pb2{,_grpc}`.
REFLECTION_DIR = "/usr/share/grpc-proto/grpc/reflection/v1alpha"


def generate_stubs(out_dir):
    status = protoc.main(["grpc_tools.protoc", "-I", REFLECTION_DIR,
                          "--python_out=" + out_dir, "--grpc_python_out=" + out_dir, "reflection.proto"])
    if status != 0:
        raise SystemExit("grpc_tools.protoc failed with %d" % status)
    sys.path.insert(0, out_dir)


def main():
    port = int(sys.argv[1])
    with tempfile.TemporaryDirectory() as out_dir:
        generate_stubs(out_dir)
        import reflection_pb2 as pb
        import reflection_pb2_grpc as pb_grpc

        requests = [
            pb.ServerReflectionRequest(list_services=""),
            pb.ServerReflectionRequest(file_containing_symbol="stubtest.v1.Echo"),
            pb.ServerReflectionRequest(file_by_filename="grpc/health/v1/health.proto"),
            pb.ServerReflectionRequest(file_containing_symbol="no.such.Symbol"),
        ]
        with grpc.insecure_channel("127.0.0.1:%d" % port) as channel:
            stub = pb_grpc.ServerReflectionStub(channel)
            responses = list(stub.ServerReflectionInfo(iter(requests), timeout=20))

        print("responses %d" % len(responses))
        print("services " + ",".join(s.name for s in responses[0].list_services_response.service))

        pool = descriptor_pool.DescriptorPool()
        for response in responses[1:3]:
            for raw in response.file_descriptor_response.file_descriptor_proto:
                file = descriptor_pb2.FileDescriptorProto.FromString(raw)
                try:
                    pool.FindFileByName(file.name)
                except KeyError:
                    pool.Add(file)
        echo = pool.FindServiceByName("stubtest.v1.Echo")
        print("echo methods " + ",".join("%s(%s)->%s%s" % (m.name, m.input_type.full_name, m.output_type.full_name,
                                                            " stream" if m.server_streaming else "")
                                         for m in echo.methods))
        health = pool.FindServiceByName("grpc.health.v1.Health")
        print("health methods " + ",".join(m.name for m in health.methods))
        error = responses[3].error_response
        print("missing symbol %s %d" % (responses[3].WhichOneof("message_response"), error.error_code))


if __name__ == "__main__":
    main()
