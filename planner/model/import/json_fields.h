// Typed reads of a JSON object (a Hugging Face config.json) parsed by
// protobuf's JSON parser into google.protobuf.Struct. Every read names the
// field and the bad value in its error; the fields read are remembered so that
// the rest can be reported as ignored.
#ifndef MEMWALL_PLANNER_MODEL_IMPORT_JSON_FIELDS_H_
#define MEMWALL_PLANNER_MODEL_IMPORT_JSON_FIELDS_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/struct.pb.h"

namespace memwall {

class JsonFields {
 public:
  // Parses `json`; InvalidArgument naming `source` when it is not valid JSON
  // or not an object.
  static absl::StatusOr<JsonFields> Parse(const std::string& json,
                                          const std::string& source);

  bool Has(const std::string& key) const;  // present and not null

  // A whole number in [min, 2^40]; a missing or null field is an error
  // (Required...) or std::nullopt (Optional...).
  absl::StatusOr<int64_t> RequiredInt(const std::string& key,
                                      int64_t min = 1) const;
  absl::StatusOr<std::optional<int64_t>> OptionalInt(const std::string& key,
                                                     int64_t min = 1) const;
  absl::StatusOr<double> OptionalNumber(const std::string& key,
                                        double fallback) const;
  absl::StatusOr<bool> OptionalBool(const std::string& key,
                                    bool fallback) const;
  absl::StatusOr<std::string> RequiredString(const std::string& key) const;
  absl::StatusOr<std::string> OptionalString(const std::string& key,
                                             const std::string& fallback) const;
  // A list of strings (Hugging Face layer_types); empty when absent.
  absl::StatusOr<std::vector<std::string>> StringList(
      const std::string& key) const;
  // A list of whole numbers (mlp_only_layers); empty when absent.
  absl::StatusOr<std::vector<int64_t>> IntList(const std::string& key) const;

  // Marks fields that are known but change no count.
  void Ignore(const std::string& key) const { read_.insert(key); }
  // Fields present in the file that no read touched, sorted.
  std::vector<std::string> Unread() const;

  const std::string& source() const { return source_; }

 private:
  const google::protobuf::Value* Find(const std::string& key) const;
  absl::Status Error(const std::string& key, const google::protobuf::Value& v,
                     const std::string& why) const;

  google::protobuf::Struct root_;
  std::string source_;
  mutable std::set<std::string> read_;
};

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_IMPORT_JSON_FIELDS_H_
