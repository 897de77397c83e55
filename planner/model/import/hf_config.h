// Hugging Face transformers config.json -> ModelSpec. The file is read by its
// model_type; every field that changes parameters, FLOPs or memory is mapped
// (docs/import.md has the table), fields that change nothing are listed in the
// model's notes, and values memwall cannot represent are refused naming the
// field. JSON is parsed by protobuf's JSON parser (google.protobuf.Struct).
#ifndef MEMWALL_PLANNER_MODEL_IMPORT_HF_CONFIG_H_
#define MEMWALL_PLANNER_MODEL_IMPORT_HF_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/model.pb.h"

namespace memwall {

struct HfImport {
  ModelSpec model;
  // Fields of the file that change no count (rope_theta, token ids, ...).
  std::vector<std::string> ignored;
};

// `source` names the file in messages. InvalidArgument (exit 2) for malformed
// JSON, a non-object, a wrong type, a missing required field, a size out of
// range or an unknown model_type; Unimplemented for a known field whose value
// memwall cannot represent.
absl::StatusOr<HfImport> ImportHfConfig(const std::string& json,
                                        const std::string& source);

// The model_type values understood, sorted.
std::vector<std::string> HfModelTypes();

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_IMPORT_HF_CONFIG_H_
