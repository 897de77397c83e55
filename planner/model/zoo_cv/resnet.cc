// ResNet-152 (He et al. 2016) and ResNeXt-101 64x4d (Xie et al. 2017) as
// torchvision builds them (torchvision/models/resnet.py Bottleneck): v1.5 puts
// the stride in the 3x3 conv; the paper's v1 block puts it in the first 1x1.
#include "absl/strings/str_cat.h"
#include "planner/model/graph_builder.h"
#include "planner/model/zoo_cv/cv_common.h"

namespace memwall {
namespace {

std::string Bottleneck(GraphBuilder& b, const std::string& p,
                       const std::string& in, int64_t in_ch, int64_t planes,
                       int64_t stride, int64_t groups, int64_t width_per_group,
                       bool stride_in_1x1) {
  const int64_t width = planes * width_per_group / 64 * groups;
  ConvArgs c1{width, 1, 1, stride_in_1x1 ? stride : 1};
  std::string x = b.ConvBnRelu(p + ".1", in, c1);
  ConvArgs c2{width, 3, 3, stride_in_1x1 ? 1 : stride, 1, 1, groups};
  x = b.ConvBnRelu(p + ".2", x, c2);
  x = b.BatchNorm(p + ".3.bn", b.Conv(p + ".3.conv", x, ConvArgs{planes * 4}));
  std::string identity = in;
  if (stride != 1 || in_ch != planes * 4) {
    ConvArgs down{planes * 4, 1, 1, stride};
    identity = b.BatchNorm(p + ".down.bn", b.Conv(p + ".down.conv", in, down));
  }
  return b.Relu(p + ".relu", b.Add(p + ".add", x, identity));
}

}  // namespace

ModelSpec BuildResNet(const std::string& name, bool stride_in_1x1,
                      int64_t groups, int64_t width_per_group,
                      const int (&blocks)[4]) {
  ModelSpec m = CvModel(name, "", 224);
  GraphBuilder b(m.mutable_graph());
  std::string x = b.ConvBnRelu("stem", "input", ConvArgs{64, 7, 7, 2, 3, 3});
  x = b.MaxPool("stem.pool", x, 3, 2, 1);
  int64_t in_ch = 64;
  for (int s = 0; s < 4; ++s) {
    const int64_t planes = int64_t{64} << s;
    for (int i = 0; i < blocks[s]; ++i) {
      const int64_t stride = (s > 0 && i == 0) ? 2 : 1;
      x = Bottleneck(b, absl::StrCat("layer", s + 1, ".", i), x, in_ch, planes,
                     stride, groups, width_per_group, stride_in_1x1);
      in_ch = planes * 4;
    }
  }
  x = b.Flatten("flatten", b.AdaptiveAvgPool("avgpool", x));
  b.Linear("fc", x, 1000);
  return m;
}

ModelSpec BuildResNet152() {
  ModelSpec m = BuildResNet("resnet152", false, 1, 64, {3, 8, 36, 3});
  m.set_source(
      "He et al. 2016, arXiv 1512.03385; torchvision resnet152 (v1.5 block)");
  SetImageNetTraining(
      &m, 1.28e6, 120, 256,
      "He et al. 2016 Sec. 3.4: 60e4 iterations of batch 256 (= 120 epochs)");
  return m;
}

ModelSpec BuildResNet152V1() {
  ModelSpec m = BuildResNet("resnet152-v1", true, 1, 64, {3, 8, 36, 3});
  m.set_source(
      "He et al. 2016, arXiv 1512.03385 (original block: stride in the first "
      "1x1)");
  SetImageNetTraining(
      &m, 1.28e6, 120, 256,
      "He et al. 2016 Sec. 3.4: 60e4 iterations of batch 256 (= 120 epochs)");
  return m;
}

ModelSpec BuildResNeXt101() {
  ModelSpec m = BuildResNet("resnext101-64x4d", false, 64, 4, {3, 4, 23, 3});
  m.set_source(
      "Xie et al. 2017, arXiv 1611.05431; torchvision resnext101_64x4d");
  SetImageNetTraining(
      &m, 1.28e6, 100, 256,
      "Xie et al. 2017 Sec. 4: batch 256 on 8 GPUs; 100 epochs (assumed)");
  return m;
}

}  // namespace memwall
