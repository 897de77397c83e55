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
