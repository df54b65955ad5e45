// `bench wire`'s C++ column: the same .proto files compiled by protoc --cpp_out and linked against
// Debian's libprotobuf 3.21, driven from Swift in the same process over the same bytes.
// A C interface (Swift imports it); the implementation is C++ (corpus.cc, generate.cc).
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes allocated by this library; release with cpb_records_free.
typedef struct cpb_records {
    uint8_t *bytes;    // every record, back to back
    size_t *lengths;   // the length of each record
    size_t count;      // the number of records
} cpb_records;

void cpb_records_free(cpb_records *records);

/// Builds the seeded random dataset `dataset` ("wide", "tree", "maps", "packed", "mixed"): each
/// record is one message in canonical form (deterministic serialization: fields by number, map
/// entries by key). The same seed gives the same bytes on every machine. Returns 0, or -1 for an
/// unknown dataset name or when memory runs out (then *out is left empty).
int cpb_generate(const char *dataset, uint64_t seed, cpb_records *out);

/// The messages of one type, parsed from a dataset, with the loops that are measured.
typedef struct cpb_corpus cpb_corpus;

/// Copies the records and parses each into a message of `message_type` (a full name such as
/// "bench.Wide"). NULL when the type is unknown or a record does not parse.
cpb_corpus *cpb_corpus_create(const char *message_type, const uint8_t *bytes, const size_t *lengths, size_t count);
void cpb_corpus_destroy(cpb_corpus *corpus);

/// Decodes every record into a fresh message, `passes` times. Returns a checksum, or -1 when a
/// record fails to parse.
int64_t cpb_decode_passes(const cpb_corpus *corpus, size_t passes);

/// Serializes every message into a fresh buffer, `passes` times. Returns a checksum.
int64_t cpb_encode_passes(const cpb_corpus *corpus, size_t passes);

/// Parses `length` bytes as `message_type` and serializes them deterministically into *out (one
/// record): the canonical form other runtimes' encodings are compared in. Returns 0, or -1 when
/// the type is unknown or the bytes do not parse.
int cpb_canonicalize(const char *message_type, const uint8_t *bytes, size_t length, cpb_records *out);

#ifdef __cplusplus
}
#endif
