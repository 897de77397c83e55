#include "common/flags.h"

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
                        "--sequence_parallel", "--max_bytes=1G", "pos"});
  EXPECT_EQ(*f.GetInt("tp", 1), 8);
  EXPECT_EQ(*f.GetInt("seq_len", 0), 2000);
  EXPECT_DOUBLE_EQ(*f.GetDouble("ratio", 0), 0.8);
  EXPECT_TRUE(*f.GetBool("sequence_parallel", false));
  EXPECT_EQ(*f.GetBytes("max_bytes", 0), int64_t{1} << 30);
  EXPECT_EQ(*f.GetInt("pp", 7), 7);
  ASSERT_EQ(f.positional().size(), 1u);
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

}  // namespace
}  // namespace memwall
