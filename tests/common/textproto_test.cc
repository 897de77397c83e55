#include "common/textproto.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

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

// A model or cluster path must name a regular file of bounded size: /dev/zero
// used to be read without limit, a FIFO hung, and a directory or empty file
// parsed as an empty model.
class ReadFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/memwall-readfile-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override {
    for (const char* name : {"/fifo", "/empty", "/small"})
      ::unlink((dir_ + name).c_str());
    ::rmdir(dir_.c_str());
  }
  std::string dir_;
};

TEST_F(ReadFileTest, RefusesWhatIsNotABoundedRegularFile) {
  const std::string fifo = dir_ + "/fifo", empty = dir_ + "/empty",
                    small = dir_ + "/small";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::ofstream(empty).close();
  std::ofstream(small) << "name: \"x\"\n";
  std::string text;
  struct Case {
    std::string path;
    int64_t limit;
    absl::StatusCode code;
    std::string message;
  };
  const Case cases[] = {
      {dir_, kMaxSpecFileBytes, absl::StatusCode::kInvalidArgument,
       "'" + dir_ + "' is not a regular file (a directory)"},
      {fifo, kMaxSpecFileBytes, absl::StatusCode::kInvalidArgument,
       "'" + fifo + "' is not a regular file (a FIFO)"},
      {"/dev/zero", kMaxSpecFileBytes, absl::StatusCode::kInvalidArgument,
       "'/dev/zero' is not a regular file (a character device)"},
      {empty, kMaxSpecFileBytes, absl::StatusCode::kInvalidArgument,
       "file '" + empty + "' is empty"},
      {small, 4, absl::StatusCode::kInvalidArgument,
       "file '" + small + "' is 10 bytes, over the limit of 4"},
      {dir_ + "/missing", kMaxSpecFileBytes, absl::StatusCode::kNotFound,
       "cannot read file '" + dir_ + "/missing'"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(ReadFile(c.path, &text, c.limit),
                StatusIs(c.code, HasSubstr(c.message)))
        << c.path;
  }
  ASSERT_TRUE(ReadFile(small, &text).ok());
  EXPECT_EQ(text, "name: \"x\"\n");
}

}  // namespace
}  // namespace memwall
