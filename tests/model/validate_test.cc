// Validation errors name the field and its value.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/model/validate_layout.h"
#include "planner/model/validate_transformer.h"
#include "planner/model/zoo.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

using ::memwall::testing::IsOk;
using ::memwall::testing::StatusIs;
using ::testing::HasSubstr;

TrainingSpec Training(int64_t global_batch, int64_t seq_len) {
  TrainingSpec t;
  t.set_global_batch(global_batch);
  t.set_seq_len(seq_len);
  t.set_dtype(BF16);
  t.set_optimizer(ADAM);
  return t;
}

TEST(ValidateLayout, NamesFieldAndValue) {
  auto model = LoadModel("llama2-7b");
  ASSERT_TRUE(model.ok());
  struct Case {
    ParallelLayout layout;
    int64_t gpus;
    const char* message;
  };
  auto with = [](auto f) {
    ParallelLayout l;
    f(l);
    return l;
  };
  const Case cases[] = {
      {with([](ParallelLayout& l) { l.tp = 3; }), 0,
       "layout.tp=3 must divide model.transformer.num_heads=32"},
      {with([](ParallelLayout& l) {
         l.dp = 2;
         l.tp = 4;
       }),
       16, "layout.dp=2 x tp=4 x pp=1 x cp=1 = 8 must equal gpus=16"},
      {with([](ParallelLayout& l) { l.dp = 3; }), 0,
       "training.global_batch=64 must be a multiple of layout.micro_batch=1 x "
       "layout.dp=3"},
      {with([](ParallelLayout& l) { l.pp = 33; }), 0,
       "layout.pp=33 exceeds the layers"},
      {with([](ParallelLayout& l) { l.zero_stage = 5; }), 0,
       "layout.zero_stage=5 must be 0, 1, 2 or 3"},
      {with([](ParallelLayout& l) { l.micro_batch = 0; }), 0,
       "layout.micro_batch=0 must be positive"},
      {with([](ParallelLayout& l) { l.cp = 3; }), 0,
       "layout.cp=3 must divide training.seq_len=4096"},
      {with([](ParallelLayout& l) { l.ep = 2; }), 0,
       "layout.ep=2 needs a model with experts"},
      {with([](ParallelLayout& l) {
         l.pp = 4;
         l.vpp = 3;
       }),
       0, "layout.pp=4 x layout.vpp=3 must divide the layers=32"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(
        ValidateLayout(*model, Training(64, 4096), c.layout, c.gpus),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)));
  }
}

TEST(ValidateLayout, KvHeadsAndExperts) {
  auto model = LoadModel("mixtral-8x7b");
  ASSERT_TRUE(model.ok());
  ParallelLayout l;
  l.tp = 16;
  EXPECT_THAT(
      ValidateLayout(*model, Training(64, 4096), l),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          HasSubstr(
              "layout.tp=16 must divide model.transformer.num_kv_heads=8")));
  l.tp = 1;
  l.ep = 3;
  EXPECT_THAT(
      ValidateLayout(*model, Training(64, 4096), l),
      StatusIs(
          absl::StatusCode::kInvalidArgument,
          HasSubstr(
              "layout.ep=3 must divide model.transformer.moe.num_experts=8")));
  l.ep = 8;
  l.dp = 8;
  EXPECT_THAT(ValidateLayout(*model, Training(64, 4096), l), IsOk());
}

TEST(ValidateTransformer, NamesFieldAndValue) {
  auto model = LoadModel("llama2-7b");
  ASSERT_TRUE(model.ok());
  TransformerSpec s = model->transformer();
  s.set_hidden_size(-5);
  EXPECT_THAT(ValidateTransformer(s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("model.transformer.hidden_size=-5")));
  s = model->transformer();
  s.set_num_kv_heads(5);
  EXPECT_THAT(
      ValidateTransformer(s),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("model.transformer.num_kv_heads=5 must divide")));
  s = model->transformer();
  s.set_vocab_size(int64_t{1} << 50);
  EXPECT_THAT(ValidateTransformer(s),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("model.transformer.vocab_size=")));
  EXPECT_THAT(ValidateTraining(Training(0, 2048)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("training.global_batch=0 must be positive")));
}

}  // namespace
}  // namespace memwall
