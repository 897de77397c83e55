// `memwall plan`'s progress line: on a terminal (a pseudo-terminal from
// script(1)) for a search longer than a second, never in a pipe or under CI.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "tests/testing/run_command.h"

namespace memwall {
namespace {

using ::memwall::testing::RunCommand;
using ::testing::HasSubstr;
using ::testing::Not;

// A search of several seconds on one thread.
const char kPlan[] =
    " plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=4096 "
    "--global_batch=1536 --seq_len=2048 --threads=1";

TEST(ProgressCliTest, SilentInAPipe) {
  const auto r = RunCommand(std::string(MEMWALL_BIN) + kPlan);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, Not(HasSubstr("searching layouts")));
  EXPECT_THAT(r.output, Not(HasSubstr("\r")));
}

TEST(ProgressCliTest, ShownOnATerminal) {
  if (RunCommand("command -v script").exit_code != 0) {
    GTEST_SKIP() << "script(1) is not installed: no pseudo-terminal to test";
  }
  const std::string out = ::testing::TempDir() + "/plan_on_tty.txt";
  const auto r = RunCommand("env -u CI TERM=xterm script -qec '" +
                            std::string(MEMWALL_BIN) + kPlan + " > " + out +
                            "' /dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(out);
  std::stringstream table;
  table << in.rdbuf();
  std::smatch m;
  const std::string t = table.str();
  ASSERT_TRUE(std::regex_search(t, m, std::regex("fit; ([0-9.]+) s on"))) << t;
  if (std::atof(m[1].str().c_str()) < 1.2) {
    GTEST_SKIP() << "the search took " << m[1]
                 << " s, too quick for the one-second progress delay";
  }
  EXPECT_THAT(r.output, HasSubstr("\rsearching layouts: "));
  EXPECT_THAT(r.output, HasSubstr("degree tuples"));
  // The table itself has no progress in it.
  EXPECT_THAT(t, Not(HasSubstr("searching layouts")));
}

}  // namespace
}  // namespace memwall
