"""Hand-made inputs: non-canonical encodings that a parser must accept (and re-encode to
an equal message) and malformed ones that it must reject. Python's runtime is the oracle
for each; `intent` records what the wire rules say, so a surprise from Python shows up."""

from typing import NamedTuple

import wirebytes as wb
from wirebytes import (f_double, f_fixed32, f_fixed64, f_float, f_group, f_len, f_sint, f_str,
                       f_varint, packed_fixed32, packed_varints, padded_varint, tag, varint)

ALL3, ALL2, REQ, WKT, KEYWORDS = 0, 1, 2, 3, 4


class Case(NamedTuple):
    name: str
    kind: int
    data: bytes
    intent: str  # "accept", "reject" or "either" (the rules leave it open)


def _leaf(id_: int, name: str = "") -> bytes:
    return f_varint(1, id_) + (f_str(2, name) if name else b"")


def _required(id_: int, name: str) -> bytes:
    return f_varint(1, id_) + f_str(2, name) + f_len(4, _leaf(id_))


def noncanonical():
    yield Case("packed field sent unpacked", ALL3, f_varint(41, 1) + f_varint(41, 2**31 - 1) + f_varint(41, -5), "accept")
    yield Case("unpacked field sent packed", ALL3, packed_varints(61, [7, -1, 300]) + packed_fixed32(63, [1, 2]), "accept")
    yield Case("packed and unpacked mixed in one field", ALL3,
               f_varint(41, 1) + packed_varints(41, [2, 3]) + f_varint(41, 4) + packed_varints(41, []), "accept")
    yield Case("proto2 unpacked field sent packed", ALL2, packed_varints(41, [1, 2, 3]) + packed_varints(49, [1, 2]), "accept")
    yield Case("proto2 packed field sent unpacked", ALL2, f_varint(51, -1) + f_varint(55, 3) + f_varint(51, 9), "accept")
    yield Case("packed fixed32 and double", ALL3,
               packed_fixed32(47, [0, 2**32 - 1]) + f_len(52, f_double(0, 1.0)[1:] + f_double(0, -0.0)[1:]), "accept")
    yield Case("repeated singular scalar: last wins", ALL3, f_varint(1, 1) + f_varint(1, 2) + f_varint(1, 3), "accept")
    yield Case("repeated singular string and bytes: last wins", ALL3,
               f_str(14, "first") + f_len(15, b"a") + f_str(14, "second") + f_len(15, b""), "accept")
    yield Case("proto3 optional repeated: last wins", ALL3, f_varint(21, 5) + f_varint(21, 0), "accept")
    yield Case("implicit field explicitly zero", ALL3, f_varint(1, 0) + f_str(14, "") + f_double(12, 0.0), "accept")
    yield Case("negative zero double is kept", ALL3, f_double(12, -0.0) + f_float(11, -0.0), "accept")
    yield Case("proto2 field set to its default is still present", ALL2, f_varint(21, -42) + f_varint(33, 1), "accept")
    yield Case("split embedded message merges", ALL3,
               f_len(17, f_varint(1, 5)) + f_len(17, f_str(2, "b") + f_len(3, f_sint(1, -9))) + f_len(17, f_len(3, f_len(2, b"y"))),
               "accept")
    yield Case("split embedded repeated in nested merges", ALL3,
               f_len(17, packed_varints(4, [1, 2])) + f_len(17, f_varint(4, 3)), "accept")
    yield Case("split recursive child merges", ALL3,
               f_len(100, f_varint(1, 1) + f_len(100, f_varint(2, 2))) + f_len(100, f_len(100, f_varint(3, 3)) + f_varint(1, 9)),
               "accept")
    yield Case("proto2 split group merges", ALL2,
               f_group(60, f_varint(61, 1)) + f_group(60, f_str(62, "g") + f_len(63, f_varint(61, 2))), "accept")
    yield Case("oneof: last member wins", ALL3, f_varint(91, 1) + f_str(92, "x") + f_varint(94, 2), "accept")
    yield Case("oneof: same message member merges", ALL3,
               f_len(95, f_varint(1, 1)) + f_len(95, f_str(2, "m")), "accept")
    yield Case("oneof: message member replaced then set again", ALL3,
               f_len(95, f_varint(1, 1)) + f_varint(91, 3) + f_len(95, f_str(2, "m")), "accept")
    yield Case("oneof: scalar after message member", ALL3, f_len(96, f_varint(1, 7)) + f_double(97, 2.5), "accept")
    yield Case("proto2 oneof group member", ALL2, f_varint(80, 1) + f_group(84, f_varint(85, 4)), "accept")
    yield Case("map: duplicate key, last wins", ALL3,
               f_len(71, f_varint(1, 1) + f_str(2, "a")) + f_len(71, f_varint(1, 1) + f_str(2, "b")), "accept")
    yield Case("map: missing key and missing value", ALL3,
               f_len(71, f_str(2, "no key")) + f_len(71, f_varint(1, 5)) + f_len(71, b"") + f_len(72, f_str(1, "k")), "accept")
    yield Case("map: value before key", ALL3, f_len(71, f_str(2, "v") + f_varint(1, 9)), "accept")
    yield Case("map: repeated key field inside entry", ALL3, f_len(71, f_varint(1, 1) + f_varint(1, 2) + f_str(2, "v")), "accept")
    # upb keeps an unknown field inside a map entry; C++, Java and swift-protobuf drop it.
    yield Case("map: unknown field inside entry", ALL3, f_len(71, f_varint(1, 3) + f_varint(9, 1) + f_str(2, "v")), "either")
    yield Case("map: message value split across entries with same key", ALL3,
               f_len(72, f_str(1, "k") + f_len(2, f_varint(1, 1))) + f_len(72, f_str(1, "k") + f_len(2, f_str(2, "z"))), "accept")
    yield Case("map: bool key non-canonical varint", ALL3, f_len(74, tag(1, wb.VARINT) + padded_varint(1, 3) + f_varint(2, 2)), "accept")
    yield Case("map: proto2 closed enum value unknown", ALL2,
               f_len(70, f_str(1, "a") + f_varint(2, 5)) + f_len(70, f_str(1, "b") + f_varint(2, 3)), "accept")
    yield Case("unknown fields of every wire type", ALL3,
               f_varint(1000, 2**64 - 1) + f_fixed64(1001, 42) + f_len(1002, b"\x00\xff") + f_fixed32(1003, 7)
               + f_group(1004, f_varint(1, 1) + f_group(2, b"") + f_len(3, b"z")) + f_varint(1, 5), "accept")
    yield Case("unknown fields inside a nested message", ALL3,
               f_len(17, f_varint(50, 1) + f_group(51, f_fixed64(1, 3)) + f_varint(1, 2)), "accept")
    yield Case("unknown fields interleaved with known", ALL2,
               f_varint(500, 1) + f_varint(1, 2) + f_fixed32(501, 3) + f_varint(1, 4) + f_len(502, b"q"), "accept")
    yield Case("known field number with wrong wire type is unknown", ALL3,
               f_len(1, b"abc") + f_fixed32(14, 1) + f_varint(17, 3) + f_varint(2, 8), "accept")
    yield Case("proto3 open enum unknown value kept", ALL3, f_varint(16, 99) + f_varint(56, -7) + packed_varints(56, [1, 1234]), "accept")
    yield Case("proto2 closed enum unknown value to unknown fields", ALL2, f_varint(16, 7) + f_varint(16, 2), "accept")
    yield Case("proto2 closed enum unknown last does not clear known", ALL2, f_varint(16, 2) + f_varint(16, 7), "accept")
    yield Case("proto2 repeated closed enum mixed known and unknown", ALL2,
               f_varint(49, 1) + f_varint(49, 42) + packed_varints(55, [3, 77, 2, -9]), "accept")
    yield Case("proto2 closed enum unknown in oneof", ALL2, f_varint(82, 99) + f_varint(82, 1), "accept")
    yield Case("proto2 closed enum in nested message", ALL2, f_len(17, f_varint(3, 42)), "accept")
    yield Case("fields out of order", ALL3, f_str(14, "z") + f_varint(1, 1) + f_len(17, f_varint(1, 3)) + f_varint(3, 2), "accept")
    yield Case("overlong varint value", ALL3, tag(1, wb.VARINT) + padded_varint(1, 10), "accept")
    yield Case("overlong tag varint", ALL3, padded_varint((1 << 3) | 0, 5) + varint(7), "either")
    yield Case("negative int32 as 5-byte varint", ALL3, tag(1, wb.VARINT) + bytes([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), "accept")
    yield Case("int32 with high bits set truncates", ALL3, f_varint(1, 2**40 + 5), "accept")
    yield Case("bool from large varint", ALL3, f_varint(13, 2) + f_varint(65, 2**63), "accept")
    yield Case("uint32 from 64-bit varint truncates", ALL3, f_varint(3, 2**33 + 1), "accept")
    yield Case("far field number", ALL3, f_varint(536870911, 17), "accept")
    yield Case("empty input", ALL3, b"", "accept")
    yield Case("proto2 group with unknown fields inside", ALL2, f_group(60, f_varint(900, 1) + f_varint(61, 2)), "accept")
    yield Case("proto2 repeated group", ALL2, f_group(64, f_varint(65, 1)) + f_group(64, f_len(66, _leaf(3, "x"))), "accept")
    yield Case("required present in any order", REQ, f_len(4, _leaf(1)) + f_str(2, "n") + f_varint(1, 3), "accept")
    yield Case("required nested in optional", REQ, _required(1, "a") + f_len(3, _required(2, "b")), "accept")
    yield Case("required split across occurrences", REQ, f_varint(1, 1) + f_len(4, b"") + f_str(2, "x") + f_len(4, _leaf(5)), "accept")
    yield Case("proto2 string with invalid UTF-8", ALL2, f_len(14, b"\xff\xfe"), "either")
    yield Case("depth 90 of nested children", ALL3, _nest(100, 90, f_varint(1, 1)), "accept")
    yield Case("keywords message", KEYWORDS, f_varint(1, 1) + f_str(2, "s") + f_varint(30, 4) + f_str(31, "e"), "accept")
    yield Case("well-known Any with arbitrary value", WKT, f_len(3, f_str(1, "type.googleapis.com/x.Y") + f_len(2, b"\x08\x01")), "accept")


def _nest(field: int, depth: int, leaf: bytes) -> bytes:
    body = leaf
    for _ in range(depth):
        body = f_len(field, body)
    return body


def malformed():
    yield Case("truncated varint", ALL3, tag(1, wb.VARINT) + b"\x80\x80", "reject")
    yield Case("truncated tag", ALL3, b"\x80", "reject")
    yield Case("truncated length prefix", ALL3, tag(14, wb.LEN) + b"\x85", "reject")
    yield Case("length past end", ALL3, tag(14, wb.LEN) + varint(10) + b"abc", "reject")
    yield Case("length past end in nested", ALL3, f_len(17, tag(2, wb.LEN) + varint(5) + b"ab"), "reject")
    yield Case("2 GB length prefix on a 10-byte input", ALL3, tag(15, wb.LEN) + b"\x80\x80\x80\x80\x08" + b"abcd", "reject")
    yield Case("length prefix over 64 bits", ALL3, tag(15, wb.LEN) + b"\xff" * 9 + b"\x01", "reject")
    yield Case("varint of 11 bytes", ALL3, tag(1, wb.VARINT) + b"\x80" * 10 + b"\x01", "reject")
    yield Case("varint of 10 bytes with high bits", ALL3, tag(1, wb.VARINT) + b"\xff" * 9 + b"\x7f", "either")
    yield Case("wire type 6", ALL3, varint((1 << 3) | 6) + b"\x00", "reject")
    yield Case("wire type 7", ALL3, varint((2 << 3) | 7) + b"\x00", "reject")
    yield Case("field number 0", ALL3, varint(0 << 3 | 0) + b"\x01", "reject")
    yield Case("field number 0 length-delimited", ALL3, varint(0 << 3 | 2) + b"\x00", "reject")
    yield Case("field number past 2^29-1", ALL3, varint((2**29) << 3) + b"\x01", "reject")
    yield Case("truncated fixed32", ALL3, tag(7, wb.FIXED32) + b"\x01\x02", "reject")
    yield Case("truncated fixed64", ALL3, tag(8, wb.FIXED64) + b"\x01\x02\x03\x04\x05", "reject")
    yield Case("packed fixed32 with partial element", ALL3, f_len(47, b"\x01\x02\x03\x04\x05"), "reject")
    yield Case("packed double with partial element", ALL3, f_len(52, b"\x00" * 12), "reject")
    yield Case("packed varint truncated inside", ALL3, f_len(41, b"\x01\x80"), "reject")
    yield Case("end group without start", ALL3, tag(5, wb.EGROUP), "reject")
    yield Case("unknown start group without end", ALL3, tag(1000, wb.SGROUP) + f_varint(1, 1), "reject")
    yield Case("unknown group closed by wrong number", ALL3, tag(1000, wb.SGROUP) + tag(1001, wb.EGROUP), "reject")
    yield Case("proto2 group without end", ALL2, tag(60, wb.SGROUP) + f_varint(61, 1), "reject")
    yield Case("proto2 group closed by wrong number", ALL2, tag(60, wb.SGROUP) + tag(64, wb.EGROUP), "reject")
    yield Case("end group inside length-delimited message", ALL3, f_len(17, tag(17, wb.EGROUP)), "reject")
    yield Case("invalid UTF-8 in proto3 string", ALL3, f_len(14, b"ok\xc3\x28"), "reject")
    yield Case("overlong UTF-8 in proto3 string", ALL3, f_len(14, b"\xc0\xaf"), "reject")
    yield Case("UTF-16 surrogate in proto3 string", ALL3, f_len(14, b"\xed\xa0\x80"), "reject")
    yield Case("invalid UTF-8 in repeated proto3 string", ALL3, f_len(54, b"a") + f_len(54, b"\x80"), "reject")
    yield Case("invalid UTF-8 in proto3 map key", ALL3, f_len(78, f_len(1, b"\xff") + f_str(2, "v")), "reject")
    yield Case("invalid UTF-8 in proto3 oneof string", ALL3, f_len(92, b"\xf8\x88\x80\x80\x80"), "reject")
    yield Case("invalid UTF-8 in nested proto3 string", ALL3, f_len(17, f_len(2, b"\xe2\x82")), "reject")
    yield Case("depth bomb of 200 nested children", ALL3, _nest(100, 200, b""), "reject")
    yield Case("depth bomb of 200 nested groups", ALL3, _group_bomb(200), "reject")
    yield Case("depth bomb in proto2 groups", ALL2, _proto2_group_bomb(200), "reject")
    yield Case("map entry truncated", ALL3, f_len(71, tag(2, wb.LEN) + varint(4) + b"a"), "reject")
    yield Case("missing required field", REQ, f_varint(1, 1) + f_len(4, b""), "reject")
    yield Case("missing required in nested", REQ, _required(1, "a") + f_len(3, f_varint(1, 2)), "reject")
    yield Case("missing required in proto2 repeated", ALL2, f_len(95, f_varint(1, 1)), "reject")
    yield Case("garbage after valid field", ALL3, f_varint(1, 1) + b"\xff", "reject")


def _group_bomb(depth: int) -> bytes:
    body = b""
    for _ in range(depth):
        body = f_group(1000, body)
    return body


def _proto2_group_bomb(depth: int) -> bytes:
    # OptionalGroup.inner (63) is a length-delimited OptionalGroup; wrap alternately.
    body = f_varint(61, 1)
    for _ in range(depth):
        body = f_len(63, body)
    return f_group(60, body)
