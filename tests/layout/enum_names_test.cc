// Flag names of proto enums come from the enums themselves.
#include "common/enum_names.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/training.pb.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

TEST(EnumNames, PrefixDroppedAndLowerCased) {
  EXPECT_EQ(EnumName(RECOMPUTE_SELECTIVE), "selective");
  EXPECT_EQ(EnumName(RECOMPUTE_UNSPECIFIED), "none");
  EXPECT_EQ(EnumName(OFFLOAD_PARAMS), "params");
  EXPECT_EQ(EnumName(SGD_MOMENTUM), "sgd_momentum");
  EXPECT_EQ(EnumName(BF16), "bf16");
  EXPECT_EQ(EnumName(PROFILE_DEEPSPEED), "deepspeed");
}

TEST(EnumNames, ParseListsTheChoices) {
  EXPECT_EQ(*ParseEnum<Recompute>("recompute", "FULL"), RECOMPUTE_FULL);
  EXPECT_EQ(*ParseEnum<Optimizer>("optimizer", "adamw", {{"adamw", ADAM}}),
            ADAM);
  EXPECT_THAT(ParseEnum<Recompute>("recompute", "some"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--recompute=some is not one of none, "
                                 "selective, full")));
  EXPECT_THAT(ParseEnum<Dtype>("dtype", "unspecified"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("fp32, bf16, fp16, fp8")));
}

}  // namespace
}  // namespace memwall
