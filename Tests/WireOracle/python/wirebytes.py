"""Hand-rolled protobuf wire encoding, used to build inputs that a protobuf library
would never produce itself (non-canonical, split, reordered or malformed bytes)."""

import struct

VARINT, FIXED64, LEN, SGROUP, EGROUP, FIXED32 = 0, 1, 2, 3, 4, 5


def varint(value: int) -> bytes:
    """Minimal varint; negative numbers take their 64-bit two's complement (10 bytes)."""
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def padded_varint(value: int, length: int) -> bytes:
    """A non-minimal varint of exactly `length` bytes (continuation bits padded with zeros)."""
    value &= (1 << 64) - 1
    out = bytearray()
    for i in range(length):
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if i < length - 1 else 0))
    assert value == 0, "value does not fit"
    return bytes(out)


def tag(field: int, wire_type: int) -> bytes:
    return varint((field << 3) | wire_type)


def zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 63) if value < 0 else value << 1


def f_varint(field: int, value: int) -> bytes:
    return tag(field, VARINT) + varint(value)


def f_sint(field: int, value: int) -> bytes:
    return tag(field, VARINT) + varint(zigzag(value))


def f_fixed32(field: int, value: int) -> bytes:
    return tag(field, FIXED32) + struct.pack("<I", value & 0xFFFFFFFF)


def f_fixed64(field: int, value: int) -> bytes:
    return tag(field, FIXED64) + struct.pack("<Q", value & 0xFFFFFFFFFFFFFFFF)


def f_float(field: int, value: float) -> bytes:
    return tag(field, FIXED32) + struct.pack("<f", value)


def f_double(field: int, value: float) -> bytes:
    return tag(field, FIXED64) + struct.pack("<d", value)


def f_len(field: int, payload: bytes) -> bytes:
    return tag(field, LEN) + varint(len(payload)) + payload


def f_str(field: int, text: str) -> bytes:
    return f_len(field, text.encode("utf-8"))


def f_group(field: int, body: bytes) -> bytes:
    return tag(field, SGROUP) + body + tag(field, EGROUP)


def packed_varints(field: int, values) -> bytes:
    return f_len(field, b"".join(varint(v) for v in values))


def packed_fixed32(field: int, values) -> bytes:
    return f_len(field, b"".join(struct.pack("<I", v & 0xFFFFFFFF) for v in values))
