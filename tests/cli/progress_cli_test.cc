// `memwall plan`'s progress line: on a terminal (a pseudo-terminal from
// script(1)), never in a pipe, under CI or for JSON. The one-second delay is
// set to zero (MEMWALL_PROGRESS_DELAY_S) so that a small search shows it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/testing/run_command.h"

namespace memwall {
namespace {

using ::memwall::testing::RunCommand;
using ::testing::HasSubstr;
using ::testing::Not;

const char kPlan[] =
    " plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 "
    "--global_batch=512 --threads=1";

// `command` on a pseudo-terminal, stdout to /dev/null: what reaches the
// terminal is stderr.
testing::CommandResult OnTerminal(const std::string& env,
                                  const std::string& args) {
  return RunCommand("env -u CI TERM=xterm MEMWALL_PROGRESS_DELAY_S=0 " + env +
                    " script -qec '" + std::string(MEMWALL_BIN) + args +
                    " > /dev/null' /dev/null");
}

TEST(ProgressCliTest, SilentInAPipe) {
  const auto r = RunCommand("MEMWALL_PROGRESS_DELAY_S=0 " +
                            std::string(MEMWALL_BIN) + kPlan);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, Not(HasSubstr("searching layouts")));
  EXPECT_THAT(r.output, Not(HasSubstr("\r")));
}

TEST(ProgressCliTest, ShownOnATerminalOnlyForPeople) {
  if (RunCommand("command -v script").exit_code != 0) {
    GTEST_SKIP() << "script(1) is not installed: no pseudo-terminal to test";
  }
  auto r = OnTerminal("", kPlan);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("\rsearching layouts: "));
  EXPECT_THAT(r.output, HasSubstr(" degree tuples (100%)"));
  // Not under CI, and not for machine-readable output.
  r = OnTerminal("CI=true", kPlan);
  EXPECT_THAT(r.output, Not(HasSubstr("searching layouts")));
  r = OnTerminal("", std::string(kPlan) + " --format=json");
  EXPECT_THAT(r.output, Not(HasSubstr("searching layouts")));
}

}  // namespace
}  // namespace memwall
