// Command-line flags of the form --name=value, --name (booleans) and --name=a
// --name=b (repeated, for flags read with GetAll only). A word that is not a
// flag is an error, and so is a single-valued flag given twice. A command
// reads every flag it knows, then calls CheckNoUnknown(), which names any flag
// it did not read together with the nearest one it did.
#ifndef MEMWALL_COMMON_FLAGS_H_
#define MEMWALL_COMMON_FLAGS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace memwall {

class Flags {
 public:
  // Parses argv[first..argc). InvalidArgument for a word without a leading
  // "--" (naming it).
  static absl::StatusOr<Flags> Parse(int argc, const char* const* argv,
                                     int first);

  bool Has(const std::string& name) const;

  absl::StatusOr<std::string> GetString(const std::string& name,
                                        const std::string& fallback) const;
  // All values of a repeated flag, in order. The single-valued getters below
  // return InvalidArgument when their flag is given more than once.
  std::vector<std::string> GetAll(const std::string& name) const;
  // Integers accept a K/M/G/T suffix (x1e3..1e12) and scientific notation that
  // is integral.
  absl::StatusOr<int64_t> GetInt(const std::string& name,
                                 int64_t fallback) const;
  absl::StatusOr<std::optional<int64_t>> GetOptionalInt(
      const std::string& name) const;
  absl::StatusOr<double> GetDouble(const std::string& name,
                                   double fallback) const;
  // --name, --name=true|false|1|0.
  absl::StatusOr<bool> GetBool(const std::string& name, bool fallback) const;
  // Byte sizes: 8, 1K, 64M, 1G (powers of two), 80GB, 80GiB.
  absl::StatusOr<int64_t> GetBytes(const std::string& name,
                                   int64_t fallback) const;

  // InvalidArgument naming the first flag that no getter asked for.
  absl::Status CheckNoUnknown(const std::string& command) const;

 private:
  // The flag's one value, nullptr when absent, InvalidArgument when repeated.
  absl::StatusOr<const std::string*> Single(const std::string& name) const;

  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> order_;
  mutable std::set<std::string> asked_;
};

}  // namespace memwall

#endif  // MEMWALL_COMMON_FLAGS_H_
