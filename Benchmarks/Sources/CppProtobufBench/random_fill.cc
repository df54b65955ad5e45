// Seeded random field values through protobuf reflection (see random_fill.h).
#include "random_fill.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <set>
#include <vector>

namespace cpb {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

uint64_t Random::next() {
    state_ += 0x9E3779B97F4A7C15ull;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t Random::between(uint64_t low, uint64_t high) {
    uint64_t span = high - low + 1;
    return span == 0 ? next() : low + next() % span;
}

bool Random::chance(double probability) {
    return static_cast<double>(next() >> 11) * 0x1.0p-53 < probability;
}

namespace {

const char *const kWords[] = {
    "alpha", "beta", "gamma", "delta", "release", "deploy", "channel", "user", "ok", "42",
    "grüße", "café", "naïve", "Ωμέγα", "日本語", "데이터", "привет", "😀", "🚀", "ñandú",
};

std::string random_bytes(Random &random, size_t max_length) {
    std::string out(random.between(1, max_length), '\0');
    for (char &c : out) c = static_cast<char>(random.next());
    return out;
}

// Integers of every magnitude: the varint length is what costs, so each length is as likely.
uint64_t random_bits(Random &random, int width) {
    int bits = static_cast<int>(random.between(1, static_cast<uint64_t>(width)));
    uint64_t value = random.next() & (bits == 64 ? ~0ull : ((1ull << bits) - 1));
    return value == 0 ? 1 : value;
}

int64_t random_signed(Random &random, int width) {
    int64_t magnitude = static_cast<int64_t>(random_bits(random, width - 1));
    return random.chance(0.3) ? -magnitude : magnitude;
}

// Finite, non-zero, exactly representable in a float (whole numbers over a power of two).
double random_real(Random &random) {
    double value = static_cast<double>(random.between(1, 1 << 20)) / static_cast<double>(1u << random.between(0, 10));
    return random.chance(0.3) ? -value : value;
}

// Sets `field` (singular) or adds one element (repeated) of a scalar, string or enum kind.
void put_scalar(Message &message, const FieldDescriptor &field, Random &random, const FillLimits &limits) {
    const Reflection &r = *message.GetReflection();
    const bool repeated = field.is_repeated();
    switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
        auto v = static_cast<int32_t>(random_signed(random, 32));
        repeated ? r.AddInt32(&message, &field, v) : r.SetInt32(&message, &field, v);
        break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
        int64_t v = random_signed(random, 64);
        repeated ? r.AddInt64(&message, &field, v) : r.SetInt64(&message, &field, v);
        break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
        auto v = static_cast<uint32_t>(random_bits(random, 32));
        repeated ? r.AddUInt32(&message, &field, v) : r.SetUInt32(&message, &field, v);
        break;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
        uint64_t v = random_bits(random, 64);
        repeated ? r.AddUInt64(&message, &field, v) : r.SetUInt64(&message, &field, v);
        break;
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
        auto v = static_cast<float>(random_real(random));
        repeated ? r.AddFloat(&message, &field, v) : r.SetFloat(&message, &field, v);
        break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
        double v = random_real(random);
        repeated ? r.AddDouble(&message, &field, v) : r.SetDouble(&message, &field, v);
        break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
        bool v = repeated ? random.chance(0.5) : true;
        repeated ? r.AddBool(&message, &field, v) : r.SetBool(&message, &field, v);
        break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
        const auto &type = *field.enum_type();
        // Index 0 is the default of an open enum without presence: skip it for those.
        int first = (!repeated && !field.has_presence() && type.value_count() > 1) ? 1 : 0;
        int number = type.value(static_cast<int>(random.between(first, type.value_count() - 1)))->number();
        repeated ? r.AddEnumValue(&message, &field, number) : r.SetEnumValue(&message, &field, number);
        break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
        std::string v = field.type() == FieldDescriptor::TYPE_BYTES ? random_bytes(random, limits.max_text)
                                                                    : random_text(random, limits.max_text);
        repeated ? r.AddString(&message, &field, std::move(v)) : r.SetString(&message, &field, std::move(v));
        break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
        break;  // handled by set_random_field
    }
}

// A key of a map entry as text, to keep keys distinct within one map.
std::string key_text(const Message &entry, const FieldDescriptor &key) {
    const Reflection &r = *entry.GetReflection();
    switch (key.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return std::to_string(r.GetInt32(entry, &key));
    case FieldDescriptor::CPPTYPE_INT64: return std::to_string(r.GetInt64(entry, &key));
    case FieldDescriptor::CPPTYPE_UINT32: return std::to_string(r.GetUInt32(entry, &key));
    case FieldDescriptor::CPPTYPE_UINT64: return std::to_string(r.GetUInt64(entry, &key));
    case FieldDescriptor::CPPTYPE_BOOL: return r.GetBool(entry, &key) ? "true" : "false";
    default: return r.GetString(entry, &key);
    }
}

void fill_message(Message &message, Random &random, const FillLimits &limits, int depth) {
    if (depth >= limits.max_depth) {
        // Deep enough: only what must be there (proto2 required fields).
        const auto &descriptor = *message.GetDescriptor();
        for (int i = 0; i < descriptor.field_count(); ++i) {
            const FieldDescriptor &field = *descriptor.field(i);
            if (field.is_required()) set_random_field(message, field, random, limits, depth);
        }
        return;
    }
    if (limits.nested_fields > 0 && depth > 0) {
        fill_sparse(message, limits.nested_fields, random, limits, depth);
    } else {
        fill_dense(message, random, limits, depth);
    }
}

}  // namespace

std::string random_text(Random &random, size_t max_words) {
    size_t words = random.between(1, max_words);
    std::string out;
    for (size_t i = 0; i < words; ++i) {
        if (i > 0) out += ' ';
        out += kWords[random.between(0, sizeof kWords / sizeof kWords[0] - 1)];
    }
    return out;
}

void set_random_field(Message &message, const FieldDescriptor &field, Random &random, const FillLimits &limits,
                      int depth) {
    const Reflection &r = *message.GetReflection();
    if (field.is_map()) {
        const FieldDescriptor &key = *field.message_type()->map_key();
        const FieldDescriptor &value = *field.message_type()->map_value();
        std::set<std::string> keys;
        size_t entries = random.between(1, limits.max_map_entries);
        // Bounded: a bool key has two values, so give up on a duplicate after a few tries.
        for (size_t attempt = 0; keys.size() < entries && attempt < entries * 4; ++attempt) {
            std::unique_ptr<Message> entry(r.GetMessageFactory()->GetPrototype(field.message_type())->New());
            put_scalar(*entry, key, random, limits);
            if (!keys.insert(key_text(*entry, key)).second) continue;
            if (value.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
                fill_message(*entry->GetReflection()->MutableMessage(entry.get(), &value), random, limits, depth + 1);
            } else {
                put_scalar(*entry, value, random, limits);
            }
            r.AddAllocatedMessage(&message, &field, entry.release());
        }
        return;
    }
    size_t count = field.is_repeated() ? random.between(1, limits.max_repeated) : 1;
    for (size_t i = 0; i < count; ++i) {
        if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
            Message &child = field.is_repeated() ? *r.AddMessage(&message, &field) : *r.MutableMessage(&message, &field);
            fill_message(child, random, limits, depth + 1);
        } else {
            put_scalar(message, field, random, limits);
        }
    }
}

void fill_dense(Message &message, Random &random, const FillLimits &limits, int depth) {
    const auto &descriptor = *message.GetDescriptor();
    std::set<const google::protobuf::OneofDescriptor *> oneofs_set;
    for (int i = 0; i < descriptor.field_count(); ++i) {
        const FieldDescriptor &field = *descriptor.field(i);
        const auto *oneof = field.real_containing_oneof();
        if (!field.is_required() && !random.chance(limits.field_chance)) continue;
        if (oneof != nullptr && !oneofs_set.insert(oneof).second) continue;
        set_random_field(message, field, random, limits, depth);
    }
}

void fill_sparse(Message &message, size_t count, Random &random, const FillLimits &limits, int depth) {
    const auto &descriptor = *message.GetDescriptor();
    std::vector<const FieldDescriptor *> candidates;
    for (int i = 0; i < descriptor.field_count(); ++i) {
        const FieldDescriptor &field = *descriptor.field(i);
        if (field.is_required()) {
            set_random_field(message, field, random, limits, depth);
        } else {
            candidates.push_back(&field);
        }
    }
    std::set<const google::protobuf::OneofDescriptor *> oneofs_set;
    size_t set = 0;
    while (set < count && !candidates.empty()) {
        size_t pick = random.between(0, candidates.size() - 1);
        const FieldDescriptor &field = *candidates[pick];
        candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(pick));
        const auto *oneof = field.real_containing_oneof();
        if (oneof != nullptr && !oneofs_set.insert(oneof).second) continue;
        set_random_field(message, field, random, limits, depth);
        ++set;
    }
}

}  // namespace cpb
