// The message types the harness knows, each with its measured loops instantiated for the concrete
// generated class (as a C++ user would write them: a message on the stack, no arena).
#pragma once
#include <google/protobuf/message.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cpb {

struct Corpus;

struct MessageType {
    const google::protobuf::Message *prototype;
    int64_t (*decode_passes)(const Corpus &corpus, size_t passes);
    int64_t (*encode_passes)(const Corpus &corpus, size_t passes);
};

struct Corpus {
    const MessageType *type;
    std::vector<std::string> records;
    std::vector<std::unique_ptr<google::protobuf::Message>> messages;
};

// The type named `full_name` ("bench.Wide"), or nullptr.
const MessageType *find_message_type(const std::string &full_name);

// Deterministic serialization (map entries sorted by key): the canonical form of a message.
std::string serialize_canonical(const google::protobuf::Message &message);

}  // namespace cpb
