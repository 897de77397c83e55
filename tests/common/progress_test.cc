// The progress line: silent before its delay and when disabled, one
// carriage-return line per update, erased at the end.
#include "common/progress.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>
#include <string>

namespace memwall {
namespace {

TEST(ProgressTest, DisabledPrintsNothing) {
  Progress p("work", nullptr, 0);
  p.Update(1, 2, "items");
  p.Clear();
  SUCCEED();
}

TEST(ProgressTest, SilentBeforeTheDelay) {
  std::ostringstream out;
  {
    Progress p("work", &out, 3600);
    p.Update(1, 2, "items");
  }
  EXPECT_EQ(out.str(), "");
}

TEST(ProgressTest, OneLineRewrittenThenErased) {
  std::ostringstream out;
  {
    Progress p("search", &out, 0);
    p.Update(1, 4, "tuples");
    p.Update(4, 4, "tuples");  // the last update is never throttled
  }
  const std::string s = out.str();
  EXPECT_EQ(s.rfind("\rsearch: 1/4 tuples (25%), ", 0), 0u) << s;
  EXPECT_NE(s.find("\rsearch: 4/4 tuples (100%), "), std::string::npos) << s;
  EXPECT_EQ(s.find('\n'), std::string::npos);  // never scrolls the terminal
  // Erased: the output ends with a carriage return after blanks.
  ASSERT_GE(s.size(), 2u);
  EXPECT_EQ(s.back(), '\r');
  EXPECT_EQ(s[s.size() - 2], ' ');
}

TEST(ProgressTest, NotInteractiveUnderCi) {
  const char* was = std::getenv("CI");
  const std::string saved = was ? was : "";
  setenv("CI", "true", 1);
  EXPECT_FALSE(Progress::StderrIsInteractive());
  EXPECT_EQ(Progress::StderrIf(true), nullptr);
  if (was) {
    setenv("CI", saved.c_str(), 1);
  } else {
    unsetenv("CI");
  }
  EXPECT_EQ(Progress::StderrIf(false), nullptr);
}

}  // namespace
}  // namespace memwall
