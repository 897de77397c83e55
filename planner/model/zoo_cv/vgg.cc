// VGG-19 (Simonyan and Zisserman 2014, configuration E), torchvision layout.
#include "absl/strings/str_cat.h"
#include "planner/model/graph_builder.h"
#include "planner/model/zoo_cv/cv_common.h"

namespace memwall {

ModelSpec BuildVgg19() {
  ModelSpec m = CvModel(
      "vgg19",
      "Simonyan & Zisserman 2014, arXiv 1409.1556, config E; torchvision vgg19",
      224);
  GraphBuilder b(m.mutable_graph());
  const int kCfg[] = {64,  64,  0,   128, 128, 0,   256, 256, 256, 256, 0,
                      512, 512, 512, 512, 0,   512, 512, 512, 512, 0};
  std::string x = "input";
  int conv = 0, pool = 0;
  for (int c : kCfg) {
    if (c == 0) {
      x = b.MaxPool(absl::StrCat("pool", ++pool), x, 2, 2);
    } else {
      ++conv;
      x = b.Conv(absl::StrCat("conv", conv), x, c, 3, 1, 1, true);
      x = b.Relu(absl::StrCat("relu", conv), x);
    }
  }
  x = b.Flatten("flatten", b.AdaptiveAvgPool("avgpool", x, 7, 7));
  x = b.Relu("relu_fc6", b.Linear("fc6", x, 4096));
  x = b.Relu("relu_fc7", b.Linear("fc7", b.Dropout("drop6", x), 4096));
  b.Linear("fc8", b.Dropout("drop7", x), 1000);
  SetImageNetTraining(&m, 1.28e6, 74, 256,
                      "Simonyan & Zisserman 2014 Sec. 3.1: 370K iterations (74 "
                      "epochs), batch 256");
  return m;
}

}  // namespace memwall
