// Seeded random values and messages for the generated datasets. The generator is splitmix64 with
// its own mapping to ranges (the standard library's distributions differ between implementations),
// so a seed gives the same messages on every machine.
#pragma once
#include <google/protobuf/message.h>

#include <cstdint>
#include <string>

namespace cpb {

class Random {
public:
    explicit Random(uint64_t seed) : state_(seed) {}
    uint64_t next();
    // Uniform in [low, high] (inclusive).
    uint64_t between(uint64_t low, uint64_t high);
    bool chance(double probability);

private:
    uint64_t state_;
};

// How big the random values are.
struct FillLimits {
    size_t max_text = 8;         // words in a string / bytes in a bytes field (at least 1)
    size_t max_repeated = 3;     // elements of a repeated field (at least 1)
    size_t max_map_entries = 2;  // entries of a map (at least 1)
    int max_depth = 2;           // nesting of message fields below the top message
    double field_chance = 0.5;   // probability that fill_dense sets a field
    size_t nested_fields = 0;    // when > 0, nested messages get this many fields (fill_sparse), else fill_dense
};

// A value for one field that is present on the wire: never the default of a field without
// presence (proto3 drops those), never NaN or -0.0 (those do not compare equal across runtimes).
void set_random_field(google::protobuf::Message &message, const google::protobuf::FieldDescriptor &field,
                      Random &random, const FillLimits &limits, int depth);

// Sets each field with probability limits.field_chance (at most one member of each oneof; required
// fields always), recursing into message fields up to limits.max_depth.
void fill_dense(google::protobuf::Message &message, Random &random, const FillLimits &limits, int depth);

// Sets the required fields, then `count` more distinct fields chosen at random (at most one member
// of each oneof).
void fill_sparse(google::protobuf::Message &message, size_t count, Random &random, const FillLimits &limits,
                 int depth);

// Text of 1...max_words words, ASCII and non-ASCII (Latin accents, Greek, CJK, emoji) mixed.
std::string random_text(Random &random, size_t max_words);

}  // namespace cpb
