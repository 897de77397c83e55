# Predicted against measured step times of the published runs in validation/ (Megatron-LM
# on A100, NeMo on H100 in FP8, llm-foundry MPT under FSDP on A100 and H100): one
# efficiency set per GPU generation and stack, nothing fitted per row.
run validate --source=korthikanti-2022-table5
run validate --source=nemo-2407-pretraining
# Fit the H100's Megatron factors to the NeMo rows and write a cluster --cluster= accepts.
out=$(mktemp -d)/h100-fitted.textproto
run calibrate --runs="$(dirname "$0")/../validation/nemo-2407-pretraining.textproto" \
  --cluster=dgx-h100 --stack=megatron --params=fp8_gemm,attention --out="$out"
