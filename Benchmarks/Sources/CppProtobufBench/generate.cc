// The seeded datasets of `bench wire` (cpb_generate): each record one message, canonical bytes.
#include "cpp_protobuf_bench.h"
#include "message_types.h"
#include "random_fill.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "shapes.pb.h"

namespace cpb {
namespace {

using Records = std::vector<std::string>;

// 10,000 messages of the 131-field type with 3-8 fields set, 30-60 bytes each: drawn again (a
// bounded number of times) until the size fits.
Records wide(Random &random) {
    FillLimits limits;
    limits.max_text = 3;
    limits.max_repeated = 2;
    limits.max_map_entries = 1;
    limits.max_depth = 2;
    limits.nested_fields = 1;
    Records records;
    while (records.size() < 10000) {
        for (int attempt = 0; attempt < 10000; ++attempt) {
            bench::Wide message;
            fill_sparse(message, random.between(3, 8), random, limits, 0);
            std::string bytes = serialize_canonical(message);
            if (bytes.size() >= 30 && bytes.size() <= 60) {
                records.push_back(std::move(bytes));
                break;
            }
        }
    }
    return records;
}

// A chain 20-60 levels deep; each level has the next level and 0-2 leaves as children.
void grow(bench::TreeNode &node, int levels_left, int &next_id, Random &random) {
    node.set_id(next_id++);
    node.set_label(random_text(random, 2));
    node.set_weight(static_cast<double>(random.between(1, 1000)) / 8.0);
    size_t attributes = random.between(0, 2);
    for (size_t i = 0; i < attributes; ++i) (*node.mutable_attributes())[random_text(random, 1)] = random.between(1, 1u << 30);
    if (levels_left == 0) {
        node.set_leaf(true);
        return;
    }
    size_t leaves = random.between(0, 2);
    size_t inner_at = random.between(0, leaves);
    for (size_t i = 0; i <= leaves; ++i) grow(*node.add_children(), i == inner_at ? levels_left - 1 : 0, next_id, random);
}

Records tree(Random &random) {
    Records records;
    for (int i = 0; i < 200; ++i) {
        bench::TreeNode root;
        int next_id = 1;
        grow(root, static_cast<int>(random.between(20, 60)) - 1, next_id, random);
        records.push_back(serialize_canonical(root));
    }
    return records;
}

// 300 messages whose eight maps hold 1-40 entries each.
Records maps(Random &random) {
    FillLimits limits;
    limits.max_text = 3;
    limits.max_map_entries = 40;
    limits.max_depth = 2;
    limits.field_chance = 1.0;
    Records records;
    for (int i = 0; i < 300; ++i) {
        bench::MapHeavy message;
        fill_dense(message, random, limits, 0);
        records.push_back(serialize_canonical(message));
    }
    return records;
}

// 50 messages with 1-1500 elements in each of the fourteen packed fields.
Records packed(Random &random) {
    FillLimits limits;
    limits.max_repeated = 1500;
    limits.field_chance = 1.0;
    Records records;
    for (int i = 0; i < 50; ++i) {
        bench::PackedNumerics message;
        fill_dense(message, random, limits, 0);
        records.push_back(serialize_canonical(message));
    }
    return records;
}

// 2,000 messages of the every-kind type, each field set with probability 0.4, nested 3 deep.
Records mixed(Random &random) {
    FillLimits limits;
    limits.max_text = 6;
    limits.max_repeated = 4;
    limits.max_map_entries = 4;
    limits.max_depth = 3;
    limits.field_chance = 0.4;
    Records records;
    for (int i = 0; i < 2000; ++i) {
        bench::Mixed message;
        fill_dense(message, random, limits, 0);
        records.push_back(serialize_canonical(message));
    }
    return records;
}

}  // namespace
}  // namespace cpb

extern "C" int cpb_generate(const char *dataset, uint64_t seed, cpb_records *out) {
    *out = cpb_records{nullptr, nullptr, 0};
    cpb::Random random(seed);
    const std::string name = dataset;
    cpb::Records records;
    if (name == "wide") records = cpb::wide(random);
    else if (name == "tree") records = cpb::tree(random);
    else if (name == "maps") records = cpb::maps(random);
    else if (name == "packed") records = cpb::packed(random);
    else if (name == "mixed") records = cpb::mixed(random);
    else return -1;
    size_t total = 0;
    for (const auto &record : records) total += record.size();
    out->bytes = static_cast<uint8_t *>(std::malloc(total + 1));
    out->lengths = static_cast<size_t *>(std::malloc(sizeof(size_t) * (records.size() + 1)));
    if (out->bytes == nullptr || out->lengths == nullptr) {
        cpb_records_free(out);
        return -1;
    }
    size_t offset = 0;
    for (size_t i = 0; i < records.size(); ++i) {
        std::memcpy(out->bytes + offset, records[i].data(), records[i].size());
        offset += records[i].size();
        out->lengths[i] = records[i].size();
    }
    out->count = records.size();
    return 0;
}
