// The text-proto zoos compiled into the binary: models/*.textproto and
// clusters/*.textproto. Built-in C++ models (layer graphs) are added on top by
// planner/model/zoo.h.
#ifndef MEMWALL_COMMON_ZOO_H_
#define MEMWALL_COMMON_ZOO_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace memwall {

enum class ZooKind { kModel, kCluster };

// Names of the embedded text protos of one kind, sorted.
std::vector<std::string> TextZooNames(ZooKind kind);

// The embedded text, or nullptr when there is no such name.
const char* FindTextZoo(ZooKind kind, const std::string& name);

// True when `name_or_path` should be read as a file (has a '/' or a
// .textproto/.txtpb/.pbtxt ending).
bool LooksLikePath(const std::string& name_or_path);

// Fills `out` from a path or an embedded zoo name; NotFound (with an empty
// message) when it is neither. Errors in the text name the source with line and
// column.
absl::Status LoadTextSpec(ZooKind kind, const std::string& name_or_path,
                          google::protobuf::Message* out);

// Merges each --set text proto into `out`, in order ("transformer { num_layers:
// 4 }").
absl::Status ApplyOverrides(const std::vector<std::string>& sets,
                            google::protobuf::Message* out);

}  // namespace memwall

#endif  // MEMWALL_COMMON_ZOO_H_
