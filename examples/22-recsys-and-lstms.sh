# Sequence models and a 10 TB recommender: parameters, FLOPs, and where the table lives.
run describe --model=seq2seq
run describe --model=elmo
run memory --model=baidu-recsys-e --profile=seed --micro_batch=512
