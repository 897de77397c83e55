#include "common/names.h"

#include "gtest/gtest.h"

namespace memwall {
namespace {

TEST(NamesTest, EditDistance) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("GPT", "gpt"), 0);
}

TEST(NamesTest, SuggestsNearest) {
  EXPECT_EQ(NearestName("gpt3", {"gpt2-xl", "gpt3-175b", "llama3-8b"}),
            "gpt2-xl");
  EXPECT_EQ(NearestName("gpt3-175", {"gpt2-xl", "gpt3-175b", "llama3-8b"}),
            "gpt3-175b");
  EXPECT_EQ(UnknownNameMessage("model", "lama3-8b", {"llama3-8b", "t5-3b"}),
            "unknown model 'lama3-8b' (did you mean 'llama3-8b'?)");
}

}  // namespace
}  // namespace memwall
