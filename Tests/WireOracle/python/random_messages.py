"""Seeded random protobuf messages built by walking the descriptors of the oracle
schemas: varied presence, sizes, edge values, unicode, recursion and unknown fields."""

import math
import random
import struct

from google.protobuf.descriptor import FieldDescriptor as FD

import wirebytes as wb

INT32_EDGES = [0, 1, -1, 127, 128, 300, -300, 2**31 - 1, -(2**31)]
INT64_EDGES = INT32_EDGES + [2**63 - 1, -(2**63), 2**32, -(2**32)]
UINT32_EDGES = [0, 1, 127, 128, 16383, 16384, 2**31, 2**32 - 1]
UINT64_EDGES = UINT32_EDGES + [2**63, 2**64 - 1, 2**35]
DOUBLE_EDGES = [0.0, -0.0, 1.5, -1e300, math.inf, -math.inf, math.nan, 5e-324, 2.2250738585072014e-308]
FLOAT_EDGES = [0.0, -0.0, 1.5, -3.4028234663852886e38, math.inf, -math.inf, math.nan, 1.401298464324817e-45]

# Code point pools: ASCII, Latin-1, Greek/Cyrillic, CJK, astral emoji, combining marks, NUL.
UNICODE_POOLS = [
    (0x20, 0x7E), (0xA0, 0xFF), (0x370, 0x4FF), (0x4E00, 0x9FFF),
    (0x1F300, 0x1FAFF), (0x300, 0x36F), (0x0, 0x1F), (0xE000, 0xF8FF), (0x10000, 0x10FFFF),
]


def _synthetic(oneof) -> bool:
    """proto3 `optional` fields sit alone in a synthetic oneof named after them."""
    return len(oneof.fields) == 1 and oneof.name == "_" + oneof.fields[0].name


class Generator:
    """One seeded source of messages. `density` (0..1) scales how many fields are set."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    # ----- scalar values -------------------------------------------------------------

    def _int(self, bits: int, signed: bool, edges) -> int:
        r = self.rng
        if r.random() < 0.3:
            return r.choice(edges)
        width = r.randint(1, bits)  # varied magnitudes -> varied varint lengths
        if signed:
            value = r.getrandbits(width - 1) if width > 1 else 0
            return -value - 1 if r.random() < 0.4 else value
        return r.getrandbits(width)

    def _float(self, double: bool) -> float:
        r = self.rng
        roll = r.random()
        if roll < 0.3:
            return r.choice(DOUBLE_EDGES if double else FLOAT_EDGES)
        if roll < 0.45:  # arbitrary bit patterns, including NaN payloads and subnormals
            raw = r.getrandbits(64 if double else 32)
            return struct.unpack("<d", struct.pack("<Q", raw))[0] if double else \
                struct.unpack("<f", struct.pack("<I", raw))[0]
        value = r.uniform(-1, 1) * 10 ** r.randint(-30, 30)
        return value if double else struct.unpack("<f", struct.pack("<f", value))[0]

    def _length(self) -> int:
        roll = self.rng.random()
        if roll < 0.15:
            return 0
        if roll < 0.85:
            return self.rng.randint(1, 12)
        if roll < 0.98:
            return self.rng.randint(13, 300)
        return self.rng.randint(301, 5000)

    def string(self) -> str:
        r = self.rng
        lo, hi = r.choice(UNICODE_POOLS)
        chars = []
        for _ in range(self._length()):
            if r.random() < 0.2:
                lo, hi = r.choice(UNICODE_POOLS)
            cp = r.randint(lo, hi)
            if 0xD800 <= cp <= 0xDFFF:
                cp = 0xFFFD
            chars.append(chr(cp))
        return "".join(chars)

    def bytes_(self) -> bytes:
        return self.rng.randbytes(self._length())

    def scalar(self, field):
        t = field.type
        if t in (FD.TYPE_INT32, FD.TYPE_SINT32, FD.TYPE_SFIXED32):
            return self._int(32, True, INT32_EDGES)
        if t in (FD.TYPE_INT64, FD.TYPE_SINT64, FD.TYPE_SFIXED64):
            return self._int(64, True, INT64_EDGES)
        if t in (FD.TYPE_UINT32, FD.TYPE_FIXED32):
            return self._int(32, False, UINT32_EDGES)
        if t in (FD.TYPE_UINT64, FD.TYPE_FIXED64):
            return self._int(64, False, UINT64_EDGES)
        if t == FD.TYPE_FLOAT:
            return self._float(False)
        if t == FD.TYPE_DOUBLE:
            return self._float(True)
        if t == FD.TYPE_BOOL:
            return self.rng.random() < 0.5
        if t == FD.TYPE_STRING:
            return self.string()
        if t == FD.TYPE_BYTES:
            return self.bytes_()
        if t == FD.TYPE_ENUM:
            values = [v.number for v in field.enum_type.values]
            if not field.enum_type.is_closed and self.rng.random() < 0.15:
                return self._int(32, True, INT32_EDGES)  # open enum: unknown values stay in the field
            return self.rng.choice(values)
        raise ValueError(f"not a scalar: {field.full_name}")

    # ----- messages ------------------------------------------------------------------

    def _count(self) -> int:
        roll = self.rng.random()
        if roll < 0.4:
            return 0
        if roll < 0.9:
            return self.rng.randint(1, 5)
        if roll < 0.99:
            return self.rng.randint(6, 60)
        return self.rng.randint(61, 400)

    def fill(self, msg, depth: int, density: float) -> None:
        """Sets a random subset of msg's fields (all required ones), recursing up to depth 0."""
        r = self.rng
        desc = msg.DESCRIPTOR
        chosen_oneof_member = {}
        for oneof in desc.oneofs:
            if not _synthetic(oneof) and r.random() < density:
                chosen_oneof_member[oneof.name] = r.choice(oneof.fields).name
        for field in desc.fields:
            required = field.is_required
            oneof = field.containing_oneof
            if oneof is not None and not _synthetic(oneof):
                if chosen_oneof_member.get(oneof.name) == field.name:
                    self._set_singular(msg, field, depth, density, force=True)
                continue
            if not required and r.random() > density:
                continue
            if field.is_repeated:
                self._set_repeated(msg, field, depth, density)
            else:
                self._set_singular(msg, field, depth, density, force=required)
        if r.random() < 0.08:
            msg.MergeFromString(self.unknown_fields(desc))
        if r.random() < 0.1:
            closed = self.closed_enum_unknown(desc)
            if closed:
                msg.MergeFromString(closed)

    def _child_density(self, depth: int, density: float) -> float:
        return density * 0.6 if depth > 0 else 0.0

    def _set_singular(self, msg, field, depth, density, force=False):
        if field.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
            required_inside = any(f.is_required for f in field.message_type.fields)
            if depth <= 0 and not force and not required_inside:
                return
            sub = getattr(msg, field.name)
            sub.SetInParent()
            self.fill(sub, depth - 1, self._child_density(depth, density))
        else:
            setattr(msg, field.name, self.scalar(field))

    def _set_repeated(self, msg, field, depth, density):
        container = getattr(msg, field.name)
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            key_field = field.message_type.fields_by_name["key"]
            value_field = field.message_type.fields_by_name["value"]
            entries = self._count() if value_field.type != FD.TYPE_MESSAGE else min(self._count(), 3)
            for _ in range(entries if depth > 0 else 0):
                key = self.scalar(key_field)
                if value_field.type == FD.TYPE_MESSAGE:
                    self.fill(container[key], depth - 1, self._child_density(depth, density))
                else:
                    container[key] = self.scalar(value_field)
            return
        if field.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
            if depth <= 0:
                return
            for _ in range(min(self._count(), 3)):
                self.fill(container.add(), depth - 1, self._child_density(depth, density))
            return
        container.extend(self.scalar(field) for _ in range(self._count()))

    # ----- raw extras ----------------------------------------------------------------

    def unknown_fields(self, desc) -> bytes:
        """Unknown fields of every wire type, with numbers the descriptor does not use."""
        r = self.rng
        used = {f.number for f in desc.fields}
        out = bytearray()
        for _ in range(r.randint(1, 4)):
            number = r.choice([n for n in (1000, 1001, 2047, 5000, 99999, 2**29 - 2) if n not in used])
            kind = r.randrange(5)
            if kind == 0:
                out += wb.f_varint(number, self._int(64, False, UINT64_EDGES))
            elif kind == 1:
                out += wb.f_fixed64(number, r.getrandbits(64))
            elif kind == 2:
                out += wb.f_len(number, self.bytes_())
            elif kind == 3:
                out += wb.f_fixed32(number, r.getrandbits(32))
            else:
                inner = wb.f_varint(1, r.getrandbits(20)) + wb.f_group(2, wb.f_fixed32(3, 7)) + wb.f_len(4, b"xy")
                out += wb.f_group(number, inner)
        return bytes(out)

    def closed_enum_unknown(self, desc) -> bytes:
        """A value outside a closed enum for one of its fields: the parser moves it to unknown fields."""
        fields = [f for f in desc.fields if f.type == FD.TYPE_ENUM and f.enum_type.is_closed
                  and f.containing_oneof is None]
        if not fields:
            return b""
        field = self.rng.choice(fields)
        known = {v.number for v in field.enum_type.values}
        value = self.rng.choice([v for v in (4, 99, -5, 2**31 - 1, 1000) if v not in known])
        return wb.f_varint(field.number, value)

    def message(self, cls):
        msg = cls()
        density = self.rng.choice([0.05, 0.2, 0.4, 0.7, 0.95])
        self.fill(msg, self.rng.randint(0, 4), density)
        return msg
