// Status propagation macros. Debian 12's Abseil (20220623) has none of its own.
#ifndef MEMWALL_COMMON_STATUS_H_
#define MEMWALL_COMMON_STATUS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define MEMWALL_STATUS_CONCAT_INNER_(a, b) a##b
#define MEMWALL_STATUS_CONCAT_(a, b) MEMWALL_STATUS_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the enclosing function when it is not OK.
#define MEMWALL_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    const absl::Status memwall_status_ = (expr);       \
    if (!memwall_status_.ok()) return memwall_status_; \
  } while (0)

// `MEMWALL_ASSIGN_OR_RETURN(auto x, StatusOrExpr());` assigns the value or
// returns the error.
#define MEMWALL_ASSIGN_OR_RETURN(lhs, expr) \
  MEMWALL_ASSIGN_OR_RETURN_IMPL_(           \
      MEMWALL_STATUS_CONCAT_(memwall_statusor_, __LINE__), lhs, expr)
#define MEMWALL_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) return statusor.status();             \
  lhs = std::move(statusor).value()

#endif  // MEMWALL_COMMON_STATUS_H_
