// AlexNet: torchvision's single-tower variant (Krizhevsky 2014, "One weird
// trick") and the original two-GPU network with LRN and grouped convolutions
// (Krizhevsky et al. 2012).
#include "planner/model/graph_builder.h"
#include "planner/model/zoo_cv/cv_common.h"

namespace memwall {
namespace {

void Classifier(GraphBuilder& b, std::string x) {
  x = b.Dropout("drop6", x);
  x = b.Relu("relu6", b.Linear("fc6", x, 4096));
  x = b.Dropout("drop7", x);
  x = b.Relu("relu7", b.Linear("fc7", x, 4096));
  b.Linear("fc8", x, 1000);
}

}  // namespace

ModelSpec BuildAlexNet() {
  ModelSpec m = CvModel(
      "alexnet", "torchvision alexnet (Krizhevsky 2014, arXiv 1404.5997)", 227);
  m.set_notes(
      "torchvision layout: 64-192-384-256-256 channels, no LRN, no groups");
  GraphBuilder b(m.mutable_graph());
  std::string x = b.Relu("relu1", b.Conv("conv1", "input", 64, 11, 4, 2, true));
  x = b.MaxPool("pool1", x, 3, 2);
  x = b.Relu("relu2", b.Conv("conv2", x, 192, 5, 1, 2, true));
  x = b.MaxPool("pool2", x, 3, 2);
  x = b.Relu("relu3", b.Conv("conv3", x, 384, 3, 1, 1, true));
  x = b.Relu("relu4", b.Conv("conv4", x, 256, 3, 1, 1, true));
  x = b.Relu("relu5", b.Conv("conv5", x, 256, 3, 1, 1, true));
  x = b.MaxPool("pool5", x, 3, 2);
  x = b.Flatten("flatten", b.AdaptiveAvgPool("avgpool", x, 6, 6));
  Classifier(b, x);
  SetImageNetTraining(
      &m, 1.2e6, 90, 128,
      "Krizhevsky et al. 2012: ~90 passes over 1.2M images, batch 128");
  return m;
}

ModelSpec BuildAlexNet2012() {
  ModelSpec m = CvModel(
      "alexnet-2012",
      "Krizhevsky, Sutskever, Hinton 2012, NIPS, Figure 2 and Section 3.3",
      227);
  m.set_notes(
      "original: 96-256-384-384-256 channels, LRN after conv1/conv2, conv2/4/5 "
      "in "
      "two groups (one per GPU); LRN as a fused kernel saving input and "
      "output");
  GraphBuilder b(m.mutable_graph());
  std::string x = b.Relu("relu1", b.Conv("conv1", "input", 96, 11, 4, 0, true));
  x = b.MaxPool("pool1", b.Lrn("norm1", x, 5), 3, 2);
  x = b.Relu("relu2", b.Conv("conv2", x, 256, 5, 1, 2, true, 2));
  x = b.MaxPool("pool2", b.Lrn("norm2", x, 5), 3, 2);
  x = b.Relu("relu3", b.Conv("conv3", x, 384, 3, 1, 1, true));
  x = b.Relu("relu4", b.Conv("conv4", x, 384, 3, 1, 1, true, 2));
  x = b.Relu("relu5", b.Conv("conv5", x, 256, 3, 1, 1, true, 2));
  x = b.Flatten("flatten", b.MaxPool("pool5", x, 3, 2));
  Classifier(b, x);
  SetImageNetTraining(
      &m, 1.2e6, 90, 128,
      "Krizhevsky et al. 2012: ~90 passes over 1.2M images, batch 128");
  return m;
}

}  // namespace memwall
