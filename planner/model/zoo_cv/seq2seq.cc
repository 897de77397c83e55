// Seq2Seq (Sutskever, Vinyals, Le 2014, Sec. 3.4): 4-layer LSTMs of 1000 cells
// for the (reversed) source and the target, 1000-d word embeddings, 160k source
// and 80k target words, a softmax over the target vocabulary: 384M parameters
// (paper). One sample is a sentence pair of seq_len words per side (WMT'14
// EN-FR: 348M French + 304M English words in 12M sentences, about 27 words per
// side).
#include "planner/model/graph_builder.h"
#include "proto/model.pb.h"

namespace memwall {

ModelSpec BuildSeq2Seq() {
  ModelSpec m;
  m.set_name("seq2seq");
  m.set_source("Sutskever, Vinyals, Le 2014, arXiv 1409.3215, Sec. 3.4");
  m.set_domain("nlp");
  LayerGraph* g = m.mutable_graph();
  g->set_seq_len(27);
  GraphBuilder b(g);
  auto embed = [&](const std::string& name, int64_t vocab) {
    Layer l;
    l.set_name(name);
    l.set_kind(LAYER_EMBEDDING);
    l.set_num_embeddings(vocab);
    l.set_out_features(1000);
    return b.Append(l, {"input"});
  };
  auto lstm = [&](const std::string& name, const std::string& in) {
    Layer l;
    l.set_name(name);
    l.set_kind(LAYER_LSTM);
    l.set_out_features(1000);
    l.set_num_layers(4);
    l.set_num_bias_vectors(2);  // PyTorch nn.LSTM: b_ih and b_hh
    return b.Append(l, {in});
  };
  lstm("encoder", embed("source_embedding", 160000));
  const std::string dec = lstm("decoder", embed("target_embedding", 80000));
  b.Softmax("softmax", b.Linear("output", dec, 80000));
  TrainingSetup* t = m.mutable_training_setup();
  t->set_samples_per_epoch(12e6);
  t->set_epochs(7.5);
  t->set_batch_size(128);
  t->set_source(
      "Sutskever et al. 2014 Sec. 3.4: 12M sentence pairs, 7.5 epochs, batch "
      "128");
  return m;
}

}  // namespace memwall
