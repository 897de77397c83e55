// Baidu's advertising recommenders (Zhao et al., "Distributed Hierarchical GPU
// Parameter Server for Massive Scale Deep Learning Ads Systems", MLSys 2020):
// more than 1e11 sparse features and "around 10 TB parameters". memwall reads
// the founding table's RecSys-E (10,000,000M) and RecSys-C (2,000,000M) as
// model sizes of 10 TB and 2 TB, i.e. fp32 tables of 2.5e12 and 5e11 parameters
// in 64-wide rows (the width is assumed). The -E table stays in host memory
// (the paper's SSD/host parameter server) and the -C table is sharded across 8
// GPUs. The dense part (a 3-layer MLP over 500 looked-up features per sample)
// is assumed.
#include "planner/model/graph_builder.h"
#include "proto/model.pb.h"

namespace memwall {
namespace {

ModelSpec Recsys(const char* name, double table_bytes, bool host_resident,
                 int64_t shards) {
  ModelSpec m;
  m.set_name(name);
  m.set_source(
      "Zhao et al. 2020, MLSys, arXiv 2003.05622 (table sized from the model "
      "size)");
  m.set_domain("recsys");
  m.set_notes("embedding rows = model size / 4 B / 64; dense MLP assumed");
  LayerGraph* g = m.mutable_graph();
  constexpr int64_t kIds = 500, kDim = 64;
  g->set_seq_len(kIds);
  GraphBuilder b(g);
  Layer t;
  t.set_name("sparse_table");
  t.set_kind(LAYER_EMBEDDING_BAG);
  t.set_num_embeddings(static_cast<int64_t>(table_bytes / 4 / kDim));
  t.set_out_features(kDim);
  t.set_bag_size(kIds);
  t.set_host_resident(host_resident);
  t.set_shards(shards);
  std::string x = b.Append(t, {"input"});
  x = b.Relu("relu1", b.Linear("fc1", x, 1024));
  x = b.Relu("relu2", b.Linear("fc2", x, 512));
  b.Linear("fc3", x, 1);
  return m;
}

}  // namespace

ModelSpec BuildBaiduRecsysE() {
  return Recsys("baidu-recsys-e", 10e12, true, 1);
}
ModelSpec BuildBaiduRecsysC() {
  return Recsys("baidu-recsys-c", 2e12, false, 8);
}

}  // namespace memwall
