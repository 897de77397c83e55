// DenseNet-201 (Huang et al. 2017), torchvision/models/densenet.py without the
// memory-efficient checkpointing: every dense layer concatenates all earlier
// features into a new tensor that its batch norm saves.
#include <vector>

#include "absl/strings/str_cat.h"
#include "planner/model/graph_builder.h"
#include "planner/model/zoo_cv/cv_common.h"

namespace memwall {

ModelSpec BuildDenseNet201() {
  ModelSpec m = CvModel(
      "densenet201",
      "Huang et al. 2017, arXiv 1608.06993; torchvision densenet201", 224);
  GraphBuilder b(m.mutable_graph());
  constexpr int64_t kGrowth = 32, kBottleneck = 4 * kGrowth;
  const int kBlocks[] = {6, 12, 48, 32};
  std::string x = b.Relu(
      "relu0",
      b.BatchNorm("norm0", b.Conv("conv0", "input", 64, 7, 2, 3, false)));
  x = b.MaxPool("pool0", x, 3, 2, 1);
  int64_t channels = 64;
  for (int blk = 0; blk < 4; ++blk) {
    std::vector<std::string> features = {x};
    for (int i = 0; i < kBlocks[blk]; ++i) {
      const std::string p = absl::StrCat("block", blk + 1, ".layer", i + 1);
      const std::string in =
          features.size() == 1 ? features[0] : b.Concat(p + ".cat", features);
      std::string y = b.Relu(p + ".relu1", b.BatchNorm(p + ".norm1", in));
      y = b.Relu(p + ".relu2",
                 b.BatchNorm(p + ".norm2", b.Conv(p + ".conv1", y, kBottleneck,
                                                  1, 1, 0, false)));
      features.push_back(b.Conv(p + ".conv2", y, kGrowth, 3, 1, 1, false));
      channels += kGrowth;
    }
    x = b.Concat(absl::StrCat("block", blk + 1, ".cat"), features);
    if (blk < 3) {
      const std::string p = absl::StrCat("transition", blk + 1);
      x = b.Relu(p + ".relu", b.BatchNorm(p + ".norm", x));
      channels /= 2;
      x = b.AvgPool(p + ".pool",
                    b.Conv(p + ".conv", x, channels, 1, 1, 0, false), 2, 2);
    }
  }
  x = b.Relu("relu5", b.BatchNorm("norm5", x));
  x = b.Flatten("flatten", b.AdaptiveAvgPool("avgpool", x));
  b.Linear("classifier", x, 1000);
  SetImageNetTraining(&m, 1.28e6, 90, 256,
                      "Huang et al. 2017 Sec. 4.2: 90 epochs, batch 256");
  return m;
}

}  // namespace memwall
