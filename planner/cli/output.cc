#include "planner/cli/output.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/report_check.h"
#include "common/status.h"
#include "common/textproto.h"

namespace memwall {

absl::StatusOr<Format> GetFormat(const Flags& flags, bool allow_markdown,
                                 bool allow_html) {
  auto value = flags.GetString("format", "table");
  if (!value.ok()) return value.status();
  if (*value == "table") return Format::kTable;
  if (*value == "json") return Format::kJson;
  if (*value == "textproto") return Format::kTextproto;
  if (allow_markdown && *value == "markdown") return Format::kMarkdown;
  if (allow_html && *value == "html") return Format::kHtml;
  return absl::InvalidArgumentError(absl::StrCat(
      "--format=", *value, " is not one of table, json, textproto",
      allow_markdown ? ", markdown" : "", allow_html ? ", html" : ""));
}

absl::Status PrintReport(Format format,
                         const google::protobuf::Message& message,
                         const std::string& table) {
  MEMWALL_RETURN_IF_ERROR(CheckReportValues(message));
  switch (format) {
    case Format::kJson:
      std::cout << ToJson(message);
      break;
    case Format::kTextproto:
      std::cout << ToTextProto(message);
      break;
    default:
      std::cout << table;
  }
  return absl::OkStatus();
}

absl::Status PrintReport(Format format,
                         const google::protobuf::Message& message,
                         const std::string& table,
                         const std::function<std::string()>& html) {
  if (format == Format::kHtml) {
    MEMWALL_RETURN_IF_ERROR(CheckReportValues(message));
    std::cout << html();
    return absl::OkStatus();
  }
  return PrintReport(format, message, table);
}

}  // namespace memwall
