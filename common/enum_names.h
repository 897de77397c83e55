// The names of proto enum values as flags and reports spell them, derived from
// the enums themselves: the enum's own prefix dropped and lower-cased
// (RECOMPUTE_FULL -> "full", SGD_MOMENTUM -> "sgd_momentum"), *_UNSPECIFIED
// left out. One table per enum, so a value added to a .proto is a flag value
// everywhere at once.
#ifndef MEMWALL_COMMON_ENUM_NAMES_H_
#define MEMWALL_COMMON_ENUM_NAMES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace memwall {

// (name, value) for every named value of the enum, in declaration order.
std::vector<std::pair<std::string, int>> EnumNames(
    const google::protobuf::EnumDescriptor* descriptor);

// The flag name of `value` ("none" for an unset value when the enum has a
// NONE value, else "unspecified").
std::string EnumName(const google::protobuf::EnumDescriptor* descriptor,
                     int value);

// Parses `text` (case-insensitive; `aliases` are extra (name, value) pairs)
// for --`flag`; InvalidArgument listing the names otherwise.
absl::StatusOr<int> ParseEnum(
    const google::protobuf::EnumDescriptor* descriptor, const std::string& flag,
    const std::string& text,
    const std::vector<std::pair<std::string, int>>& aliases = {});

template <typename E>
std::string EnumName(E value) {
  return EnumName(google::protobuf::GetEnumDescriptor<E>(),
                  static_cast<int>(value));
}

template <typename E>
absl::StatusOr<E> ParseEnum(
    const std::string& flag, const std::string& text,
    const std::vector<std::pair<std::string, int>>& aliases = {}) {
  absl::StatusOr<int> v =
      ParseEnum(google::protobuf::GetEnumDescriptor<E>(), flag, text, aliases);
  if (!v.ok()) return v.status();
  return static_cast<E>(*v);
}

}  // namespace memwall

#endif  // MEMWALL_COMMON_ENUM_NAMES_H_
