"""Message (de)serializers that also report whether a message travelled compressed.

grpcio does not tell the application whether a received message had the gRPC compressed flag
set, yet the interop cases client_compressed_* and server_compressed_* must check exactly that.
So both peers open their channel/server with `grpc.per_message_decompression` = 0: grpc core
then hands over compressed messages still compressed, and we decompress them here. A gzip
stream starts with 1F 8B; no protobuf message can start with 0x1F (wire type 7 does not exist),
so the first two bytes tell the two cases apart without ambiguity.
"""

import zlib

GRPC_OPTIONS_KEEP_COMPRESSED = [("grpc.per_message_decompression", 0)]
MAX_MESSAGE_SIZE = 8 * 1024 * 1024


class Received:
    """A decoded message plus whether it arrived compressed."""

    __slots__ = ("message", "compressed")

    def __init__(self, message, compressed):
        self.message = message
        self.compressed = compressed


def _gunzip_bounded(raw):
    """Decompresses gzip with an output cap, so a hostile peer cannot exhaust memory."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = decompressor.decompress(raw, MAX_MESSAGE_SIZE + 1)
    if len(data) > MAX_MESSAGE_SIZE or decompressor.unconsumed_tail:
        raise ValueError("decompressed message exceeds the size limit")
    if not decompressor.eof:
        raise ValueError("truncated gzip message")
    return data


def deserializer(message_class):
    """Returns a function bytes -> Received for `message_class`."""

    def parse(raw):
        if raw[:2] == b"\x1f\x8b":
            return Received(message_class.FromString(_gunzip_bounded(raw)), True)
        return Received(message_class.FromString(raw), False)

    return parse


def serializer(message):
    return message.SerializeToString()

