#include "common/flags.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/names.h"
#include "common/status.h"
#include "common/units.h"

namespace memwall {

absl::StatusOr<Flags> Flags::Parse(int argc, const char* const* argv,
                                   int first) {
  Flags flags;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      // A word without "--" used to be dropped silently, so that "tp=8"
      // planned tp=1: every word must be a flag.
      std::string message =
          absl::StrCat("unexpected argument '", arg, "': flags start with --");
      if (arg.size() > 2 && arg[0] != '-')
        absl::StrAppend(&message, " (did you mean --", arg, "?)");
      return absl::InvalidArgumentError(message);
    }
    const size_t eq = arg.find('=');
    std::string name =
        arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name.empty())
      return absl::InvalidArgumentError(
          absl::StrCat("malformed flag '", arg, "'"));
    for (char& c : name) {
      if (c == '-')
        c = '_';  // --micro-batch and --micro_batch are the same flag
    }
    if (eq == std::string::npos) value = "\x01";  // present without a value
    if (!flags.values_.count(name)) flags.order_.push_back(name);
    flags.values_[name].push_back(value);
  }
  return flags;
}

bool Flags::Has(const std::string& name) const {
  asked_.insert(name);
  return values_.count(name) > 0;
}

absl::StatusOr<const std::string*> Flags::Single(
    const std::string& name) const {
  asked_.insert(name);
  auto it = values_.find(name);
  if (it == values_.end()) return nullptr;
  if (it->second.size() > 1) {
    // Only --set-style flags (read with GetAll) may repeat; keeping the last
    // of two values would silently discard one.
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, " is given ", it->second.size(), " times; give it once"));
  }
  return &it->second.back();
}

static absl::Status NeedsValue(const std::string& name) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", name, " needs a value (--", name, "=...)"));
}

absl::StatusOr<std::string> Flags::GetString(
    const std::string& name, const std::string& fallback) const {
  MEMWALL_ASSIGN_OR_RETURN(const std::string* v, Single(name));
  if (v == nullptr) return fallback;
  if (*v == "\x01") return NeedsValue(name);
  return *v;
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  asked_.insert(name);
  auto it = values_.find(name);
  if (it == values_.end()) return {};
  return it->second;
}

absl::StatusOr<std::optional<int64_t>> Flags::GetOptionalInt(
    const std::string& name) const {
  MEMWALL_ASSIGN_OR_RETURN(const std::string* v, Single(name));
  if (v == nullptr) return std::optional<int64_t>();
  if (*v == "\x01") return NeedsValue(name);
  const std::string& s = *v;
  int64_t exact = 0;
  if (absl::SimpleAtoi(s, &exact)) return std::optional<int64_t>(exact);
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(s.c_str(), &end);
  std::string suffix = end == nullptr ? "" : end;
  double scale = 1;
  if (suffix == "K")
    scale = 1e3;
  else if (suffix == "M")
    scale = 1e6;
  else if (suffix == "G" || suffix == "B")
    scale = 1e9;
  else if (suffix == "T")
    scale = 1e12;
  else if (!suffix.empty())
    scale = 0;
  value *= scale;
  if (s.empty() || end == s.c_str() || scale == 0 ||
      (errno != 0 && errno != ERANGE) || std::isnan(value) ||
      value != std::floor(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, "=", s, " is not an integer"));
  }
  if (errno == ERANGE || std::fabs(value) > 9.0e18) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, "=", s, " is out of range (at most 9e18 in magnitude)"));
  }
  return std::optional<int64_t>(static_cast<int64_t>(value));
}

absl::StatusOr<int64_t> Flags::GetInt(const std::string& name,
                                      int64_t fallback) const {
  auto v = GetOptionalInt(name);
  if (!v.ok()) return v.status();
  return v->value_or(fallback);
}

absl::StatusOr<double> Flags::GetDouble(const std::string& name,
                                        double fallback) const {
  MEMWALL_ASSIGN_OR_RETURN(const std::string* v, Single(name));
  if (v == nullptr) return fallback;
  if (*v == "\x01") return NeedsValue(name);
  char* end = nullptr;
  const double value = std::strtod(v->c_str(), &end);
  if (v->empty() || *end != '\0' || !std::isfinite(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, "=", *v, " is not a number"));
  }
  return value;
}

absl::StatusOr<bool> Flags::GetBool(const std::string& name,
                                    bool fallback) const {
  MEMWALL_ASSIGN_OR_RETURN(const std::string* v, Single(name));
  if (v == nullptr) return fallback;
  if (*v == "\x01" || *v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  return absl::InvalidArgumentError(
      absl::StrCat("--", name, "=", *v, " is not a boolean (true or false)"));
}

absl::StatusOr<int64_t> Flags::GetBytes(const std::string& name,
                                        int64_t fallback) const {
  MEMWALL_ASSIGN_OR_RETURN(const std::string* v, Single(name));
  if (v == nullptr) return fallback;
  if (*v == "\x01") return NeedsValue(name);
  const int64_t bytes = ParseByteSize(*v);
  if (bytes < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, "=", *v, " is not a byte size (e.g. 8, 1K, 64M, 1G)"));
  }
  return bytes;
}

absl::Status Flags::CheckNoUnknown(const std::string& command) const {
  std::vector<std::string> known(asked_.begin(), asked_.end());
  for (const std::string& name : order_) {
    if (asked_.count(name)) continue;
    std::string message =
        absl::StrCat("unknown flag --", name, " for '", command, "'");
    const std::string nearest = NearestName(name, known);
    if (!nearest.empty())
      absl::StrAppend(&message, " (did you mean --", nearest, "?)");
    return absl::InvalidArgumentError(message);
  }
  return absl::OkStatus();
}

}  // namespace memwall
