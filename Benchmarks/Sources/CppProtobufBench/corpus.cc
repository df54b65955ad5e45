// The C interface's corpus, loops and canonical form (see include/cpp_protobuf_bench.h).
#include "cpp_protobuf_bench.h"
#include "message_types.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <climits>
#include <cstdlib>
#include <cstring>

#include "bench.pb.h"
#include "shapes.pb.h"
#include "shapes_proto2.pb.h"

namespace cpb {
namespace {

// Decode as a C++ user would: a fresh message per record, parsed from contiguous bytes.
template <class M>
int64_t decode_passes(const Corpus &corpus, size_t passes) {
    int64_t check = 0;
    for (size_t pass = 0; pass < passes; ++pass) {
        for (const std::string &record : corpus.records) {
            M message;
            if (!message.ParseFromArray(record.data(), static_cast<int>(record.size()))) return -1;
            check += static_cast<int64_t>(record.size());
        }
    }
    return check;
}

// Encode as a C++ user would: each message into a fresh buffer.
template <class M>
int64_t encode_passes(const Corpus &corpus, size_t passes) {
    int64_t check = 0;
    for (size_t pass = 0; pass < passes; ++pass) {
        for (const auto &message : corpus.messages) {
            std::string out;
            static_cast<const M &>(*message).SerializeToString(&out);
            check += static_cast<int64_t>(out.size()) + (out.empty() ? 0 : static_cast<uint8_t>(out[out.size() / 2]));
        }
    }
    return check;
}

template <class M>
MessageType type_of() {
    return MessageType{&M::default_instance(), &decode_passes<M>, &encode_passes<M>};
}

}  // namespace

const MessageType *find_message_type(const std::string &full_name) {
    static const struct {
        const char *name;
        MessageType type;
    } types[] = {
        {"bench.SmallFlat", type_of<bench::SmallFlat>()},
        {"bench.ChatPost", type_of<bench::ChatPost>()},
        {"bench.BytesPayload", type_of<bench::BytesPayload>()},
        {"bench.StringPayload", type_of<bench::StringPayload>()},
        {"bench.LargeRepeated", type_of<bench::LargeRepeated>()},
        {"bench.Wide", type_of<bench::Wide>()},
        {"bench.TreeNode", type_of<bench::TreeNode>()},
        {"bench.MapHeavy", type_of<bench::MapHeavy>()},
        {"bench.PackedNumerics", type_of<bench::PackedNumerics>()},
        {"bench.Mixed", type_of<bench::Mixed>()},
    };
    for (const auto &entry : types) {
        if (full_name == entry.name) return &entry.type;
    }
    return nullptr;
}

std::string serialize_canonical(const google::protobuf::Message &message) {
    std::string out;
    {
        google::protobuf::io::StringOutputStream stream(&out);
        google::protobuf::io::CodedOutputStream coded(&stream);
        coded.SetSerializationDeterministic(true);
        message.SerializeToCodedStream(&coded);
    }
    return out;
}

}  // namespace cpb

extern "C" {

void cpb_records_free(cpb_records *records) {
    if (records == nullptr) return;
    std::free(records->bytes);
    std::free(records->lengths);
    *records = cpb_records{nullptr, nullptr, 0};
}

cpb_corpus *cpb_corpus_create(const char *message_type, const uint8_t *bytes, const size_t *lengths, size_t count) {
    const cpb::MessageType *type = cpb::find_message_type(message_type);
    if (type == nullptr) return nullptr;
    auto corpus = std::make_unique<cpb::Corpus>();
    corpus->type = type;
    size_t offset = 0;
    for (size_t index = 0; index < count; ++index) {
        if (lengths[index] > INT_MAX) return nullptr;  // ParseFromArray takes an int length
        corpus->records.emplace_back(reinterpret_cast<const char *>(bytes) + offset, lengths[index]);
        offset += lengths[index];
        std::unique_ptr<google::protobuf::Message> message(type->prototype->New());
        if (!message->ParseFromString(corpus->records.back())) return nullptr;
        corpus->messages.push_back(std::move(message));
    }
    return reinterpret_cast<cpb_corpus *>(corpus.release());
}

void cpb_corpus_destroy(cpb_corpus *corpus) {
    delete reinterpret_cast<cpb::Corpus *>(corpus);
}

int64_t cpb_decode_passes(const cpb_corpus *handle, size_t passes) {
    const auto &corpus = *reinterpret_cast<const cpb::Corpus *>(handle);
    return corpus.type->decode_passes(corpus, passes);
}

int64_t cpb_encode_passes(const cpb_corpus *handle, size_t passes) {
    const auto &corpus = *reinterpret_cast<const cpb::Corpus *>(handle);
    return corpus.type->encode_passes(corpus, passes);
}

int cpb_canonicalize(const char *message_type, const uint8_t *bytes, size_t length, cpb_records *out) {
    *out = cpb_records{nullptr, nullptr, 0};
    const cpb::MessageType *type = cpb::find_message_type(message_type);
    if (type == nullptr || length > INT_MAX) return -1;
    std::unique_ptr<google::protobuf::Message> message(type->prototype->New());
    if (!message->ParseFromArray(bytes, static_cast<int>(length))) return -1;
    std::string canonical = cpb::serialize_canonical(*message);
    out->bytes = static_cast<uint8_t *>(std::malloc(canonical.size() + 1));
    out->lengths = static_cast<size_t *>(std::malloc(sizeof(size_t)));
    if (out->bytes == nullptr || out->lengths == nullptr) {
        cpb_records_free(out);
        return -1;
    }
    std::memcpy(out->bytes, canonical.data(), canonical.size());
    out->lengths[0] = canonical.size();
    out->count = 1;
    return 0;
}

}  // extern "C"
