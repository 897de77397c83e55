// The C++ CNN zoo against its reference implementations: exact parameter
// counts, multiply-accumulates and saved-for-backward bytes.
#include <string>

#include "common/status.h"
#include "common/units.h"
#include "gtest/gtest.h"
#include "planner/model/graph.h"
#include "planner/model/zoo.h"
#include "planner/model/zoo_cv/cv_common.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

struct ParamCase {
  const char* model;
  int64_t params;
  const char* source;
};

class ZooParamsTest : public ::testing::TestWithParam<ParamCase> {};

TEST_P(ZooParamsTest, MatchesReferenceImplementation) {
  const ParamCase& c = GetParam();
  MEMWALL_ASSERT_OK_AND_ASSIGN(ModelSpec model, LoadModel(c.model));
  MEMWALL_ASSERT_OK_AND_ASSIGN(auto costs, GraphLayerCosts(model, 0));
  EXPECT_EQ(SumCosts(costs).params, c.params) << c.source;
}

INSTANTIATE_TEST_SUITE_P(
    Cv, ZooParamsTest,
    ::testing::Values(
        ParamCase{"alexnet", 61100840,
                  "torchvision AlexNet_Weights.IMAGENET1K_V1 num_params"},
        ParamCase{"alexnet-2012", 60965224,
                  "Krizhevsky 2012 layer sizes summed by hand; OpenVINO "
                  "alexnet 60.965M"},
        ParamCase{"vgg19", 143667240,
                  "torchvision VGG19_Weights.IMAGENET1K_V1 num_params"},
        ParamCase{"resnet152", 60192808,
                  "torchvision ResNet152_Weights num_params"},
        ParamCase{"resnet152-v1", 60192808,
                  "same tensors as v1.5, stride moved"},
        ParamCase{"resnext101-64x4d", 83455272,
                  "torchvision ResNeXt101_64X4D_Weights num_params"},
        ParamCase{"densenet201", 20013928,
                  "torchvision DenseNet201_Weights num_params"},
        ParamCase{"inception-v3", 27161264,
                  "torchvision inception_v3(aux_logits=True) parameter count"},
        ParamCase{"inception-v4", 42679816,
                  "timm inception_v4 parameter count (42.7M)"},
        ParamCase{
            "seq2seq", 384144000,
            "Sutskever 2014 sizes by hand: 160M + 80M embeddings, 2 x 4 LSTM "
            "layers "
            "of 4*1000*2000 + 8000, 1000*80000 + 80000 softmax (paper: 384M)"},
        ParamCase{"elmo", 93600864,
                  "allennlp elmo_2x4096_512_2048cnn_2xhighway by hand: 4,192 "
                  "char emb + "
                  "199,168 CNN + 16,785,408 highway + 1,049,088 projection + 4 "
                  "x 18,890,752 "
                  "LSTMP (paper: 93.6M)"},
        ParamCase{"xception", 22855952,
                  "keras.applications.Xception trainable parameters"}),
    [](const auto& info) {
      std::string n = info.param.model;
      for (char& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

struct MacCase {
  const char* model;
  int64_t image_size;
  double gmacs;
  const char* source;
  double tolerance = 0.005;  // half a unit of the source's last printed digit
};

class ZooMacsTest : public ::testing::TestWithParam<MacCase> {};

// torchvision's "GFLOPS" metadata are conv + linear multiply-accumulates at
// 224x224.
TEST_P(ZooMacsTest, MatchesTorchvisionOps) {
  const MacCase& c = GetParam();
  MEMWALL_ASSERT_OK_AND_ASSIGN(ModelSpec model, LoadModel(c.model));
  MEMWALL_ASSERT_OK_AND_ASSIGN(auto costs,
                               GraphLayerCosts(model, c.image_size));
  EXPECT_NEAR(SumCosts(costs).forward_flops / 2e9, c.gmacs, c.tolerance)
      << c.source;
}

INSTANTIATE_TEST_SUITE_P(
    Cv, ZooMacsTest,
    ::testing::Values(
        MacCase{"alexnet", 224, 0.71, "torchvision alexnet _ops 0.71"},
        MacCase{"vgg19", 224, 19.63, "torchvision vgg19 _ops 19.63"},
        MacCase{"resnet152", 224, 11.51, "torchvision resnet152 _ops 11.51"},
        MacCase{"resnext101-64x4d", 224, 15.46,
                "torchvision resnext101_64x4d _ops 15.46"},
        MacCase{"densenet201", 224, 4.29, "torchvision densenet201 _ops 4.29"},
        MacCase{"inception-v4", 299, 12.3, "timm inception_v4 card 12.3 GMACs",
                0.05},
        MacCase{"xception", 299, 8.357,
                "Keras Xception layers, hook-counted conv+linear MACs 8.357 G",
                0.0005},
        MacCase{"alexnet-2012", 227, 0.724,
                "Krizhevsky 2012 layers at 227, hook-counted MACs 0.724 G",
                0.0005}),
    [](const auto& info) {
      std::string n = info.param.model;
      for (char& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

struct SavedCase {
  const char* model;
  int64_t batch;
  double gib;
  const char* source;
};

class ZooSavedTest : public ::testing::TestWithParam<SavedCase> {};

// Bytes saved for backward (fp32), GiB at the seed's batch size, as measured
// with PyTorch saved-tensor hooks (torch 1.13, torchvision 0.14, CPU; "AI and
// Memory Wall" memory table).
TEST_P(ZooSavedTest, MatchesPyTorchSavedTensors) {
  const SavedCase& c = GetParam();
  MEMWALL_ASSERT_OK_AND_ASSIGN(ModelSpec model, LoadModel(c.model));
  MEMWALL_ASSERT_OK_AND_ASSIGN(auto costs, GraphLayerCosts(model, 0));
  double bytes = 0;
  for (const LayerCost& l : costs) bytes += SavedBytes(l, 4);
  EXPECT_NEAR(ToGiB(bytes * c.batch), c.gib, 0.01) << c.source;
}

INSTANTIATE_TEST_SUITE_P(
    Cv, ZooSavedTest,
    ::testing::Values(
        SavedCase{"vgg19", 64, 4.647,
                  "torchvision vgg19 with AdaptiveAvgPool, batch 64"},
        SavedCase{"resnet152-v1", 32, 5.144,
                  "ResNet-152 original block, batch 32"},
        SavedCase{"resnet152", 32, 5.271,
                  "torchvision resnet152 (v1.5), batch 32"},
        SavedCase{"densenet201", 32, 6.031,
                  "torchvision densenet201, batch 32"},
        SavedCase{"resnext101-64x4d", 32, 7.335,
                  "torchvision resnext101_64x4d, batch 32"}),
    [](const auto& info) {
      std::string n = info.param.model;
      for (char& ch : n)
        if (ch == '-') ch = '_';
      return n;
    });

// torchvision inception_v3(aux_logits=False): 23,834,568 parameters; its
// "GFLOPS" metadata (5.71, multiply-accumulates at 299x299) are counted in eval
// mode, without the aux head.
TEST(InceptionV3, WithoutAuxClassifier) {
  MEMWALL_ASSERT_OK_AND_ASSIGN(auto costs,
                               GraphLayerCosts(BuildInceptionV3(false), 0));
  const GraphTotals t = SumCosts(costs);
  EXPECT_EQ(t.params, 23834568);
  EXPECT_NEAR(t.forward_flops / 2e9, 5.71, 0.005);
}

}  // namespace
}  // namespace memwall
