#include "common/flags.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

Flags ParseOrDie(std::vector<const char*> args) {
  auto flags = Flags::Parse(static_cast<int>(args.size()), args.data(), 0);
  EXPECT_TRUE(flags.ok());
  return *flags;
}

TEST(FlagsTest, ReadsTypedValues) {
  Flags f = ParseOrDie({"--tp=8", "--seq-len=2K", "--ratio=0.8",
                        "--sequence_parallel", "--max_bytes=1G"});
  EXPECT_EQ(*f.GetInt("tp", 1), 8);
  EXPECT_EQ(*f.GetInt("seq_len", 0), 2000);
  EXPECT_DOUBLE_EQ(*f.GetDouble("ratio", 0), 0.8);
  EXPECT_TRUE(*f.GetBool("sequence_parallel", false));
  EXPECT_EQ(*f.GetBytes("max_bytes", 0), int64_t{1} << 30);
  EXPECT_EQ(*f.GetInt("pp", 7), 7);
  EXPECT_TRUE(f.CheckNoUnknown("memory").ok());
}

TEST(FlagsTest, RejectsMalformedValuesNamingFlagAndValue) {
  Flags f = ParseOrDie({"--tp=abc", "--dp=1.5", "--x=maybe", "--y"});
  EXPECT_THAT(f.GetInt("tp", 1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--tp=abc is not an integer")));
  EXPECT_THAT(f.GetInt("dp", 1), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("--dp=1.5")));
  EXPECT_THAT(
      f.GetBool("x", false),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--x=maybe")));
  EXPECT_THAT(f.GetInt("y", 1), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("--y needs a value")));
}

// Plain integers are exact across the whole int64 range (not rounded through a
// double); beyond it, or beyond 9e18 with a suffix, the value is out of range.
TEST(FlagsTest, LargeIntegersAreExactOrOutOfRange) {
  Flags f = ParseOrDie({"--a=9007199254740993", "--b=9223372036854775807",
                        "--c=9223372036854775808", "--d=10000000T", "--e=2K"});
  EXPECT_EQ(*f.GetInt("a", 0), int64_t{9007199254740993});
  EXPECT_EQ(*f.GetInt("b", 0), int64_t{9223372036854775807});
  EXPECT_THAT(f.GetInt("c", 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--c=9223372036854775808 is out of range")));
  EXPECT_THAT(f.GetInt("d", 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--d=10000000T is out of range")));
  EXPECT_EQ(*f.GetInt("e", 0), 2000);
}

TEST(FlagsTest, UnknownFlagSuggestsNearest) {
  Flags f = ParseOrDie({"--tpp=8"});
  (void)f.GetInt("tp", 1);
  (void)f.GetInt("pp", 1);
  EXPECT_THAT(
      f.CheckNoUnknown("memory"),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          HasSubstr("unknown flag --tpp for 'memory' (did you mean --tp")));
}

TEST(FlagsTest, RepeatedFlagsKeepOrder) {
  Flags f = ParseOrDie({"--set=a: 1", "--set=b: 2"});
  EXPECT_THAT(f.GetAll("set"), ::testing::ElementsAre("a: 1", "b: 2"));
}

// A word without "--" used to be dropped, so "tp=8" planned tp=1.
TEST(FlagsTest, RejectsWordsThatAreNotFlags) {
  for (std::vector<const char*> args :
       {std::vector<const char*>{"--model=gpt3-175b", "tp=8"},
        std::vector<const char*>{"--"}, std::vector<const char*>{"-tp=8"}}) {
    auto f = Flags::Parse(static_cast<int>(args.size()), args.data(), 0);
    EXPECT_THAT(f, StatusIs(absl::StatusCode::kInvalidArgument,
                            HasSubstr("unexpected argument")));
  }
  const char* args[] = {"tp=8"};
  EXPECT_THAT(Flags::Parse(1, args, 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'tp=8': flags start with -- (did you mean "
                                 "--tp=8?)")));
}

// A repeated single-valued flag used to keep its last value silently.
TEST(FlagsTest, RejectsRepeatedSingleValuedFlags) {
  Flags f =
      ParseOrDie({"--tp=8", "--tp=4", "--flag", "--flag=false", "--name=a",
                  "--name=b", "--r=1", "--r=2", "--b=1", "--b=2K"});
  const auto repeated = [](const char* name) {
    return StatusIs(
        absl::StatusCode::kInvalidArgument,
        HasSubstr(absl::StrCat("--", name, " is given 2 times; give it once")));
  };
  EXPECT_THAT(f.GetInt("tp", 1), repeated("tp"));
  EXPECT_THAT(f.GetBool("flag", false), repeated("flag"));
  EXPECT_THAT(f.GetString("name", ""), repeated("name"));
  EXPECT_THAT(f.GetDouble("r", 0), repeated("r"));
  EXPECT_THAT(f.GetBytes("b", 0), repeated("b"));
}

}  // namespace
}  // namespace memwall
