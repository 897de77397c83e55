#include "planner/seed/seed_table.h"

#include <cmath>
#include <cstdlib>

#include "common/status.h"
#include "common/units.h"
#include "planner/memory/model_states.h"
#include "planner/model/graph.h"
#include "planner/model/transformer.h"
#include "planner/model/zoo.h"
#include "planner/seed/seed_convention.h"
#include "planner/seed/seed_data.h"

namespace memwall {
namespace {

constexpr double kMillion = 1e6;

void AddNote(const char* table, const std::string& row, SeedCell* cell) {
  for (const SeedNote& n : SeedNotes()) {
    if (table == std::string(n.table) && row == n.row &&
        cell->column() == n.column) {
      cell->set_note(n.text);
      cell->set_erratum(n.erratum);
    }
  }
}

SeedCell* AddCell(const char* table, SeedRow* row, const std::string& column,
                  const std::string& seed, std::optional<double> memwall,
                  const std::string& unit) {
  SeedCell* c = row->add_cells();
  c->set_column(column);
  c->set_seed(seed);
  c->set_unit(unit);
  const std::optional<double> s = ParseSeedNumber(seed);
  if (s) c->set_seed_value(*s);
  if (memwall) c->set_memwall_value(*memwall);
  if (s && memwall && *s != 0) c->set_difference((*memwall - *s) / *s);
  AddNote(table, row->label(), c);
  return c;
}

// Forward FLOPs, features and parameters of one sample (sequence of `tokens`,
// or image).
struct RowCounts {
  int64_t params = 0;
  double forward_flops = 0;
  std::optional<double> features;
  double training_flops = 0;  // 0 = no training setup
};

absl::StatusOr<RowCounts> Count(const ModelSpec& m, int64_t tokens,
                                int64_t image_size) {
  RowCounts r;
  const TrainingSetup& t = m.training_setup();
  if (m.has_transformer()) {
    const TransformerSpec& spec = m.transformer();
    r.params = CountParams(spec).total;
    const SeedTransformerCounts c = SeedTransformerForward(spec, tokens);
    r.forward_flops = c.forward_flops;
    r.features = c.features;
    if (t.tokens() > 0) {
      // 3 x forward FLOPs per sequence of the training length x sequences seen.
      const double s = static_cast<double>(spec.max_seq_len());
      r.training_flops =
          3 * SeedTransformerForward(spec, 0).forward_flops * t.tokens() / s;
    }
    return r;
  }
  MEMWALL_ASSIGN_OR_RETURN(auto costs, GraphLayerCosts(m, image_size));
  const GraphTotals g = SumCosts(costs);
  r.params = g.params;
  r.forward_flops = g.forward_flops;
  const double samples = t.samples_per_epoch() * t.epochs();
  if (samples > 0) {
    double train_fwd = g.forward_flops;
    if (image_size > 0) {
      MEMWALL_ASSIGN_OR_RETURN(auto own, GraphLayerCosts(m, 0));
      train_fwd = SumCosts(own).forward_flops;
    }
    r.training_flops = 3 * train_fwd * samples;
  }
  return r;
}

absl::StatusOr<SeedTable> NlpTable() {
  SeedTable table;
  table.set_name("nlp");
  table.set_title("NLP models");
  table.add_notes(
      "#Params and #Features in millions; inference GFLOPs per sequence (2 x "
      "MACs "
      "of the layer GEMMs); training PFLOPs = 3 x forward x sequences seen");
  for (const SeedNlpRow& d : SeedNlpRows()) {
    MEMWALL_ASSIGN_OR_RETURN(ModelSpec m, LoadModel(d.model));
    const std::optional<double> tokens = ParseSeedNumber(d.token_size);
    MEMWALL_ASSIGN_OR_RETURN(
        RowCounts c, Count(m, tokens ? static_cast<int64_t>(*tokens) : 0, 0));
    SeedRow* row = table.add_rows();
    row->set_label(d.label);
    row->set_model(d.model);
    std::optional<double> length;
    if (m.has_transformer())
      length = tokens ? *tokens : m.transformer().max_seq_len();
    if (m.has_graph() && m.graph().seq_len() > 0) length = m.graph().seq_len();
    AddCell("nlp", row, "token_size", d.token_size, length, "tokens");
    SeedCell* p =
        AddCell("nlp", row, "params", d.params, c.params / kMillion, "M");
    p->set_memwall_seed_rounded(RoundSignificant(c.params / kMillion, 2));
    std::optional<double> features;
    if (c.features) features = *c.features / kMillion;
    SeedCell* f = AddCell("nlp", row, "features", d.features, features, "M");
    if (features) f->set_memwall_seed_rounded(RoundSignificant(*features, 2));
    SeedCell* g = AddCell("nlp", row, "inference_gflops", d.gflops,
                          c.forward_flops / 1e9, "GFLOPs");
    g->set_memwall_seed_rounded(
        SeedRoundFlops(c.forward_flops / 1e9, d.rounded_as_macs));
    std::optional<double> train;
    if (c.training_flops > 0) train = c.training_flops / 1e15;
    AddCell("nlp", row, "training_pflops", d.training_pflops, train, "PFLOPs");
  }
  return table;
}

absl::StatusOr<SeedTable> CvTable() {
  SeedTable table;
  table.set_name("cv");
  table.set_title("CV models");
  table.add_notes(
      "#Params in millions; inference GFLOPs = 2 x conv and linear MACs of one "
      "image at the row's resolution; training PFLOPs = 3 x forward x images "
      "seen");
  for (const SeedCvRow& d : SeedCvRows()) {
    MEMWALL_ASSIGN_OR_RETURN(ModelSpec m, LoadModel(d.model));
    const int64_t res =
        static_cast<int64_t>(ParseSeedNumber(d.resolution).value_or(0));
    MEMWALL_ASSIGN_OR_RETURN(RowCounts c, Count(m, 0, res));
    SeedRow* row = table.add_rows();
    row->set_label(d.label);
    row->set_model(d.model);
    AddCell("cv", row, "resolution", d.resolution, static_cast<double>(res),
            "pixels");
    SeedCell* p =
        AddCell("cv", row, "params", d.params, c.params / kMillion, "M");
    p->set_memwall_seed_rounded(std::round(c.params / kMillion));
    AddCell("cv", row, "inference_gflops", d.gflops, c.forward_flops / 1e9,
            "GFLOPs");
    std::optional<double> train;
    if (c.training_flops > 0) train = c.training_flops / 1e15;
    AddCell("cv", row, "training_pflops", d.training_pflops, train, "PFLOPs");
  }
  return table;
}

// Saved activation bytes of one step of `batch` samples.
absl::StatusOr<double> ActivationBytesOf(const ModelSpec& m, int64_t length,
                                         int64_t batch) {
  if (m.has_graph()) {
    MEMWALL_ASSIGN_OR_RETURN(auto costs, GraphLayerCosts(m, length));
    double bytes = 0;
    for (const LayerCost& c : costs) bytes += SavedBytes(c, 4);
    return bytes * static_cast<double>(batch);
  }
  // Best reconstruction of the seed's NLP values: Korthikanti et al. 2022 Table
  // 2, no parallelism, 2-byte activations, every layer of every stack.
  const TransformerSpec& t = m.transformer();
  const double layers =
      static_cast<double>(t.num_layers() + t.num_decoder_layers());
  return layers * KorthikantiLayerBytes(KorthikantiTechnique::kNone,
                                        static_cast<double>(length),
                                        static_cast<double>(batch),
                                        static_cast<double>(t.hidden_size()),
                                        static_cast<double>(t.num_heads()), 1);
}

absl::StatusOr<SeedTable> MemoryTable() {
  SeedTable table;
  table.set_name("memory");
  table.set_title("Memory breakdown");
  for (const SeedNote& n : SeedNotes()) {
    if (std::string(n.table) == "memory" && std::string(n.row) == "*")
      table.add_notes(n.text);
  }
  for (const SeedMemoryRow& d : SeedMemoryRows()) {
    MEMWALL_ASSIGN_OR_RETURN(ModelSpec m, LoadModel(d.model));
    int64_t params = 0;
    if (m.has_transformer()) {
      params = CountParams(m.transformer()).total;
    } else {
      MEMWALL_ASSIGN_OR_RETURN(auto costs, GraphLayerCosts(m, d.length));
      params = SumCosts(costs).params;
    }
    const Optimizer opt = m.has_transformer() ? ADAM : SGD_MOMENTUM;
    const StateBytes b = BytesPerParam(PROFILE_SEED, FP32, opt);
    const double p = ToGiB(b.weights * static_cast<double>(params));
    const double o = ToGiB(b.optimizer * static_cast<double>(params));
    MEMWALL_ASSIGN_OR_RETURN(double act,
                             ActivationBytesOf(m, d.length, d.batch));
    const double a = ToGiB(act);
    SeedRow* row = table.add_rows();
    row->set_label(d.label);
    row->set_model(d.model);
    AddCell("memory", row, "input", d.input, static_cast<double>(d.length), "");
    AddCell("memory", row, "batch", std::to_string(d.batch),
            static_cast<double>(d.batch), "");
    AddCell("memory", row, "params", d.params, p, "GiB");
    AddCell("memory", row, "optimizer", d.optimizer, o, "GiB");
    AddCell("memory", row, "activation", d.activation, a, "GiB");
    AddCell("memory", row, "total", d.total, p + o + a, "GiB");
  }
  return table;
}

}  // namespace

std::optional<double> ParseSeedNumber(const std::string& text) {
  std::string digits;
  for (char ch : text) {
    if (ch == ',') continue;
    if ((ch >= '0' && ch <= '9') || ch == '.') {
      digits += ch;
    } else if (!digits.empty() || ch == '~') {
      break;
    }
  }
  if (digits.empty() || text.find('~') != std::string::npos)
    return std::nullopt;
  return std::strtod(digits.c_str(), nullptr);
}

absl::StatusOr<SeedTables> BuildSeedTables() {
  SeedTables out;
  out.set_source(kSeedSource);
  MEMWALL_ASSIGN_OR_RETURN(*out.add_tables(), NlpTable());
  MEMWALL_ASSIGN_OR_RETURN(*out.add_tables(), CvTable());
  MEMWALL_ASSIGN_OR_RETURN(*out.add_tables(), MemoryTable());
  return out;
}

}  // namespace memwall
