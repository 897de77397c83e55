// The text-proto zoos compiled into the binary: clusters/*.textproto here
// (memwall-run needs them) and models/*.textproto in planner/model (which adds
// the built-in C++ layer graphs, planner/model/zoo.h), so that a program links
// only the zoo it reads.
#ifndef MEMWALL_COMMON_ZOO_H_
#define MEMWALL_COMMON_ZOO_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace memwall {

struct EmbeddedFile;

// One folder of embedded text protos.
struct TextZoo {
  const EmbeddedFile* files;
  int count;
  const char* folder;  // "clusters/": how errors name an embedded file
};

// clusters/*.textproto.
const TextZoo& ClusterTextZoo();

// Names of the embedded text protos, sorted.
std::vector<std::string> TextZooNames(const TextZoo& zoo);

// The embedded text, or nullptr when there is no such name.
const char* FindTextZoo(const TextZoo& zoo, const std::string& name);

// True when `name_or_path` should be read as a file (has a '/' or a
// .textproto/.txtpb/.pbtxt ending).
bool LooksLikePath(const std::string& name_or_path);

// Fills `out` from a path or an embedded zoo name; NotFound (with an empty
// message) when it is neither. Errors in the text name the source with line and
// column.
absl::Status LoadTextSpec(const TextZoo& zoo, const std::string& name_or_path,
                          google::protobuf::Message* out);

// Merges each --set text proto into `out`, in order ("transformer { num_layers:
// 4 }").
absl::Status ApplyOverrides(const std::vector<std::string>& sets,
                            google::protobuf::Message* out);

}  // namespace memwall

#endif  // MEMWALL_COMMON_ZOO_H_
