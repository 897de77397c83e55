#include "common/zoo.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/embedded.h"
#include "common/status.h"
#include "common/textproto.h"

namespace memwall {

extern const EmbeddedFile kClusterZoo[];
extern const int kClusterZoo_count;

const TextZoo& ClusterTextZoo() {
  static const TextZoo zoo{kClusterZoo, kClusterZoo_count, "clusters/"};
  return zoo;
}

std::vector<std::string> TextZooNames(const TextZoo& zoo) {
  std::vector<std::string> names;
  for (int i = 0; i < zoo.count; ++i) names.push_back(zoo.files[i].name);
  std::sort(names.begin(), names.end());
  return names;
}

const char* FindTextZoo(const TextZoo& zoo, const std::string& name) {
  for (int i = 0; i < zoo.count; ++i) {
    if (name == zoo.files[i].name) return zoo.files[i].text;
  }
  return nullptr;
}

bool LooksLikePath(const std::string& name_or_path) {
  return absl::StrContains(name_or_path, '/') ||
         absl::EndsWith(name_or_path, ".textproto") ||
         absl::EndsWith(name_or_path, ".txtpb") ||
         absl::EndsWith(name_or_path, ".pbtxt");
}

absl::Status LoadTextSpec(const TextZoo& zoo, const std::string& name_or_path,
                          google::protobuf::Message* out) {
  if (LooksLikePath(name_or_path)) {
    std::string text;
    MEMWALL_RETURN_IF_ERROR(ReadFile(name_or_path, &text));
    return MergeTextProto(text, name_or_path, out);
  }
  const char* text = FindTextZoo(zoo, name_or_path);
  if (text == nullptr) return absl::NotFoundError("");
  return MergeTextProto(
      text, absl::StrCat(zoo.folder, name_or_path, ".textproto"), out);
}

absl::Status ApplyOverrides(const std::vector<std::string>& sets,
                            google::protobuf::Message* out) {
  for (const std::string& set : sets) {
    MEMWALL_RETURN_IF_ERROR(MergeTextProto(set, "--set", out));
  }
  return absl::OkStatus();
}

}  // namespace memwall
