// Inception-v4 (Szegedy et al. 2017, "Inception-v4, Inception-ResNet and the
// Impact of Residual Connections", Figures 3-9), as timm/models/inception_v4.py
// builds it.
#include "absl/strings/str_cat.h"
#include "planner/model/graph_builder.h"
#include "planner/model/zoo_cv/cv_common.h"

namespace memwall {
namespace {

class V4 {
 public:
  explicit V4(GraphBuilder& b) : b_(b) {}

  // A stride-1 kh x kw conv (the factorized 1x7 / 7x1 and 1x3 / 3x1 kernels).
  std::string R(const std::string& name, const std::string& in, int64_t out,
                int64_t kh, int64_t kw, int64_t ph, int64_t pw) {
    return b_.ConvBnRelu(name, in, ConvArgs{out, kh, kw, 1, ph, pw});
  }
  std::string C(const std::string& name, const std::string& in, int64_t out,
                int64_t k, int64_t stride = 1, int64_t p = 0) {
    return b_.ConvBnRelu(name, in, ConvArgs{out, k, k, stride, p, p});
  }
  std::string Pool(const std::string& p, const std::string& in) {
    return b_.AvgPool(p + ".pool", in, 3, 1, 1);
  }

  std::string A(const std::string& p, const std::string& in) {
    const std::string b0 = C(p + ".b0", in, 96, 1);
    const std::string b1 =
        C(p + ".b1_1", C(p + ".b1_0", in, 64, 1), 96, 3, 1, 1);
    std::string b2 = C(p + ".b2_1", C(p + ".b2_0", in, 64, 1), 96, 3, 1, 1);
    b2 = C(p + ".b2_2", b2, 96, 3, 1, 1);
    const std::string b3 = C(p + ".b3", Pool(p, in), 96, 1);
    return b_.Concat(p + ".cat", {b0, b1, b2, b3});
  }

  std::string ReductionA(const std::string& p, const std::string& in) {
    const std::string b0 = C(p + ".b0", in, 384, 3, 2);
    std::string b1 = C(p + ".b1_1", C(p + ".b1_0", in, 192, 1), 224, 3, 1, 1);
    b1 = C(p + ".b1_2", b1, 256, 3, 2);
    return b_.Concat(p + ".cat", {b0, b1, b_.MaxPool(p + ".pool", in, 3, 2)});
  }

  std::string B(const std::string& p, const std::string& in) {
    const std::string b0 = C(p + ".b0", in, 384, 1);
    std::string b1 = C(p + ".b1_0", in, 192, 1);
    b1 = R(p + ".b1_1", b1, 224, 1, 7, 0, 3);
    b1 = R(p + ".b1_2", b1, 256, 7, 1, 3, 0);
    std::string b2 = C(p + ".b2_0", in, 192, 1);
    b2 = R(p + ".b2_1", b2, 192, 7, 1, 3, 0);
    b2 = R(p + ".b2_2", b2, 224, 1, 7, 0, 3);
    b2 = R(p + ".b2_3", b2, 224, 7, 1, 3, 0);
    b2 = R(p + ".b2_4", b2, 256, 1, 7, 0, 3);
    const std::string b3 = C(p + ".b3", Pool(p, in), 128, 1);
    return b_.Concat(p + ".cat", {b0, b1, b2, b3});
  }

  std::string ReductionB(const std::string& p, const std::string& in) {
    const std::string b0 =
        C(p + ".b0_1", C(p + ".b0_0", in, 192, 1), 192, 3, 2);
    std::string b1 = C(p + ".b1_0", in, 256, 1);
    b1 = R(p + ".b1_1", b1, 256, 1, 7, 0, 3);
    b1 = R(p + ".b1_2", b1, 320, 7, 1, 3, 0);
    b1 = C(p + ".b1_3", b1, 320, 3, 2);
    return b_.Concat(p + ".cat", {b0, b1, b_.MaxPool(p + ".pool", in, 3, 2)});
  }

  std::string Cblock(const std::string& p, const std::string& in) {
    const std::string b0 = C(p + ".b0", in, 256, 1);
    const std::string s1 = C(p + ".b1_0", in, 384, 1);
    const std::string b1a = R(p + ".b1_1a", s1, 256, 1, 3, 0, 1);
    const std::string b1b = R(p + ".b1_1b", s1, 256, 3, 1, 1, 0);
    std::string s2 = C(p + ".b2_0", in, 384, 1);
    s2 = R(p + ".b2_1", s2, 448, 3, 1, 1, 0);
    s2 = R(p + ".b2_2", s2, 512, 1, 3, 0, 1);
    const std::string b2a = R(p + ".b2_3a", s2, 256, 1, 3, 0, 1);
    const std::string b2b = R(p + ".b2_3b", s2, 256, 3, 1, 1, 0);
    const std::string b3 = C(p + ".b3", Pool(p, in), 256, 1);
    return b_.Concat(p + ".cat", {b0, b1a, b1b, b2a, b2b, b3});
  }

 private:
  GraphBuilder& b_;
};

}  // namespace

ModelSpec BuildInceptionV4() {
  ModelSpec m =
      CvModel("inception-v4",
              "Szegedy et al. 2017, arXiv 1602.07261; timm inception_v4", 299);
  GraphBuilder b(m.mutable_graph());
  V4 v(b);
  std::string x = v.C("stem.conv1", "input", 32, 3, 2);
  x = v.C("stem.conv2", x, 32, 3);
  x = v.C("stem.conv3", x, 64, 3, 1, 1);
  x = b.Concat("mixed3a.cat", {b.MaxPool("mixed3a.pool", x, 3, 2),
                               v.C("mixed3a.conv", x, 96, 3, 2)});
  const std::string b0 =
      v.C("mixed4a.b0_1", v.C("mixed4a.b0_0", x, 64, 1), 96, 3);
  std::string b1 = v.C("mixed4a.b1_0", x, 64, 1);
  b1 = v.R("mixed4a.b1_1", b1, 64, 1, 7, 0, 3);
  b1 = v.R("mixed4a.b1_2", b1, 64, 7, 1, 3, 0);
  b1 = v.C("mixed4a.b1_3", b1, 96, 3);
  x = b.Concat("mixed4a.cat", {b0, b1});
  x = b.Concat("mixed5a.cat", {v.C("mixed5a.conv", x, 192, 3, 2),
                               b.MaxPool("mixed5a.pool", x, 3, 2)});
  for (int i = 0; i < 4; ++i) x = v.A(absl::StrCat("inception_a", i), x);
  x = v.ReductionA("reduction_a", x);
  for (int i = 0; i < 7; ++i) x = v.B(absl::StrCat("inception_b", i), x);
  x = v.ReductionB("reduction_b", x);
  for (int i = 0; i < 3; ++i) x = v.Cblock(absl::StrCat("inception_c", i), x);
  x = b.Flatten("flatten", b.AdaptiveAvgPool("global_pool", x));
  b.Linear("fc", x, 1000);
  return m;
}

}  // namespace memwall
