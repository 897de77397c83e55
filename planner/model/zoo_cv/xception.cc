// Xception (Chollet 2017, Figure 5), as keras.applications.Xception builds it:
// separable convolutions are a depthwise 3x3 then a pointwise 1x1, neither with
// a bias.
#include "absl/strings/str_cat.h"
#include "planner/model/graph_builder.h"
#include "planner/model/zoo_cv/cv_common.h"

namespace memwall {
namespace {

std::string SepConvBn(GraphBuilder& b, const std::string& p,
                      const std::string& in, int64_t in_ch, int64_t out) {
  std::string x = b.Conv(p + ".dw", in, in_ch, 3, 1, 1, false, in_ch);
  x = b.Conv(p + ".pw", x, out, 1, 1, 0, false);
  return b.BatchNorm(p + ".bn", x);
}

// relu? - sepconv - bn - relu - sepconv - bn - maxpool, plus a strided 1x1 conv
// shortcut.
std::string EntryBlock(GraphBuilder& b, const std::string& p,
                       const std::string& in, int64_t in_ch, int64_t mid,
                       int64_t out, bool first_relu) {
  const std::string shortcut =
      b.BatchNorm(p + ".skip.bn", b.Conv(p + ".skip", in, out, 1, 2, 0, false));
  std::string x = first_relu ? b.Relu(p + ".relu0", in, false) : in;
  x = b.Relu(p + ".relu1", SepConvBn(b, p + ".sep1", x, in_ch, mid));
  x = SepConvBn(b, p + ".sep2", x, mid, out);
  x = b.MaxPool(p + ".pool", x, 3, 2, 1);
  return b.Add(p + ".add", x, shortcut);
}

}  // namespace

ModelSpec BuildXception() {
  ModelSpec m = CvModel(
      "xception", "Chollet 2017, arXiv 1610.02357; keras.applications.Xception",
      299);
  GraphBuilder b(m.mutable_graph());
  std::string x =
      b.Relu("relu1",
             b.BatchNorm("bn1", b.Conv("conv1", "input", 32, 3, 2, 0, false)));
  x = b.Relu("relu2",
             b.BatchNorm("bn2", b.Conv("conv2", x, 64, 3, 1, 0, false)));
  x = EntryBlock(b, "entry1", x, 64, 128, 128, false);
  x = EntryBlock(b, "entry2", x, 128, 256, 256, true);
  x = EntryBlock(b, "entry3", x, 256, 728, 728, true);
  for (int i = 0; i < 8; ++i) {
    const std::string p = absl::StrCat("middle", i + 1);
    std::string y = x;
    for (int j = 1; j <= 3; ++j) {
      y = b.Relu(absl::StrCat(p, ".relu", j), y, false);
      y = SepConvBn(b, absl::StrCat(p, ".sep", j), y, 728, 728);
    }
    x = b.Add(p + ".add", y, x);
  }
  x = EntryBlock(b, "exit", x, 728, 728, 1024, true);
  x = b.Relu("exit.relu3", SepConvBn(b, "exit.sep3", x, 1024, 1536));
  x = b.Relu("exit.relu4", SepConvBn(b, "exit.sep4", x, 1536, 2048));
  x = b.Flatten("flatten", b.AdaptiveAvgPool("avgpool", x));
  b.Linear("fc", x, 1000);
  SetImageNetTraining(&m, 1.28e6, 100, 32,
                      "Chollet 2017 Sec. 4.2-4.3: ImageNet on 60 K80 GPUs; 100 "
                      "epochs (assumed)");
  return m;
}

}  // namespace memwall
