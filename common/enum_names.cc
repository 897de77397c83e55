#include "common/enum_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"

namespace memwall {
namespace {

// "Recompute" -> "RECOMPUTE_"; "Dtype" -> "DTYPE_".
std::string Prefix(const google::protobuf::EnumDescriptor* d) {
  std::string out;
  for (char c : d->name()) {
    if (absl::ascii_isupper(c) && !out.empty()) out += '_';
    out += absl::ascii_toupper(c);
  }
  return out + "_";
}

}  // namespace

std::vector<std::pair<std::string, int>> EnumNames(
    const google::protobuf::EnumDescriptor* d) {
  std::vector<std::pair<std::string, int>> out;
  const std::string prefix = Prefix(d);
  for (int i = 0; i < d->value_count(); ++i) {
    std::string name(d->value(i)->name());
    if (absl::EndsWith(name, "_UNSPECIFIED")) continue;
    if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
    out.emplace_back(absl::AsciiStrToLower(name), d->value(i)->number());
  }
  return out;
}

std::string EnumName(const google::protobuf::EnumDescriptor* d, int value) {
  std::string fallback = "unspecified";
  for (const auto& [name, v] : EnumNames(d)) {
    if (v == value) return name;
    if (name == "none") fallback = name;
  }
  return fallback;
}

absl::StatusOr<int> ParseEnum(
    const google::protobuf::EnumDescriptor* d, const std::string& flag,
    const std::string& text,
    const std::vector<std::pair<std::string, int>>& aliases) {
  const std::string lower = absl::AsciiStrToLower(text);
  std::vector<std::string> names;
  for (const auto& [name, v] : EnumNames(d)) {
    if (name == lower) return v;
    names.push_back(name);
  }
  for (const auto& [name, v] : aliases) {
    if (name == lower) return v;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--", flag, "=", text, " is not one of ", absl::StrJoin(names, ", ")));
}

}  // namespace memwall
