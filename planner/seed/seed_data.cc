#include "planner/seed/seed_data.h"

namespace memwall {

const std::vector<SeedNlpRow>& SeedNlpRows() {
  static const auto* rows = new std::vector<SeedNlpRow>{
      {"Seq2Seq", "seq2seq", "", "", "", "", "11,000", false},
      {"Transformer", "transformer-base", "512", "65M", "77M", "54", "23,000",
       true},
      {"ELMo", "elmo", "", "94M", "", "", "3,300", false},
      {"BERT Large", "bert-large", "512", "330M", "230M", "340", "250,000",
       true},
      {"GPT-1", "gpt1", "512", "110M", "85M", "96", "57,000", true},
      {"GPT-2", "gpt2-xl", "1024", "1,500M", "2,000M", "3,400", "", true},
      {"RoBERTa Large", "roberta-large", "512", "1,500M", "2,000M", "3,400",
       "4,300,000", false},
      {"Megatron", "megatron-8.3b", "1024", "8,300M", "4,700M", "18,000",
       "8,100,000", true},
      {"ALBERT xxl", "albert-xxlarge", "512", "235M", "450M", "2,500",
       "31,000,000", false},
      {"Microsoft T-NLG", "t-nlg", "1024", "17,000M", "5,700M", "36,000",
       "28,000,000", true},
      {"ELECTRA Large", "electra-large", "128", "330M", "38M", "79",
       "3,100,000", false},
      {"GPT-3", "gpt3-175b", "2048", "175,000M", "63,000M", "740,000",
       "310,000,000", true},
      {"GShard", "gshard-600b", "", "600,000M", "", "", "", false},
      {"Baidu RecSys-C", "baidu-recsys-c", "N/A", "2,000,000M", "N/A",
       "~O(0.1)", "N/A", false},
      {"Baidu RecSys-E", "baidu-recsys-e", "N/A", "10,000,000M", "N/A",
       "~O(0.1)", "N/A", false},
  };
  return *rows;
}

const std::vector<SeedCvRow>& SeedCvRows() {
  static const auto* rows = new std::vector<SeedCvRow>{
      {"AlexNet", "alexnet", "227 x 227", "61M", "1.4", "460"},
      {"VGG-19", "vgg19", "224 x 224", "138M", "39", "11,000"},
      {"InceptionV3", "inception-v3-noaux", "299 x 299", "24M", "5.7",
       "100,000"},
      {"ResNet152", "resnet152", "224 x 224", "55M", "23", "11,000"},
      {"InceptionV4", "inception-v4", "299 x 299", "82M", "24.6", ""},
      {"Xception", "xception", "299 x 299", "23M", "17", "450,000"},
      {"ResNeXt101(64x4d)", "resnext101-64x4d", "224 x 224", "83M", "31",
       "12,000"},
      {"DenseNet201", "densenet201", "224 x 224", "20M", "8.9", "2,800"},
  };
  return *rows;
}

const std::vector<SeedMemoryRow>& SeedMemoryRows() {
  static const auto* rows = new std::vector<SeedMemoryRow>{
      {"AlexNet", "alexnet-2012", "227 x 227", 227, 128, "0.23 GB", "0.23 GB",
       "0.71 GB", "1.71 GB"},
      {"VGG19", "vgg19", "224 x 224", 224, 64, "0.54 GB", "0.54 GB", "4.64 GB",
       "5.72 GB"},
      {"ResNet152", "resnet152-v1", "224 x 224", 224, 32, "0.22 GB", "0.22 GB",
       "5.14 GB", "5.58 GB"},
      {"DenseNet201", "densenet201", "224 x 224", 224, 32, "0.07 GB", "0.07 GB",
       "6.04 GB", "6.18 GB"},
      {"ResNeXt101 (64x4d)", "resnext101-64x4d", "224 x 224", 224, 32,
       "0.31 GB", "0.31 GB", "7.34 GB", "7.96 GB"},
      {"Transformer Big (WMT)", "transformer-big", "512", 512, 6, "1.02 GB",
       "2.04 GB", "11.78 GB", "14.84 GB"},
      {"BERT Large", "bert-large", "512", 512, 16, "1.32 GB", "2.64 GB",
       "14.38 GB", "18.34 GB"},
      {"GPT-2", "gpt2-xl", "2014", 1024, 1, "5.86 GB", "11.62 GB", "8.63 GB",
       "26.21 GB"},
  };
  return *rows;
}

const std::vector<SeedNote>& SeedNotes() {
  static const auto* notes = new std::vector<SeedNote>{
      // NLP table.
      {"nlp", "Seq2Seq", "params", true,
       "seed leaves it blank; Sutskever et al. 2014 report 384M"},
      {"nlp", "Seq2Seq", "training_pflops", false,
       "seed uses 6 x N x D with N = 384M (embeddings counted as matmuls) and "
       "D = 4.9e9 "
       "words; memwall counts 3 x forward FLOPs of the LSTM and softmax GEMMs "
       "only"},
      {"nlp", "Transformer", "params", false,
       "base model (65M in the paper; 37k shared BPE vocabulary assumed)"},
      {"nlp", "Transformer", "training_pflops", true,
       "row mixes models: 23,000 is Vaswani Table 2's big-model estimate "
       "(2.3e19, from GPU "
       "time); the base model of this row is 3.3e18 there, and a FLOP count of "
       "its 100k steps "
       "is lower still"},
      {"nlp", "ELMo", "training_pflops", false,
       "10 epochs over the 1B Word Benchmark assumed; the seed's setup is not "
       "published"},
      {"nlp", "BERT Large", "params", false,
       "rounded down: BertModel holds 335.1M, 336.2M with the MLM head (paper "
       "340M)"},
      {"nlp", "GPT-1", "params", true,
       "110M is BERT-base's count; GPT-1 holds 116.5M (117M)"},
      {"nlp", "GPT-1", "training_pflops", false,
       "BooksCorpus words taken as tokens; the seed's token count is not "
       "stated"},
      {"nlp", "GPT-2", "training_pflops", false,
       "steps not published; seed blank"},
      {"nlp", "RoBERTa Large", "params", true,
       "RoBERTa row repeats GPT-2's numbers"},
      {"nlp", "RoBERTa Large", "features", true,
       "RoBERTa row repeats GPT-2's numbers (1024 tokens); at 512 tokens it is "
       "BERT-Large's"},
      {"nlp", "RoBERTa Large", "inference_gflops", true,
       "RoBERTa row repeats GPT-2's numbers"},
      {"nlp", "ALBERT xxl", "params", true,
       "235M is the paper's count; the released xxlarge config holds 222.6M (+ "
       "MLM head)"},
      {"nlp", "Microsoft T-NLG", "training_pflops", false,
       "training tokens not published; seed value unverifiable"},
      {"nlp", "ELECTRA Large", "token_size", true,
       "128 is ELECTRA-Small's length; Large trains at 512 (230M features, 340 "
       "GFLOPs there); "
       "features and GFLOPs here are computed at the seed's 128"},
      {"nlp", "ELECTRA Large", "training_pflops", false,
       "seed copies the paper's Table 8 (3.1e21); memwall counts the "
       "discriminator at 512 "
       "tokens only"},
      {"nlp", "GShard", "params", false,
       "36 layers (18 + 18 assumed), 2048 experts top-2 in every other FFN "
       "layer"},
      {"nlp", "Baidu RecSys-C", "params", true,
       "the seed's count is a model size in bytes (about 2 TB) read as "
       "parameters; memwall "
       "sizes the table as 2 TB / 4 B fp32"},
      {"nlp", "Baidu RecSys-E", "params", true,
       "the seed's count is the paper's '10 TB parameters' read as a parameter "
       "count; memwall "
       "sizes the table as 10 TB / 4 B fp32 (Zhao et al., MLSys 2020)"},
      {"nlp", "Baidu RecSys-C", "inference_gflops", false,
       "order of magnitude only; the dense part is assumed"},
      {"nlp", "Baidu RecSys-E", "inference_gflops", false,
       "order of magnitude only; the dense part is assumed"},
      // CV table.
      {"cv", "VGG-19", "params", true,
       "138M is VGG-16's count; VGG-19 holds 143.7M"},
      {"cv", "InceptionV3", "params", false,
       "without the auxiliary classifier (27.2M with it)"},
      {"cv", "InceptionV3", "inference_gflops", true,
       "InceptionV3 GFLOPs are MACs (torchvision's 5.71 copied without "
       "doubling)"},
      {"cv", "InceptionV3", "training_pflops", true,
       "seed is a GPU-time estimate (about 23x a FLOP count of 100 epochs)"},
      {"cv", "ResNet152", "params", true,
       "55M is 0.22 (GiB) / 4 B back-derived from the memory table; ResNet-152 "
       "holds 60.2M"},
      {"cv", "InceptionV4", "params", true,
       "82M has no source; Inception-v4 holds 42.7M"},
      {"cv", "Xception", "training_pflops", true,
       "seed's value is the JFT (350M images) run; memwall counts 100 ImageNet "
       "epochs"},
      {"cv", "DenseNet201", "inference_gflops", false, "seed about 4% high"},
      // Memory table.
      {"memory", "*", "units", false,
       "CV memory is in GiB although printed as GB; params = 4 B x N, "
       "optimizer = 1 x params "
       "(SGD momentum, CV) or 2 x params (Adam, NLP), no gradient term"},
      {"memory", "AlexNet", "activation", true,
       "not reproducible with torchvision AlexNet (0.37 GiB); memwall's "
       "closest is the "
       "original network with a fused LRN saving input and output"},
      {"memory", "AlexNet", "total", true,
       "AlexNet total 1.71 is a transposition of 1.17"},
      {"memory", "ResNet152", "activation", false,
       "original v1 block (stride in the first 1x1)"},
      {"memory", "Transformer Big (WMT)", "params", true,
       "1.02 matches about 274.7M parameters (three untied 32k embeddings, "
       "inferred); "
       "memwall holds the paper's model with one shared 37k embedding"},
      {"memory", "Transformer Big (WMT)", "activation", true,
       "not reproducible: about 3x any consistent estimate (memwall: "
       "Korthikanti et al. 2022 "
       "fp16 formula, all 12 layers)"},
      {"memory", "Transformer Big (WMT)", "optimizer", false,
       "2 x params (follows them)"},
      {"memory", "Transformer Big (WMT)", "total", false,
       "follows the params and activation cells"},
      {"memory", "BERT Large", "params", false,
       "seed is 330M x 4 B in decimal GB; 335.1M x 4 B = 1.25 GiB"},
      {"memory", "BERT Large", "activation", false,
       "closest reconstruction: Korthikanti et al. 2022 fp16 activations L s b "
       "h (34 + 5as/h) "
       "in GiB (about 3% low)"},
      {"memory", "GPT-2", "input", true,
       "GPT-2 sequence 2014 is a typo for 1024"},
      {"memory", "GPT-2", "optimizer", true,
       "11.62 must be 11.72 = 2 x 5.86 (the total 26.21 already uses 11.72)"},
      {"memory", "GPT-2", "activation", false,
       "closest reconstruction: Korthikanti et al. 2022 fp16 activations "
       "(about 3% low)"},
  };
  return *notes;
}

}  // namespace memwall
