// Published (or a user's own) measured training runs, read from text protos
// (proto/validation.proto): the embedded validation/ folder, a directory of
// files, or one file. Each row is checked before use; errors name the file, the
// row and the field ("validation/x.textproto: runs[3] (name):
// layout.tp=3 ..."). `memwall validate` and `memwall calibrate` read the same
// rows.
#ifndef MEMWALL_PLANNER_VALIDATION_RUNS_H_
#define MEMWALL_PLANNER_VALIDATION_RUNS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/model.pb.h"
#include "proto/validation.pb.h"

namespace memwall {

struct LoadedRun {
  ValidationRun run;
  std::string file;        // "validation/nemo-2407-pretraining.textproto"
  int index = 0;           // position in its file
  std::string source_key;  // run.source_key, else the file's stem
  ModelSpec model;         // resolved from the zoo or inline
};

// "FILE: runs[I] (NAME)", the prefix of every error about a row.
std::string RowLabel(const LoadedRun& run);

// Parses the rows of one text (file name `file` for errors), resolves and
// checks each (CheckRun).
absl::StatusOr<std::vector<LoadedRun>> ParseRuns(const std::string& text,
                                                 const std::string& file);

// `path` empty: every embedded validation/ file; a directory: each *.textproto
// in it, sorted; otherwise one file. InvalidArgument when there are no rows, or
// two rows share a name, or two rows describe the same run with different
// measurements (CheckRuns).
absl::StatusOr<std::vector<LoadedRun>> LoadRuns(const std::string& path);

// A row on its own: model (zoo name xor inline), cluster, gpus, training,
// layout (ValidateLayout against the model and gpus), stack, exactly one
// measured figure and the fields its FLOP formula needs.
absl::Status CheckRun(const LoadedRun& run);

// Rows together: names unique; the same configuration (model, cluster,
// training, layout, stack, precision) measured twice must agree within 10%.
absl::Status CheckRuns(const std::vector<LoadedRun>& runs);

// Keeps the rows whose source_key or file stem equals `source` (all when
// empty); InvalidArgument listing the known keys when none does.
absl::StatusOr<std::vector<LoadedRun>> FilterRuns(std::vector<LoadedRun> runs,
                                                  const std::string& source);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_VALIDATION_RUNS_H_
