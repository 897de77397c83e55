// Text-proto reading with errors that name the source, line and column.
#ifndef MEMWALL_COMMON_TEXTPROTO_H_
#define MEMWALL_COMMON_TEXTPROTO_H_

#include <cstdint>
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

// Model and cluster files are text protos of a few kilobytes: 16 MiB is far
// above any of them and bounds what a wrong path can make memwall read.
inline constexpr int64_t kMaxSpecFileBytes = int64_t{16} << 20;

// Reads a whole regular file of 1..max_bytes bytes into a string. Every error
// names the path: NotFound when it does not exist; InvalidArgument for a
// directory, FIFO, device or socket (refused without reading or blocking), a
// file over max_bytes, an empty file, or a read error.
absl::Status ReadFile(const std::string& path, std::string* contents,
                      int64_t max_bytes = kMaxSpecFileBytes);

// The message as text proto.
std::string ToTextProto(const google::protobuf::Message& message);

// The message as protobuf JSON with the proto field names kept (snake_case).
std::string ToJson(const google::protobuf::Message& message);

// Writes ToJson(message) to `path`; PermissionDenied naming --`flag`=path when
// the file cannot be written.
absl::Status WriteJsonFile(const std::string& path,
                           const google::protobuf::Message& message,
                           const std::string& flag = "json");

}  // namespace memwall

#endif  // MEMWALL_COMMON_TEXTPROTO_H_
