# Layer-graph models: counts of a CNN, a per-layer table, and the founding table's memory row
# under the seed profile next to what a real bf16 step on 8 GPUs holds per pipeline stage.
run describe --model=resnet152
run describe --model=alexnet-2012 --layers
run memory --model=resnet152-v1 --profile=seed --micro_batch=32
run memory --model=resnet152 --micro_batch=32 --gpus=8 --pp=4 --zero=1 --cluster=dgx-a100-80g
run memory --model=densenet201 --micro_batch=16 --gpus=4 --pp=4 --balance=memory
