#include "common/report_check.h"

#include <cmath>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace memwall {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsQuantity(const std::string& name) {
  return absl::EndsWith(name, "_bytes") || absl::EndsWith(name, "_s") ||
         absl::EndsWith(name, "_flops") || name == "mfu" || name == "hfu" ||
         name == "params";
}

absl::Status CheckNumber(const std::string& path, const std::string& name,
                         double value) {
  if (!std::isfinite(value)) {
    return absl::InternalError(
        absl::StrCat(path, "=", value, " is not finite"));
  }
  if (value < 0 && IsQuantity(name)) {
    return absl::InternalError(absl::StrCat(path, "=", value, " is negative"));
  }
  return absl::OkStatus();
}

absl::Status CheckMessage(const Message& m, const std::string& prefix);

// The value of `field` (element `index` when repeated, -1 otherwise).
// `name` decides whether the value is a quantity.
absl::Status CheckValue(const Message& m, const FieldDescriptor* f, int index,
                        const std::string& path, const std::string& name) {
  const Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return CheckNumber(
          path, name,
          rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return CheckNumber(
          path, name,
          rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return CheckNumber(
          path, name,
          static_cast<double>(rep ? r->GetRepeatedInt64(m, f, index)
                                  : r->GetInt64(m, f)));
    case FieldDescriptor::CPPTYPE_INT32:
      return CheckNumber(
          path, name,
          rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return CheckMessage(
          rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f), path);
    default:
      return absl::OkStatus();
  }
}

absl::Status CheckMessage(const Message& m, const std::string& prefix) {
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string path =
        prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (f->is_map()) {
      // Map entries are messages {key, value}; name them by their key.
      const FieldDescriptor* value = f->message_type()->map_value();
      const FieldDescriptor* key = f->message_type()->map_key();
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        const Message& entry = r->GetRepeatedMessage(m, f, i);
        const std::string key_text =
            key->cpp_type() == FieldDescriptor::CPPTYPE_STRING
                ? entry.GetReflection()->GetString(entry, key)
                : std::to_string(i);
        // A value is judged by the map's name (its own is "value").
        const std::string entry_path = absl::StrCat(path, "[", key_text, "]");
        if (value->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          if (absl::Status s = CheckMessage(
                  entry.GetReflection()->GetMessage(entry, value), entry_path);
              !s.ok()) {
            return s;
          }
        } else if (absl::Status s =
                       CheckValue(entry, value, -1, entry_path, f->name());
                   !s.ok()) {
          return s;
        }
      }
      continue;
    }
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        if (absl::Status s =
                CheckValue(m, f, i, absl::StrCat(path, "[", i, "]"), f->name());
            !s.ok()) {
          return s;
        }
      }
    } else if (absl::Status s = CheckValue(m, f, -1, path, f->name());
               !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckReportValues(const google::protobuf::Message& report) {
  return CheckMessage(report, "");
}

}  // namespace memwall
