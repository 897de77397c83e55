#include "planner/model/import/json_fields.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace memwall {
namespace {

// Sizes above 2^40 would overflow the int64 products of the counts.
constexpr double kMaxInt = 1099511627776.0;

// A short rendering of a JSON value for error messages.
std::string Render(const google::protobuf::Value& v) {
  switch (v.kind_case()) {
    case google::protobuf::Value::kNumberValue:
      return absl::StrCat(v.number_value());
    case google::protobuf::Value::kStringValue:
      return absl::StrCat("\"", v.string_value().substr(0, 40), "\"");
    case google::protobuf::Value::kBoolValue:
      return v.bool_value() ? "true" : "false";
    case google::protobuf::Value::kListValue:
      return "[...]";
    case google::protobuf::Value::kStructValue:
      return "{...}";
    default:
      return "null";
  }
}

// Deepest bracket nesting outside strings. protobuf's JSON parser slows down
// superlinearly with depth (seconds at 5,000 levels), so depth is bounded
// before parsing; real config.json files nest a few levels.
int MaxDepth(const std::string& json) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : json) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

constexpr int kMaxDepth = 64;
constexpr size_t kMaxBytes = size_t{64} << 20;

}  // namespace

absl::StatusOr<JsonFields> JsonFields::Parse(const std::string& json,
                                             const std::string& source) {
  JsonFields f;
  f.source_ = source;
  if (json.size() > kMaxBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, " has ", json.size(), " bytes, more than ",
                     kMaxBytes, " (not a config.json)"));
  }
  if (MaxDepth(json) > kMaxDepth) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, " nests more than ", kMaxDepth,
                     " levels of brackets (not a config.json)"));
  }
  // Parse as a Value first so that a valid JSON that is not an object is
  // reported as such.
  google::protobuf::Value value;
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, &value);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, " is not valid JSON: ", parsed.ToString().substr(0, 200)));
  }
  if (value.kind_case() != google::protobuf::Value::kStructValue) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, " must hold a JSON object (a config.json), not ",
                     Render(value)));
  }
  f.root_ = value.struct_value();
  return f;
}

const google::protobuf::Value* JsonFields::Find(const std::string& key) const {
  read_.insert(key);
  auto it = root_.fields().find(key);
  if (it == root_.fields().end() ||
      it->second.kind_case() == google::protobuf::Value::kNullValue) {
    return nullptr;
  }
  return &it->second;
}

bool JsonFields::Has(const std::string& key) const {
  return Find(key) != nullptr;
}

absl::Status JsonFields::Error(const std::string& key,
                               const google::protobuf::Value& v,
                               const std::string& why) const {
  return absl::InvalidArgumentError(
      absl::StrCat(source_, ": ", key, "=", Render(v), " ", why));
}

absl::StatusOr<std::optional<int64_t>> JsonFields::OptionalInt(
    const std::string& key, int64_t min) const {
  const google::protobuf::Value* v = Find(key);
  if (v == nullptr) return std::optional<int64_t>();
  if (v->kind_case() != google::protobuf::Value::kNumberValue ||
      v->number_value() != std::floor(v->number_value())) {
    return Error(key, *v, "must be a whole number");
  }
  if (v->number_value() < static_cast<double>(min) ||
      v->number_value() > kMaxInt) {
    return Error(key, *v,
                 absl::StrCat("must be in [", min, ", ", kMaxInt, "]"));
  }
  return std::optional<int64_t>(static_cast<int64_t>(v->number_value()));
}

absl::StatusOr<int64_t> JsonFields::RequiredInt(const std::string& key,
                                                int64_t min) const {
  auto value = OptionalInt(key, min);
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_, ": required field ", key, " is missing"));
  }
  return **value;
}

absl::StatusOr<double> JsonFields::OptionalNumber(const std::string& key,
                                                  double fallback) const {
  const google::protobuf::Value* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->kind_case() != google::protobuf::Value::kNumberValue) {
    return Error(key, *v, "must be a number");
  }
  return v->number_value();
}

absl::StatusOr<bool> JsonFields::OptionalBool(const std::string& key,
                                              bool fallback) const {
  const google::protobuf::Value* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->kind_case() != google::protobuf::Value::kBoolValue) {
    return Error(key, *v, "must be true or false");
  }
  return v->bool_value();
}

absl::StatusOr<std::string> JsonFields::OptionalString(
    const std::string& key, const std::string& fallback) const {
  const google::protobuf::Value* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->kind_case() != google::protobuf::Value::kStringValue) {
    return Error(key, *v, "must be a string");
  }
  return v->string_value();
}

absl::StatusOr<std::string> JsonFields::RequiredString(
    const std::string& key) const {
  if (Find(key) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_, ": required field ", key, " is missing"));
  }
  return OptionalString(key, "");
}

absl::StatusOr<std::vector<std::string>> JsonFields::StringList(
    const std::string& key) const {
  std::vector<std::string> out;
  const google::protobuf::Value* v = Find(key);
  if (v == nullptr) return out;
  if (v->kind_case() != google::protobuf::Value::kListValue) {
    return Error(key, *v, "must be a list of strings");
  }
  for (const google::protobuf::Value& item : v->list_value().values()) {
    if (item.kind_case() != google::protobuf::Value::kStringValue) {
      return Error(key, item, "must be a list of strings");
    }
    out.push_back(item.string_value());
  }
  return out;
}

absl::StatusOr<std::vector<int64_t>> JsonFields::IntList(
    const std::string& key) const {
  std::vector<int64_t> out;
  const google::protobuf::Value* v = Find(key);
  if (v == nullptr) return out;
  if (v->kind_case() != google::protobuf::Value::kListValue) {
    return Error(key, *v, "must be a list of whole numbers");
  }
  for (const google::protobuf::Value& item : v->list_value().values()) {
    if (item.kind_case() != google::protobuf::Value::kNumberValue ||
        item.number_value() != std::floor(item.number_value()) ||
        std::fabs(item.number_value()) > kMaxInt) {
      return Error(key, item, "must be a list of whole numbers");
    }
    out.push_back(static_cast<int64_t>(item.number_value()));
  }
  return out;
}

std::vector<std::string> JsonFields::Unread() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : root_.fields()) {
    if (read_.count(key) == 0) out.push_back(key);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace memwall
