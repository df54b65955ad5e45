"""The record files exchanged with the Swift `wire-oracle` tool.

Input record:  [u8 kind | 0x80 if partial] [u32 little-endian length] [message bytes]
Output record: [u8 status] [u32 little-endian length] [re-encoded bytes, or the error text]
Status: 0 = decoded and re-encoded, 1 = decoding threw, 2 = encoding threw."""

import struct

PARTIAL = 0x80
OK, DECODE_ERROR, ENCODE_ERROR = 0, 1, 2


def write(path: str, records) -> None:
    with open(path, "wb") as out:
        for head, payload in records:
            out.write(struct.pack("<BI", head, len(payload)))
            out.write(payload)


def read(path: str):
    with open(path, "rb") as f:
        data = f.read()
    records, offset = [], 0
    while offset < len(data):
        if offset + 5 > len(data):
            raise ValueError(f"{path}: truncated record header at {offset}")
        head, length = struct.unpack_from("<BI", data, offset)
        offset += 5
        if offset + length > len(data):
            raise ValueError(f"{path}: truncated record body at {offset}")
        records.append((head, data[offset:offset + length]))
        offset += length
    return records
