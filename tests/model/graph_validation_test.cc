// Bad layer graphs: every error is InvalidArgument naming the layer; through
// the CLI, exit 2.
#include <string>

#include "common/status.h"
#include "common/zoo.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/model/graph.h"
#include "planner/model/zoo.h"
#include "tests/testing/run_command.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

struct BadCase {
  const char* file;
  const char* layer;
  const char* message;
};

class BadGraphTest : public ::testing::TestWithParam<BadCase> {
 protected:
  static std::string Path(const char* file) {
    return std::string(std::getenv("MEMWALL_SOURCE_DIR")) + "/tests/data/" +
           file;
  }
};

TEST_P(BadGraphTest, LibraryNamesTheLayer) {
  ModelSpec model;
  ASSERT_TRUE(LoadTextSpec(ModelTextZoo(), Path(GetParam().file), &model).ok());
  EXPECT_THAT(
      GraphLayerCosts(model, 0),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr(std::string("'") + GetParam().layer + "'"),
                     HasSubstr(GetParam().message))));
}

TEST_P(BadGraphTest, CliExitsTwoNamingTheLayer) {
  const auto r = ::memwall::testing::RunCommand(
      std::string(MEMWALL_BINARY) +
      " describe --model=" + Path(GetParam().file));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr(std::string("'") + GetParam().layer + "'"));
}

INSTANTIATE_TEST_SUITE_P(
    Files, BadGraphTest,
    ::testing::Values(
        BadCase{"graph_concat_mismatch.textproto", "join", "shape mismatch"},
        BadCase{"graph_add_mismatch.textproto", "residual", "shape mismatch"},
        BadCase{"graph_groups.textproto", "grouped", "groups=2 must divide"},
        BadCase{"graph_unknown_kind.textproto", "mystery",
                "unknown layer kind"},
        BadCase{"graph_cycle.textproto", "a", "cycle"},
        BadCase{"graph_unknown_input.textproto", "fc",
                "unknown input 'flatten'"}),
    [](const auto& info) {
      std::string n = info.param.file;
      n = n.substr(0, n.find('.'));
      return n;
    });

ModelSpec Tiny() {
  ModelSpec m;
  m.set_name("tiny");
  m.mutable_graph()->set_input_channels(3);
  m.mutable_graph()->set_image_size(8);
  return m;
}

TEST(GraphValidation, DuplicateNameAndKernelTooLarge) {
  ModelSpec m = Tiny();
  Layer* a = m.mutable_graph()->add_layers();
  a->set_name("c");
  a->set_kind(LAYER_CONV2D);
  a->set_out_features(4);
  a->set_kernel(9);
  EXPECT_THAT(GraphLayerCosts(m, 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("'c'"), HasSubstr("does not fit"))));
  *m.mutable_graph()->add_layers() = *a;
  EXPECT_THAT(
      GraphLayerCosts(m, 0),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("used twice")));
}

// Absurd sizes are input errors naming the field, never an overflow: a 1e12 x
// 1e12 linear layer would hold 1e24 parameters.
TEST(GraphValidation, AbsurdSizes) {
  ModelSpec m = Tiny();
  m.mutable_graph()->set_input_channels(1000000);
  m.mutable_graph()->set_image_size(1000000);  // 1e6 x 1e6 x 1e6 outputs: 1e18
  Layer* conv = m.mutable_graph()->add_layers();
  conv->set_name("huge");
  conv->set_kind(LAYER_CONV2D);
  conv->set_out_features(1000000);
  conv->set_kernel(1);
  EXPECT_THAT(
      GraphLayerCosts(m, 0),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'huge'")));
  ModelSpec t = Tiny();
  Layer* flat = t.mutable_graph()->add_layers();
  flat->set_name("flat");
  flat->set_kind(LAYER_FLATTEN);
  Layer* fc = t.mutable_graph()->add_layers();
  fc->set_name("fc");
  fc->set_kind(LAYER_LINEAR);
  fc->set_out_features(1000000000000);
  EXPECT_TRUE(GraphLayerCosts(t, 0).ok());  // 192 x 1e12 parameters fit
  fc->set_out_features(-4);
  EXPECT_THAT(GraphLayerCosts(t, 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("out_features=-4")));
  fc->set_out_features(1000);
  fc->set_kernel(2000000);
  EXPECT_THAT(GraphLayerCosts(t, 0),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("kernel=2000000")));
}

// Hand-computed costs of a conv -> bn -> relu(in place) -> maxpool -> flatten
// -> linear chain on a 3x8x8 input (PyTorch rules: conv saves its input (the
// batch, excluded), bn saves the conv output, relu saves its output, maxpool
// its input plus int64 indices, linear its input (a view of the pool output)).
TEST(GraphCounting, SmallChainByHand) {
  ModelSpec m = Tiny();
  auto add = [&](const char* name, GraphLayerKind kind) {
    Layer* l = m.mutable_graph()->add_layers();
    l->set_name(name);
    l->set_kind(kind);
    return l;
  };
  Layer* conv = add("conv", LAYER_CONV2D);
  conv->set_out_features(4);
  conv->set_kernel(3);
  conv->set_padding(1);
  conv->set_bias(true);
  add("bn", LAYER_BATCH_NORM);
  add("relu", LAYER_RELU)->set_inplace(true);
  Layer* pool = add("pool", LAYER_MAX_POOL);
  pool->set_kernel(2);
  add("flat", LAYER_FLATTEN);
  add("fc", LAYER_LINEAR)->set_out_features(10);
  MEMWALL_ASSERT_OK_AND_ASSIGN(GraphAnalysis a, AnalyzeGraph(m, 0));
  const GraphTotals t = SumCosts(a.costs);
  // conv 4*3*9 + 4 = 112; bn 8; fc 64*10 = 640 (no bias set).
  EXPECT_EQ(t.params, 112 + 8 + 640);
  // MACs: conv 4*8*8 * 27 = 6912; fc 640.
  EXPECT_DOUBLE_EQ(t.forward_flops, 2.0 * (6912 + 640));
  // Saved floats: conv output (256, by bn), bn output (256, by relu in place),
  // pool output (64, by fc through the flatten view); fixed: 64 int64 indices.
  EXPECT_DOUBLE_EQ(t.saved_float_elements, 256 + 256 + 64);
  EXPECT_DOUBLE_EQ(t.saved_fixed_bytes, 64 * 8);
  EXPECT_EQ(a.shapes[3].ToString(), "[4, 4, 4]");
}

// torch.nn.LSTM parameter counts by hand. LSTM(10, 20, num_layers=2,
// bidirectional=True): layer 0 per direction 4*20*10 + 4*20*20 + 2*80 = 2,560;
// layer 1 reads 40 features: 4*20*40 + 4*20*20 + 160 = 4,960; both directions:
// 2 x (2,560 + 4,960) = 15,040. LSTM(10, 20, proj_size=5): 80*10 + 80*5 + 160 +
// 5*20 = 1,460.
TEST(GraphCounting, LstmBidirectionalAndProjected) {
  ModelSpec m;
  m.set_name("lstm");
  m.mutable_graph()->set_seq_len(7);
  auto add = [&](const char* name, GraphLayerKind kind, const char* in) {
    Layer* l = m.mutable_graph()->add_layers();
    l->set_name(name);
    l->set_kind(kind);
    l->add_inputs(in);
    return l;
  };
  Layer* emb = add("emb", LAYER_EMBEDDING, "input");
  emb->set_num_embeddings(100);
  emb->set_out_features(10);
  Layer* bi = add("bi", LAYER_LSTM, "emb");
  bi->set_out_features(20);
  bi->set_num_layers(2);
  bi->set_bidirectional(true);
  bi->set_num_bias_vectors(2);
  Layer* pj = add("proj", LAYER_LSTM, "emb");
  pj->set_out_features(20);
  pj->set_proj_size(5);
  pj->set_num_bias_vectors(2);
  MEMWALL_ASSERT_OK_AND_ASSIGN(GraphAnalysis a, AnalyzeGraph(m, 0));
  EXPECT_EQ(a.costs[1].params, 15040);
  EXPECT_EQ(a.costs[2].params, 1460);
  EXPECT_EQ(a.shapes[1].ToString(), "[7, 40]");
  EXPECT_EQ(a.shapes[2].ToString(), "[7, 5]");
  // MACs of the projected LSTM: 7 steps x (4*20*(10 + 5) + 20*5) = 7 x 1,300.
  EXPECT_DOUBLE_EQ(a.costs[2].forward_flops, 2.0 * 7 * 1300);
}

}  // namespace
}  // namespace memwall
