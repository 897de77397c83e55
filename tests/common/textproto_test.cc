#include "common/textproto.h"

#include "common/zoo.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/cluster.pb.h"
#include "proto/model.pb.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

TEST(TextprotoTest, MalformedTextNamesLineAndColumn) {
  ModelSpec model;
  EXPECT_THAT(MergeTextProto("name: \"x\"\ntransformer {\n  num_layerz: 4\n}\n",
                             "my.textproto", &model),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("my.textproto:3:")));
}

TEST(TextprotoTest, OverridesMerge) {
  ModelSpec model;
  ASSERT_TRUE(
      MergeTextProto("transformer { num_layers: 96 hidden_size: 12288 }", "a",
                     &model)
          .ok());
  ASSERT_TRUE(ApplyOverrides({"transformer { num_layers: 4 }"}, &model).ok());
  EXPECT_EQ(model.transformer().num_layers(), 4);
  EXPECT_EQ(model.transformer().hidden_size(), 12288);
}

TEST(TextprotoTest, EmbeddedZooHasItsEntries) {
  EXPECT_NE(FindTextZoo(ClusterTextZoo(), "dgx-a100-80g"), nullptr);
  EXPECT_EQ(FindTextZoo(ClusterTextZoo(), "no-such-cluster"), nullptr);
  ClusterSpec cluster;
  ASSERT_TRUE(LoadTextSpec(ClusterTextZoo(), "dgx-a100-80g", &cluster).ok());
  EXPECT_EQ(cluster.gpus_per_node(), 8);
}

TEST(TextprotoTest, JsonKeepsProtoFieldNames) {
  ModelSpec model;
  model.mutable_transformer()->set_num_layers(2);
  EXPECT_THAT(ToJson(model), HasSubstr("\"num_layers\""));
}

}  // namespace
}  // namespace memwall
