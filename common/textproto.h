// Text-proto reading with errors that name the source, line and column.
#ifndef MEMWALL_COMMON_TEXTPROTO_H_
#define MEMWALL_COMMON_TEXTPROTO_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace memwall {

// Merges `text` into `message`. `source` names the text in errors
// ("models/gpt3-175b",
// "--set"): "--set:1:7: Message type "memwall.ModelSpec" has no field named
// "foo"".
absl::Status MergeTextProto(const std::string& text, const std::string& source,
                            google::protobuf::Message* message);

// Reads a whole file into a string; NotFound naming the path when it cannot be
// read.
absl::Status ReadFile(const std::string& path, std::string* contents);

// The message as text proto.
std::string ToTextProto(const google::protobuf::Message& message);

// The message as protobuf JSON with the proto field names kept (snake_case).
std::string ToJson(const google::protobuf::Message& message);

}  // namespace memwall

#endif  // MEMWALL_COMMON_TEXTPROTO_H_
