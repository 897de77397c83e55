#include "planner/model/graph_layer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"

namespace memwall {
namespace {

int64_t OneIfZero(int64_t v) { return v == 0 ? 1 : v; }

absl::Status Bad(const Layer& layer, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("layer '", layer.name(), "' (",
                                                 LayerKindName(layer.kind()),
                                                 "): ", what));
}

// Parameter counts are summed in double and must stay below 4e18 (int64
// holds 9.2e18).
absl::Status SetParams(const Layer& l, double params, LayerEval* e) {
  if (!(params < 4e18))
    return Bad(l, absl::StrCat("parameter count ", params, " exceeds 4e18"));
  e->params = static_cast<int64_t>(params);
  return absl::OkStatus();
}

Shape Make(std::initializer_list<int64_t> dims, bool ids = false) {
  Shape s;
  s.ids = ids;
  for (int64_t d : dims) s.dims[s.rank++] = d;
  return s;
}

// PyTorch's output size of a convolution or pooling window along one dimension
// (torch.nn.Conv2d / MaxPool2d docs; ceil mode drops a window that starts in
// the padding).
int64_t WindowOut(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d,
                  bool ceil_mode) {
  const int64_t span = in + 2 * p - d * (k - 1) - 1;
  if (span < 0) return 0;
  int64_t out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
  if (ceil_mode && (out - 1) * s >= in + p) --out;
  return out;
}

struct Window {
  int64_t kh, kw, s, ph, pw, d;
};

Window WindowOf(const Layer& l, bool pooling) {
  Window w;
  w.kh = l.kernel_h() ? l.kernel_h() : l.kernel();
  w.kw = l.kernel_w() ? l.kernel_w() : l.kernel();
  w.s = l.stride() ? l.stride() : (pooling ? w.kh : 1);
  w.ph = l.padding_h() ? l.padding_h() : l.padding();
  w.pw = l.padding_w() ? l.padding_w() : l.padding();
  w.d = OneIfZero(l.dilation());
  return w;
}

absl::StatusOr<Shape> WindowShape(const Layer& l, const Shape& in,
                                  int64_t channels, bool pooling) {
  if (in.rank != 3 || in.ids)
    return Bad(l, "needs an image input [C, H, W], got " + in.ToString());
  const Window w = WindowOf(l, pooling);
  if (w.kh <= 0 || w.kw <= 0)
    return Bad(l,
               absl::StrCat("kernel=", w.kh, "x", w.kw, " must be positive"));
  if (w.s < 0 || w.ph < 0 || w.pw < 0)
    return Bad(l, "stride and padding must not be negative");
  const int64_t h = WindowOut(in.dims[1], w.kh, w.s, w.ph, w.d, l.ceil_mode());
  const int64_t wd = WindowOut(in.dims[2], w.kw, w.s, w.pw, w.d, l.ceil_mode());
  if (h <= 0 || wd <= 0) {
    return Bad(l, absl::StrCat("kernel ", w.kh, "x", w.kw,
                               " does not fit input ", in.ToString()));
  }
  return Make({channels, h, wd});
}

absl::Status EvalConv(const Layer& l, const Shape& in, LayerEval* e) {
  const int64_t groups = OneIfZero(l.groups());
  const int64_t cout = l.out_features();
  if (cout <= 0)
    return Bad(l, absl::StrCat("out_features=", cout, " must be positive"));
  if (in.rank != 3)
    return Bad(l, "needs an image input [C, H, W], got " + in.ToString());
  const int64_t cin = in.dims[0];
  if (groups < 0 || cin % groups != 0 || cout % groups != 0) {
    return Bad(l, absl::StrCat("groups=", groups, " must divide in channels=",
                               cin, " and out_features=", cout));
  }
  auto out = WindowShape(l, in, cout, false);
  if (!out.ok()) return out.status();
  const Window w = WindowOf(l, false);
  e->output = *out;
  const double per_out = static_cast<double>(cin / groups) *
                         static_cast<double>(w.kh) * static_cast<double>(w.kw);
  e->macs = out->elements() * per_out;
  e->saves_input = true;
  return SetParams(
      l, static_cast<double>(cout) * per_out + (l.bias() ? cout : 0), e);
}

absl::Status EvalLinear(const Layer& l, const Shape& in, LayerEval* e) {
  if (in.rank < 1 || in.rank > 2 || in.ids) {
    return Bad(l, "needs [F] or [T, F] input (flatten images first), got " +
                      in.ToString());
  }
  if (l.out_features() <= 0) return Bad(l, "out_features must be positive");
  const int64_t fin = in.dims[in.rank - 1];
  e->output = in;
  e->output.dims[in.rank - 1] = l.out_features();
  const double params =
      static_cast<double>(fin) * static_cast<double>(l.out_features()) +
      (l.bias() ? l.out_features() : 0);
  e->macs = e->output.elements() * static_cast<double>(fin);
  e->saves_input = true;
  return SetParams(l, params, e);
}

// PyTorch nn.LSTM (proj_size = LSTMP, Sak 2014); saved state as cuDNN's reserve
// space.
absl::Status EvalLstm(const Layer& l, const Shape& in, LayerEval* e) {
  if (in.rank != 2 || in.ids)
    return Bad(l, "needs a sequence input [T, F], got " + in.ToString());
  const int64_t h = l.out_features();
  const int64_t layers = OneIfZero(l.num_layers());
  const int64_t dirs = l.bidirectional() ? 2 : 1;
  const int64_t p = l.proj_size();
  if (h <= 0) return Bad(l, "out_features (hidden size) must be positive");
  if (p < 0 || p >= h)
    return Bad(l, absl::StrCat("proj_size=", p, " must be in [0, ", h, ")"));
  const int64_t hr = p > 0 ? p : h;
  const int64_t steps = in.dims[0];
  int64_t input = in.dims[1];
  double params = 0;
  for (int64_t i = 0; i < layers; ++i) {
    const double hd = static_cast<double>(h), hrd = static_cast<double>(hr);
    const double per_dir = 4 * hd * static_cast<double>(input) + 4 * hd * hrd +
                           static_cast<double>(l.num_bias_vectors()) * 4 * hd +
                           (p > 0 ? hrd * hd : 0);
    params += static_cast<double>(dirs) * per_dir;
    e->macs += static_cast<double>(dirs) * static_cast<double>(steps) *
               (4 * hd * (static_cast<double>(input) + hrd) +
                (p > 0 ? hd * static_cast<double>(p) : 0));
    // Gates (4h), cell state and its tanh (2h) per step and direction; inner
    // layer outputs.
    e->internal_saved_elements += static_cast<double>(dirs) *
                                  static_cast<double>(steps) *
                                  (6 * hd + (p > 0 ? hd : 0));
    if (i + 1 < layers)
      e->internal_saved_elements +=
          static_cast<double>(dirs) * static_cast<double>(steps) * hrd;
    input = dirs * hr;
  }
  e->output = Make({steps, dirs * hr});
  e->saves_input = true;
  e->saves_output = true;
  return SetParams(l, params, e);
}

absl::Status EvalHighway(const Layer& l, const Shape& in, LayerEval* e) {
  if (in.rank < 1 || in.rank > 2 || in.ids)
    return Bad(l, "needs [F] or [T, F] input");
  const int64_t d = in.dims[in.rank - 1];
  const int64_t layers = OneIfZero(l.num_layers());
  const double rows = in.elements() / static_cast<double>(d);
  e->output = in;
  const double dd = static_cast<double>(d);
  MEMWALL_RETURN_IF_ERROR(
      SetParams(l, static_cast<double>(layers) * 2 * (dd * dd + dd), e));
  e->macs = static_cast<double>(layers) * 2 * rows * dd * dd;
  // relu(W1 x), t and (1 - t) per layer, and each inner layer's output.
  e->internal_saved_elements =
      in.elements() * static_cast<double>(4 * layers - 1);
  e->saves_input = true;
  return absl::OkStatus();
}

absl::Status EvalConcat(const Layer& l, const std::vector<Shape>& ins,
                        LayerEval* e) {
  if (ins.size() < 2) return Bad(l, "needs at least two inputs");
  Shape out = ins[0];
  const int axis = out.rank == 3 ? 0 : out.rank - 1;
  for (size_t i = 1; i < ins.size(); ++i) {
    Shape a = ins[i], b = ins[0];
    if (a.rank != b.rank)
      return Bad(l, "inputs " + b.ToString() + " and " + a.ToString() +
                        " differ in rank");
    a.dims[axis] = b.dims[axis] = 0;
    if (!(a == b)) {
      return Bad(l, absl::StrCat("shape mismatch: input ", l.inputs(i), " is ",
                                 ins[i].ToString(), " but ", l.inputs(0),
                                 " is ", ins[0].ToString(),
                                 " (only the concat dimension may differ)"));
    }
    out.dims[axis] += ins[i].dims[axis];
  }
  e->output = out;
  return absl::OkStatus();
}

absl::Status EvalAdd(const Layer& l, const std::vector<Shape>& ins,
                     LayerEval* e) {
  if (ins.size() < 2) return Bad(l, "needs at least two inputs");
  for (size_t i = 1; i < ins.size(); ++i) {
    if (!(ins[i] == ins[0])) {
      return Bad(l, absl::StrCat("shape mismatch: input ", l.inputs(i), " is ",
                                 ins[i].ToString(), " but ", l.inputs(0),
                                 " is ", ins[0].ToString()));
    }
  }
  e->output = ins[0];
  return absl::OkStatus();
}

absl::Status EvalAdaptive(const Layer& l, const Shape& in, bool max,
                          LayerEval* e) {
  if (in.rank != 3)
    return Bad(l, "needs an image input [C, H, W], got " + in.ToString());
  const int64_t oh = OneIfZero(l.output_h()), ow = OneIfZero(l.output_w());
  e->output = Make({in.dims[0], oh, ow});
  if (max) {
    e->saves_input = true;
    e->saved_fixed_bytes = 8 * e->output.elements();
  } else {
    // A 1x1 adaptive average pool runs as mean(), whose backward keeps only
    // sizes (ATen AdaptiveAveragePooling.cpp); other sizes save the input.
    e->saves_input = !(oh == 1 && ow == 1);
  }
  return absl::OkStatus();
}

absl::Status EvalEmbedding(const Layer& l, const Shape& in, LayerEval* e) {
  const int64_t d = l.out_features();
  if (d <= 0 || l.num_embeddings() <= 0)
    return Bad(l, "num_embeddings and out_features must be positive");
  if (!in.ids)
    return Bad(l, "needs token ids (the graph input of a token model), got " +
                      in.ToString());
  MEMWALL_RETURN_IF_ERROR(SetParams(
      l, static_cast<double>(l.num_embeddings()) * static_cast<double>(d), e));
  if (l.kind() == LAYER_EMBEDDING_BAG) {
    const int64_t bag = OneIfZero(l.bag_size());
    e->output = Make({d});
    // offset2bag per id and bag_size per bag, int64 (ATen EmbeddingBag.cpp).
    e->saved_fixed_bytes = 8.0 * static_cast<double>(bag + 1);
    return absl::OkStatus();
  }
  if (in.rank == 2 && l.channels_first()) {
    e->output = Make({d, in.dims[0], in.dims[1]});
  } else if (in.rank == 1) {
    e->output = Make({in.dims[0], d});
  } else {
    return Bad(l, "ids [T, K] need channels_first");
  }
  return absl::OkStatus();
}

absl::Status EvalOne(const Layer& l, const std::vector<Shape>& ins,
                     LayerEval* e) {
  const Shape& in = ins[0];
  if (in.ids && l.kind() != LAYER_EMBEDDING &&
      l.kind() != LAYER_EMBEDDING_BAG) {
    return Bad(l, "token ids must go through an embedding first");
  }
  switch (l.kind()) {
    case LAYER_CONV2D:
      return EvalConv(l, in, e);
    case LAYER_LINEAR:
      return EvalLinear(l, in, e);
    case LAYER_LSTM:
      return EvalLstm(l, in, e);
    case LAYER_HIGHWAY:
      return EvalHighway(l, in, e);
    case LAYER_CONCAT:
      return EvalConcat(l, ins, e);
    case LAYER_ADD:
      return EvalAdd(l, ins, e);
    case LAYER_EMBEDDING:
    case LAYER_EMBEDDING_BAG:
      return EvalEmbedding(l, in, e);
    case LAYER_ADAPTIVE_AVG_POOL:
      return EvalAdaptive(l, in, false, e);
    case LAYER_ADAPTIVE_MAX_POOL:
      return EvalAdaptive(l, in, true, e);
    case LAYER_BATCH_NORM:
      if (in.rank != 3 && in.rank != 1)
        return Bad(l, "needs [C, H, W] or [C] input");
      e->output = in;
      e->params = 2 * in.dims[0];  // weight and bias; running stats are buffers
      e->saves_input = true;
      return absl::OkStatus();
    case LAYER_RELU:
      e->output = in;
      e->output_aliases_input = l.inplace();
      e->saves_output = true;  // threshold_backward(grad, result, 0)
      return absl::OkStatus();
    case LAYER_SOFTMAX:
      e->output = in;
      e->saves_output = true;
      return absl::OkStatus();
    case LAYER_LRN:
      if (in.rank != 3) return Bad(l, "needs an image input [C, H, W]");
      if (l.lrn_size() <= 0) return Bad(l, "lrn_size must be positive");
      e->output = in;
      e->saves_input = e->saves_output = true;
      return absl::OkStatus();
    case LAYER_MAX_POOL: {
      auto out = WindowShape(l, in, in.dims[0], true);
      if (!out.ok()) return out.status();
      e->output = *out;
      e->saves_input = true;
      e->saved_fixed_bytes = 8 * out->elements();  // int64 indices
      return absl::OkStatus();
    }
    case LAYER_AVG_POOL: {
      auto out = WindowShape(l, in, in.dims[0], true);
      if (!out.ok()) return out.status();
      e->output = *out;
      e->saves_input = true;
      return absl::OkStatus();
    }
    case LAYER_DROPOUT:
      e->output = in;
      e->saved_fixed_bytes = in.elements();  // bool mask, one byte per element
      return absl::OkStatus();
    case LAYER_FLATTEN:
      e->output = Make({static_cast<int64_t>(in.elements())});
      e->output_aliases_input = true;
      return absl::OkStatus();
    case LAYER_TO_SEQUENCE:
      if (in.rank != 3 || in.dims[2] != 1)
        return Bad(l, "needs [C, T, 1] input, got " + in.ToString());
      e->output = Make({in.dims[1], in.dims[0]});
      e->output_aliases_input = true;
      return absl::OkStatus();
    default:
      return Bad(
          l, absl::StrCat("unknown layer kind ", static_cast<int>(l.kind())));
  }
}

}  // namespace

std::string Shape::ToString() const {
  std::vector<int64_t> d(dims, dims + rank);
  return absl::StrCat(ids ? "ids" : "", "[", absl::StrJoin(d, ", "), "]");
}

bool Shape::operator==(const Shape& o) const {
  return rank == o.rank && ids == o.ids &&
         std::equal(dims, dims + rank, o.dims);
}

const char* LayerKindName(GraphLayerKind kind) {
  switch (kind) {
    case LAYER_CONV2D:
      return "conv2d";
    case LAYER_BATCH_NORM:
      return "batch_norm";
    case LAYER_RELU:
      return "relu";
    case LAYER_LRN:
      return "lrn";
    case LAYER_MAX_POOL:
      return "max_pool";
    case LAYER_AVG_POOL:
      return "avg_pool";
    case LAYER_ADAPTIVE_AVG_POOL:
      return "adaptive_avg_pool";
    case LAYER_ADAPTIVE_MAX_POOL:
      return "adaptive_max_pool";
    case LAYER_CONCAT:
      return "concat";
    case LAYER_ADD:
      return "add";
    case LAYER_DROPOUT:
      return "dropout";
    case LAYER_LINEAR:
      return "linear";
    case LAYER_FLATTEN:
      return "flatten";
    case LAYER_EMBEDDING:
      return "embedding";
    case LAYER_EMBEDDING_BAG:
      return "embedding_bag";
    case LAYER_LSTM:
      return "lstm";
    case LAYER_HIGHWAY:
      return "highway";
    case LAYER_SOFTMAX:
      return "softmax";
    case LAYER_TO_SEQUENCE:
      return "to_sequence";
    default:
      return "unknown";
  }
}

namespace {

// Limits that keep every product of the counts far from 2^63: window sizes
// (kernel, stride, padding, dilation, pooled outputs) up to 1e6, counts
// (channels, rows, ids) up to 1e12.
constexpr int64_t kMaxWindow = 1000000;
constexpr int64_t kMaxCount = 1000000000000;

absl::Status CheckFields(const Layer& l) {
  const std::pair<const char*, int64_t> windows[] = {
      {"kernel", l.kernel()},       {"kernel_h", l.kernel_h()},
      {"kernel_w", l.kernel_w()},   {"stride", l.stride()},
      {"padding", l.padding()},     {"padding_h", l.padding_h()},
      {"padding_w", l.padding_w()}, {"dilation", l.dilation()},
      {"lrn_size", l.lrn_size()},   {"output_h", l.output_h()},
      {"output_w", l.output_w()}};
  for (const auto& [field, value] : windows) {
    if (value < 0 || value > kMaxWindow) {
      return Bad(l, absl::StrCat(field, "=", value, " must be in [0, ",
                                 kMaxWindow, "]"));
    }
  }
  const std::pair<const char*, int64_t> counts[] = {
      {"out_features", l.out_features()},
      {"groups", l.groups()},
      {"num_embeddings", l.num_embeddings()},
      {"bag_size", l.bag_size()},
      {"num_layers", l.num_layers()},
      {"proj_size", l.proj_size()},
      {"num_bias_vectors", l.num_bias_vectors()},
      {"shards", l.shards()}};
  for (const auto& [field, value] : counts) {
    if (value < 0 || value > kMaxCount) {
      return Bad(l, absl::StrCat(field, "=", value, " must be in [0, ",
                                 kMaxCount, "]"));
    }
  }
  if (l.num_bias_vectors() > 2)
    return Bad(l, "num_bias_vectors must be 0, 1 or 2");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LayerEval> EvalLayer(const Layer& layer,
                                    const std::vector<Shape>& inputs) {
  LayerEval e;
  if (inputs.empty()) return Bad(layer, "has no input");
  if (absl::Status bad = CheckFields(layer); !bad.ok()) return bad;
  absl::Status s = EvalOne(layer, inputs, &e);
  if (!s.ok()) return s;
  return e;
}

}  // namespace memwall
