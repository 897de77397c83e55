// Output format selection shared by the subcommands.
#ifndef MEMWALL_PLANNER_CLI_OUTPUT_H_
#define MEMWALL_PLANNER_CLI_OUTPUT_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/flags.h"
#include "google/protobuf/message.h"

namespace memwall {

enum class Format { kTable, kJson, kTextproto, kMarkdown, kHtml };

// --format=table|json|textproto (|markdown where `allow_markdown`, |html
// where `allow_html`).
absl::StatusOr<Format> GetFormat(const Flags& flags,
                                 bool allow_markdown = false,
                                 bool allow_html = false);

// Prints `message` as JSON or text proto; for kTable prints `table` instead.
// Both first check that every number in `message` is finite and every
// quantity non-negative (CheckReportValues): Internal naming the field
// otherwise, and nothing is printed.
absl::Status PrintReport(Format format,
                         const google::protobuf::Message& message,
                         const std::string& table);
// The same, and for kHtml prints what `html` returns (a self-contained page).
absl::Status PrintReport(Format format,
                         const google::protobuf::Message& message,
                         const std::string& table,
                         const std::function<std::string()>& html);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_CLI_OUTPUT_H_
