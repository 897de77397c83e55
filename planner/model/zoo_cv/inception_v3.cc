// Inception-v3 (Szegedy et al. 2016, "Rethinking the Inception Architecture"),
// as torchvision/models/inception.py builds it: BasicConv2d = conv (no bias) +
// batch norm + ReLU; the auxiliary classifier on the 17x17 grid runs in
// training only.
#include "absl/strings/str_cat.h"
#include "planner/model/graph_builder.h"
#include "planner/model/zoo_cv/cv_common.h"

namespace memwall {
namespace {

class V3 {
 public:
  explicit V3(GraphBuilder& b) : b_(b) {}

  // A stride-1 kh x kw conv (the factorized 1x7 / 7x1 and 1x3 / 3x1 kernels).
  std::string R(const std::string& name, const std::string& in, int64_t out,
                int64_t kh, int64_t kw, int64_t ph, int64_t pw) {
    return b_.ConvBnRelu(name, in, ConvArgs{out, kh, kw, 1, ph, pw});
  }
  std::string C(const std::string& name, const std::string& in, int64_t out,
                int64_t k, int64_t stride = 1, int64_t p = 0) {
    return b_.ConvBnRelu(name, in, ConvArgs{out, k, k, stride, p, p});
  }

  std::string A(const std::string& p, const std::string& in,
                int64_t pool_features) {
    const std::string b1 = C(p + ".branch1x1", in, 64, 1);
    const std::string b5 =
        C(p + ".branch5x5_2", C(p + ".branch5x5_1", in, 48, 1), 64, 5, 1, 2);
    std::string b3 = C(p + ".branch3x3dbl_1", in, 64, 1);
    b3 = C(p + ".branch3x3dbl_3", C(p + ".branch3x3dbl_2", b3, 96, 3, 1, 1), 96,
           3, 1, 1);
    const std::string bp =
        C(p + ".branch_pool", b_.AvgPool(p + ".pool", in, 3, 1, 1),
          pool_features, 1);
    return b_.Concat(p + ".cat", {b1, b5, b3, bp});
  }

  std::string B(const std::string& p, const std::string& in) {
    const std::string b3 = C(p + ".branch3x3", in, 384, 3, 2);
    std::string bd = C(p + ".branch3x3dbl_1", in, 64, 1);
    bd = C(p + ".branch3x3dbl_3", C(p + ".branch3x3dbl_2", bd, 96, 3, 1, 1), 96,
           3, 2);
    return b_.Concat(p + ".cat", {b3, bd, b_.MaxPool(p + ".pool", in, 3, 2)});
  }

  std::string Cblock(const std::string& p, const std::string& in, int64_t c7) {
    const std::string b1 = C(p + ".branch1x1", in, 192, 1);
    std::string b7 = C(p + ".branch7x7_1", in, c7, 1);
    b7 = R(p + ".branch7x7_2", b7, c7, 1, 7, 0, 3);
    b7 = R(p + ".branch7x7_3", b7, 192, 7, 1, 3, 0);
    std::string bd = C(p + ".branch7x7dbl_1", in, c7, 1);
    bd = R(p + ".branch7x7dbl_2", bd, c7, 7, 1, 3, 0);
    bd = R(p + ".branch7x7dbl_3", bd, c7, 1, 7, 0, 3);
    bd = R(p + ".branch7x7dbl_4", bd, c7, 7, 1, 3, 0);
    bd = R(p + ".branch7x7dbl_5", bd, 192, 1, 7, 0, 3);
    const std::string bp =
        C(p + ".branch_pool", b_.AvgPool(p + ".pool", in, 3, 1, 1), 192, 1);
    return b_.Concat(p + ".cat", {b1, b7, bd, bp});
  }

  std::string D(const std::string& p, const std::string& in) {
    std::string b3 =
        C(p + ".branch3x3_2", C(p + ".branch3x3_1", in, 192, 1), 320, 3, 2);
    std::string b7 = C(p + ".branch7x7x3_1", in, 192, 1);
    b7 = R(p + ".branch7x7x3_2", b7, 192, 1, 7, 0, 3);
    b7 = R(p + ".branch7x7x3_3", b7, 192, 7, 1, 3, 0);
    b7 = C(p + ".branch7x7x3_4", b7, 192, 3, 2);
    return b_.Concat(p + ".cat", {b3, b7, b_.MaxPool(p + ".pool", in, 3, 2)});
  }

  std::string E(const std::string& p, const std::string& in) {
    const std::string b1 = C(p + ".branch1x1", in, 320, 1);
    const std::string s3 = C(p + ".branch3x3_1", in, 384, 1);
    const std::string b3 = b_.Concat(
        p + ".branch3x3", {R(p + ".branch3x3_2a", s3, 384, 1, 3, 0, 1),
                           R(p + ".branch3x3_2b", s3, 384, 3, 1, 1, 0)});
    std::string sd = C(p + ".branch3x3dbl_1", in, 448, 1);
    sd = C(p + ".branch3x3dbl_2", sd, 384, 3, 1, 1);
    const std::string bd = b_.Concat(
        p + ".branch3x3dbl", {R(p + ".branch3x3dbl_3a", sd, 384, 1, 3, 0, 1),
                              R(p + ".branch3x3dbl_3b", sd, 384, 3, 1, 1, 0)});
    const std::string bp =
        C(p + ".branch_pool", b_.AvgPool(p + ".pool", in, 3, 1, 1), 192, 1);
    return b_.Concat(p + ".cat", {b1, b3, bd, bp});
  }

  void Aux(const std::string& in) {
    std::string x = b_.AvgPool("aux.pool", in, 5, 3);
    x = C("aux.conv1", C("aux.conv0", x, 128, 1), 768, 5);
    x = b_.Flatten("aux.flatten", b_.AdaptiveAvgPool("aux.avgpool", x));
    b_.Linear("aux.fc", x, 1000);
  }

 private:
  GraphBuilder& b_;
};

}  // namespace

ModelSpec BuildInceptionV3(bool aux_logits) {
  ModelSpec m = CvModel(
      aux_logits ? "inception-v3" : "inception-v3-noaux",
      "Szegedy et al. 2016, arXiv 1512.00567; torchvision inception_v3", 299);
  m.set_notes(aux_logits ? "with the auxiliary classifier (training mode)"
                         : "without the auxiliary classifier (inference)");
  GraphBuilder b(m.mutable_graph());
  V3 v(b);
  std::string x = v.C("Conv2d_1a_3x3", "input", 32, 3, 2);
  x = v.C("Conv2d_2a_3x3", x, 32, 3);
  x = v.C("Conv2d_2b_3x3", x, 64, 3, 1, 1);
  x = b.MaxPool("maxpool1", x, 3, 2);
  x = v.C("Conv2d_3b_1x1", x, 80, 1);
  x = v.C("Conv2d_4a_3x3", x, 192, 3);
  x = b.MaxPool("maxpool2", x, 3, 2);
  x = v.A("Mixed_5b", x, 32);
  x = v.A("Mixed_5c", x, 64);
  x = v.A("Mixed_5d", x, 64);
  x = v.B("Mixed_6a", x);
  x = v.Cblock("Mixed_6b", x, 128);
  x = v.Cblock("Mixed_6c", x, 160);
  x = v.Cblock("Mixed_6d", x, 160);
  x = v.Cblock("Mixed_6e", x, 192);
  if (aux_logits) v.Aux(x);
  x = v.D("Mixed_7a", x);
  x = v.E("Mixed_7b", x);
  x = v.E("Mixed_7c", x);
  x = b.Flatten("flatten",
                b.Dropout("dropout", b.AdaptiveAvgPool("avgpool", x)));
  b.Linear("fc", x, 1000);
  SetImageNetTraining(&m, 1.28e6, 100, 32,
                      "Szegedy et al. 2016 Sec. 8: batch 32 on 50 replicas; "
                      "100 epochs (assumed)");
  return m;
}

ModelSpec BuildInceptionV3WithAux() { return BuildInceptionV3(true); }
ModelSpec BuildInceptionV3NoAux() { return BuildInceptionV3(false); }

}  // namespace memwall
