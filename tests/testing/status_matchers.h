// GoogleTest helpers for absl::Status (Debian 12's Abseil ships no matchers).
#ifndef MEMWALL_TESTS_TESTING_STATUS_MATCHERS_H_
#define MEMWALL_TESTS_TESTING_STATUS_MATCHERS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace memwall::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

// EXPECT_THAT(f(), StatusIs(absl::StatusCode::kInvalidArgument,
// HasSubstr("tp=3")));
MATCHER_P2(StatusIs, code, message_matcher, "") {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code &&
         ::testing::ExplainMatchResult(
             message_matcher, std::string(s.message()), result_listener);
}

MATCHER(IsOk, "") {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s;
  return s.ok();
}

}  // namespace memwall::testing

#define MEMWALL_ASSERT_OK_AND_ASSIGN(lhs, expr)                 \
  auto MEMWALL_STATUS_CONCAT_(statusor_, __LINE__) = (expr);    \
  ASSERT_TRUE(MEMWALL_STATUS_CONCAT_(statusor_, __LINE__).ok()) \
      << MEMWALL_STATUS_CONCAT_(statusor_, __LINE__).status();  \
  lhs = std::move(MEMWALL_STATUS_CONCAT_(statusor_, __LINE__)).value()

#endif  // MEMWALL_TESTS_TESTING_STATUS_MATCHERS_H_
