#include "planner/model/graph_builder.h"

namespace memwall {

Layer* GraphBuilder::Add(const std::string& name, GraphLayerKind kind,
                         const std::vector<std::string>& ins) {
  Layer* l = graph_->add_layers();
  l->set_name(name);
  l->set_kind(kind);
  for (const std::string& in : ins) l->add_inputs(in);
  return l;
}

std::string GraphBuilder::Append(Layer layer,
                                 const std::vector<std::string>& ins) {
  layer.clear_inputs();
  for (const std::string& in : ins) layer.add_inputs(in);
  *graph_->add_layers() = std::move(layer);
  return graph_->layers(graph_->layers_size() - 1).name();
}

std::string GraphBuilder::Conv(const std::string& name, const std::string& in,
                               const ConvArgs& a) {
  Layer* l = Add(name, LAYER_CONV2D, {in});
  l->set_out_features(a.out);
  if (a.kh == a.kw) {
    l->set_kernel(a.kh);
  } else {
    l->set_kernel_h(a.kh);
    l->set_kernel_w(a.kw);
  }
  if (a.stride != 1) l->set_stride(a.stride);
  if (a.ph == a.pw) {
    l->set_padding(a.ph);
  } else {
    l->set_padding_h(a.ph);
    l->set_padding_w(a.pw);
  }
  if (a.groups != 1) l->set_groups(a.groups);
  l->set_bias(a.bias);
  return name;
}

std::string GraphBuilder::Conv(const std::string& name, const std::string& in,
                               int64_t out, int64_t k, int64_t stride,
                               int64_t p, bool bias, int64_t groups) {
  ConvArgs a;
  a.out = out;
  a.kh = a.kw = k;
  a.stride = stride;
  a.ph = a.pw = p;
  a.bias = bias;
  a.groups = groups;
  return Conv(name, in, a);
}

std::string GraphBuilder::BatchNorm(const std::string& name,
                                    const std::string& in) {
  Add(name, LAYER_BATCH_NORM, {in});
  return name;
}

std::string GraphBuilder::Relu(const std::string& name, const std::string& in,
                               bool inplace) {
  Add(name, LAYER_RELU, {in})->set_inplace(inplace);
  return name;
}

std::string GraphBuilder::Lrn(const std::string& name, const std::string& in,
                              int64_t size) {
  Add(name, LAYER_LRN, {in})->set_lrn_size(size);
  return name;
}

std::string GraphBuilder::MaxPool(const std::string& name,
                                  const std::string& in, int64_t k,
                                  int64_t stride, int64_t p, bool ceil_mode) {
  Layer* l = Add(name, LAYER_MAX_POOL, {in});
  l->set_kernel(k);
  l->set_stride(stride);
  l->set_padding(p);
  l->set_ceil_mode(ceil_mode);
  return name;
}

std::string GraphBuilder::AvgPool(const std::string& name,
                                  const std::string& in, int64_t k,
                                  int64_t stride, int64_t p) {
  Layer* l = Add(name, LAYER_AVG_POOL, {in});
  l->set_kernel(k);
  l->set_stride(stride);
  l->set_padding(p);
  return name;
}

std::string GraphBuilder::AdaptiveAvgPool(const std::string& name,
                                          const std::string& in, int64_t oh,
                                          int64_t ow) {
  Layer* l = Add(name, LAYER_ADAPTIVE_AVG_POOL, {in});
  l->set_output_h(oh);
  l->set_output_w(ow);
  return name;
}

std::string GraphBuilder::AdaptiveMaxPool(const std::string& name,
                                          const std::string& in, int64_t oh,
                                          int64_t ow) {
  Layer* l = Add(name, LAYER_ADAPTIVE_MAX_POOL, {in});
  l->set_output_h(oh);
  l->set_output_w(ow);
  return name;
}

std::string GraphBuilder::Concat(const std::string& name,
                                 const std::vector<std::string>& ins) {
  Add(name, LAYER_CONCAT, ins);
  return name;
}

std::string GraphBuilder::Add(const std::string& name, const std::string& a,
                              const std::string& b) {
  Add(name, LAYER_ADD, {a, b});
  return name;
}

std::string GraphBuilder::Dropout(const std::string& name,
                                  const std::string& in) {
  Add(name, LAYER_DROPOUT, {in});
  return name;
}

std::string GraphBuilder::Flatten(const std::string& name,
                                  const std::string& in) {
  Add(name, LAYER_FLATTEN, {in});
  return name;
}

std::string GraphBuilder::Linear(const std::string& name, const std::string& in,
                                 int64_t out, bool bias) {
  Layer* l = Add(name, LAYER_LINEAR, {in});
  l->set_out_features(out);
  l->set_bias(bias);
  return name;
}

std::string GraphBuilder::Softmax(const std::string& name,
                                  const std::string& in) {
  Add(name, LAYER_SOFTMAX, {in});
  return name;
}

std::string GraphBuilder::ConvBnRelu(const std::string& name,
                                     const std::string& in, const ConvArgs& a) {
  const std::string c = Conv(name + ".conv", in, a);
  const std::string b = BatchNorm(name + ".bn", c);
  return Relu(name + ".relu", b);
}

}  // namespace memwall
