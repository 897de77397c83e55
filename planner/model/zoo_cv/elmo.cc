// ELMo (Peters et al. 2018; Jozefowicz et al. 2016 character CNN), the original
// model of allennlp's elmo_2x4096_512_2048cnn_2xhighway: characters (262 ids,
// 16-d embedding, 50 per token) -> CNN filters
// (1,32)(2,32)(3,64)(4,128)(5,256)(6,512)(7,1024) with max over characters and
// ReLU -> 2 highway layers -> projection to 512 -> forward and backward LMs,
// each 2 LSTMP layers (4096 cells, 512 projection, one bias vector) with a
// residual between them. 93.6M parameters; the 793,471-word softmax is not
// counted (as in the paper). One sample is a 20-token window (bilm unroll
// steps).
#include "absl/strings/str_cat.h"
#include "planner/model/graph_builder.h"
#include "proto/model.pb.h"

namespace memwall {

ModelSpec BuildElmo() {
  ModelSpec m;
  m.set_name("elmo");
  m.set_source(
      "Peters et al. 2018, arXiv 1802.05365; allennlp "
      "elmo_2x4096_512_2048cnn_2xhighway");
  m.set_domain("nlp");
  LayerGraph* g = m.mutable_graph();
  constexpr int64_t kSteps = 20, kChars = 50;
  g->set_seq_len(kSteps);
  g->set_input_channels(kChars);
  GraphBuilder b(g);
  Layer emb;
  emb.set_name("char_embedding");
  emb.set_kind(LAYER_EMBEDDING);
  emb.set_num_embeddings(262);
  emb.set_out_features(16);
  emb.set_channels_first(true);
  const std::string chars = b.Append(emb, {"input"});
  const int64_t kFilters[7][2] = {{1, 32},  {2, 32},  {3, 64},  {4, 128},
                                  {5, 256}, {6, 512}, {7, 1024}};
  std::vector<std::string> convs;
  for (const auto& f : kFilters) {
    const std::string p = absl::StrCat("char_cnn", f[0]);
    std::string x =
        b.Conv(p + ".conv", chars, ConvArgs{f[1], 1, f[0], 1, 0, 0, 1, true});
    x = b.AdaptiveMaxPool(p + ".max", x, kSteps, 1);
    convs.push_back(b.Relu(p + ".relu", x));
  }
  Layer seq;
  seq.set_name("to_sequence");
  seq.set_kind(LAYER_TO_SEQUENCE);
  std::string x = b.Append(seq, {b.Concat("char_cnn", convs)});
  Layer hw;
  hw.set_name("highway");
  hw.set_kind(LAYER_HIGHWAY);
  hw.set_num_layers(2);
  x = b.Linear("projection", b.Append(hw, {x}), 512);
  auto lstmp = [&](const std::string& name, const std::string& in) {
    Layer l;
    l.set_name(name);
    l.set_kind(LAYER_LSTM);
    l.set_out_features(4096);
    l.set_proj_size(512);
    l.set_num_bias_vectors(1);
    return b.Append(l, {in});
  };
  for (const char* dir : {"forward", "backward"}) {
    const std::string l1 = lstmp(absl::StrCat(dir, ".lstm1"), x);
    b.Add(absl::StrCat(dir, ".residual"),
          lstmp(absl::StrCat(dir, ".lstm2"), l1), l1);
  }
  TrainingSetup* t = m.mutable_training_setup();
  t->set_samples_per_epoch(8e8 / kSteps);
  t->set_epochs(10);
  t->set_source(
      "Peters et al. 2018 Sec. 3.4 / allennlp bilm: 10 epochs over the 1B Word "
      "Benchmark (~0.8B tokens) (assumed)");
  return m;
}

}  // namespace memwall
