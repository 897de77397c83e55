#include "common/zoo.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/embedded.h"
#include "common/status.h"
#include "common/textproto.h"

namespace memwall {

extern const EmbeddedFile kModelZoo[];
extern const int kModelZoo_count;
extern const EmbeddedFile kClusterZoo[];
extern const int kClusterZoo_count;

namespace {

struct Table {
  const EmbeddedFile* files;
  int count;
};

Table TableOf(ZooKind kind) {
  return kind == ZooKind::kModel ? Table{kModelZoo, kModelZoo_count}
                                 : Table{kClusterZoo, kClusterZoo_count};
}

}  // namespace

std::vector<std::string> TextZooNames(ZooKind kind) {
  const Table t = TableOf(kind);
  std::vector<std::string> names;
  for (int i = 0; i < t.count; ++i) names.push_back(t.files[i].name);
  std::sort(names.begin(), names.end());
  return names;
}

const char* FindTextZoo(ZooKind kind, const std::string& name) {
  const Table t = TableOf(kind);
  for (int i = 0; i < t.count; ++i) {
    if (name == t.files[i].name) return t.files[i].text;
  }
  return nullptr;
}

bool LooksLikePath(const std::string& name_or_path) {
  return absl::StrContains(name_or_path, '/') ||
         absl::EndsWith(name_or_path, ".textproto") ||
         absl::EndsWith(name_or_path, ".txtpb") ||
         absl::EndsWith(name_or_path, ".pbtxt");
}

absl::Status LoadTextSpec(ZooKind kind, const std::string& name_or_path,
                          google::protobuf::Message* out) {
  if (LooksLikePath(name_or_path)) {
    std::string text;
    MEMWALL_RETURN_IF_ERROR(ReadFile(name_or_path, &text));
    return MergeTextProto(text, name_or_path, out);
  }
  const char* text = FindTextZoo(kind, name_or_path);
  if (text == nullptr) return absl::NotFoundError("");
  const char* dir = kind == ZooKind::kModel ? "models/" : "clusters/";
  return MergeTextProto(text, absl::StrCat(dir, name_or_path, ".textproto"),
                        out);
}

absl::Status ApplyOverrides(const std::vector<std::string>& sets,
                            google::protobuf::Message* out) {
  for (const std::string& set : sets) {
    MEMWALL_RETURN_IF_ERROR(MergeTextProto(set, "--set", out));
  }
  return absl::OkStatus();
}

}  // namespace memwall
