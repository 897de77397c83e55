// Model and training validation: errors name the field and its value.
#include "planner/model/validate_transformer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "planner/model/zoo.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

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

// The newer architectures' fields: negative sizes, out-of-range placements,
// and sizes whose products would overflow int64 are refused.
TEST(ValidateTransformer, NewerArchitectureFields) {
  auto model = LoadModel("deepseek-v3");
  ASSERT_TRUE(model.ok());
  ASSERT_TRUE(ValidateTransformer(model->transformer()).ok());
  const struct {
    const char* what;
    void (*edit)(TransformerSpec*);
    const char* message;
  } cases[] = {
      {"window", [](TransformerSpec* s) { s->set_sliding_window(-1); },
       "model.transformer.sliding_window=-1 must not be negative"},
      {"dense-first",
       [](TransformerSpec* s) { s->mutable_moe()->set_first_dense_layers(62); },
       "model.transformer.moe.first_dense_layers=62 exceeds "
       "model.transformer.num_layers=61"},
      {"mla heads",
       [](TransformerSpec* s) {
         s->mutable_mla()->set_qk_nope_head_dim(0);
         s->mutable_mla()->set_qk_rope_head_dim(0);
       },
       "model.transformer.mla.qk_nope_head_dim=0 plus"},
      {"mla overflow",
       [](TransformerSpec* s) {
         s->mutable_mla()->set_q_lora_rank(int64_t{1} << 40);
         s->mutable_mla()->set_kv_lora_rank(int64_t{1} << 40);
       },
       "parameters, more than"},
      {"mtp overflow",
       [](TransformerSpec* s) {
         s->mutable_mtp()->set_num_modules(int64_t{1} << 40);
       },
       "parameters, more than"},
      {"mtp negative",
       [](TransformerSpec* s) { s->mutable_mtp()->set_num_modules(-1); },
       "model.transformer.mtp.num_modules=-1"},
  };
  for (const auto& c : cases) {
    TransformerSpec s = model->transformer();
    c.edit(&s);
    EXPECT_THAT(
        ValidateTransformer(s),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.what;
  }
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
