// Megatron-LM launch lines (see megatron_args.h). Argument names and defaults
// follow megatron/training/arguments.py: dropout 0.1, LayerNorm, learned
// absolute positions, biased linears and tied embeddings unless switched off;
// with --swiglu and no --ffn-hidden-size, ffn = floor(8h/3 / 64) x 64.
#include "planner/cli/megatron_args.h"

#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "common/zoo.h"
#include "planner/model/zoo.h"

namespace memwall {
namespace {

// Splits a shell-like line: whitespace separates words, quotes group them, a
// backslash escapes the next character (so "\\\n" continues a line).
std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      if (line[i + 1] != '\n') {
        word += line[i + 1];
        in_word = true;
      }
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

// --name value..., --name=value, or --name alone (a switch).
using Args = std::map<std::string, std::vector<std::string>>;

struct Parsed {
  Args args;
  std::vector<std::string> order;
};

Parsed ParseWords(const std::vector<std::string>& words) {
  Parsed p;
  size_t i = 0;
  // A launcher (torchrun ... pretrain_gpt.py) comes before the script's
  // arguments.
  for (size_t j = 0; j < words.size(); ++j) {
    if (absl::EndsWith(words[j], ".py")) i = j + 1;
  }
  while (i < words.size() && !absl::StartsWith(words[i], "--")) ++i;
  for (; i < words.size(); ++i) {
    std::string name = words[i].substr(2);
    std::vector<std::string> values;
    const size_t eq = name.find('=');
    if (eq != std::string::npos) {
      values.push_back(name.substr(eq + 1));
      name = name.substr(0, eq);
    }
    while (i + 1 < words.size() && !absl::StartsWith(words[i + 1], "--")) {
      values.push_back(words[++i]);
    }
    if (p.args.count(name) == 0) p.order.push_back(name);
    p.args[name] = values;
  }
  return p;
}

class Reader {
 public:
  explicit Reader(const Parsed& p) : p_(p) {}

  bool Switch(const std::string& name) {
    read_.insert(name);
    return p_.args.count(name) > 0;
  }
  absl::StatusOr<std::optional<std::string>> String(const std::string& name) {
    read_.insert(name);
    auto it = p_.args.find(name);
    if (it == p_.args.end()) return std::optional<std::string>();
    if (it->second.size() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--megatron_args: --", name, " takes one value, got ",
                       it->second.size()));
    }
    return std::optional<std::string>(it->second[0]);
  }
  absl::StatusOr<std::optional<int64_t>> Int(const std::string& name,
                                             int64_t min = 1) {
    MEMWALL_ASSIGN_OR_RETURN(const auto text, String(name));
    if (!text) return std::optional<int64_t>();
    int64_t value = 0;
    if (!absl::SimpleAtoi(*text, &value) || value < min ||
        value > (int64_t{1} << 40)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--megatron_args: --", name, "=", *text,
                       " must be a whole number in [", min, ", 2^40]"));
    }
    return std::optional<int64_t>(value);
  }
  absl::StatusOr<std::optional<double>> Double(const std::string& name) {
    MEMWALL_ASSIGN_OR_RETURN(const auto text, String(name));
    if (!text) return std::optional<double>();
    double value = 0;
    if (!absl::SimpleAtod(*text, &value)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--megatron_args: --", name, "=", *text, " must be a number"));
    }
    return std::optional<double>(value);
  }
  std::vector<std::string> Unread() const {
    std::vector<std::string> out;
    for (const std::string& name : p_.order) {
      if (read_.count(name) == 0) out.push_back("--" + name);
    }
    return out;
  }

 private:
  const Parsed& p_;
  std::set<std::string> read_;
};

absl::Status Missing(const std::string& name) {
  return absl::InvalidArgumentError(
      absl::StrCat("--megatron_args: --", name, " is required"));
}

// Vocabulary of the tokenizers whose size is known without reading files;
// others need --vocab-size.
std::optional<int64_t> TokenizerVocab(const std::string& type,
                                      const std::string& model) {
  if (type == "GPT2BPETokenizer") return 50257;  // GPT-2 BPE
  if (absl::StrContains(model, "Llama-3") ||
      absl::StrContains(model, "llama3")) {
    return 128256;  // Llama 3 tokenizer (tiktoken, 128K + 256 special)
  }
  return std::nullopt;
}

// --moe-layer-freq: 1 (every layer MoE) or the dense-first list pattern
// "([0]*k+[1]*m)" with k + m layers (DeepSeek-V3's recipe). An integer N > 1
// puts MoE layers at 0, N, 2N, ... in Megatron, which memwall's layer_freq
// (N-1, 2N-1, ...) does not reproduce, so it is refused.
absl::Status MoeLayerPattern(const std::string& text, int64_t layers,
                             MoeSpec* moe) {
  std::string v;
  for (char c : text) {
    if (c != ' ' && c != '(' && c != ')') v += c;
  }
  moe->set_layer_freq(1);
  if (v == "1") return absl::OkStatus();
  int64_t dense = 0, sparse = 0;
  const size_t plus = v.find("+[1]*");
  if (absl::StartsWith(v, "[0]*") && plus != std::string::npos &&
      absl::SimpleAtoi(v.substr(4, plus - 4), &dense) &&
      absl::SimpleAtoi(v.substr(plus + 5), &sparse) && dense >= 0 &&
      sparse >= 0 && dense + sparse == layers) {
    moe->set_first_dense_layers(dense);
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--megatron_args: --moe-layer-freq=", text,
      " is not supported (1, or ([0]*k+[1]*m) with k + m = --num-layers=",
      layers, ")"));
}

absl::Status ReadModel(Reader& r, MegatronArgs* out) {
  TransformerSpec* t = out->model.mutable_transformer();
  MEMWALL_ASSIGN_OR_RETURN(const auto layers, r.Int("num-layers"));
  MEMWALL_ASSIGN_OR_RETURN(const auto hidden, r.Int("hidden-size"));
  MEMWALL_ASSIGN_OR_RETURN(const auto heads, r.Int("num-attention-heads"));
  if (!layers) return Missing("num-layers");
  if (!hidden) return Missing("hidden-size");
  if (!heads) return Missing("num-attention-heads");
  t->set_num_layers(*layers);
  t->set_hidden_size(*hidden);
  t->set_num_heads(*heads);
  const bool swiglu = r.Switch("swiglu");
  t->set_activation(swiglu ? SWIGLU : GELU);
  MEMWALL_ASSIGN_OR_RETURN(const auto ffn, r.Int("ffn-hidden-size"));
  t->set_ffn_hidden_size(ffn      ? *ffn
                         : swiglu ? (8 * *hidden / 3) / 64 * 64
                                  : 4 * *hidden);
  if (r.Switch("group-query-attention")) {
    MEMWALL_ASSIGN_OR_RETURN(const auto groups, r.Int("num-query-groups"));
    if (!groups) return Missing("num-query-groups");
    t->set_num_kv_heads(*groups);
  }
  MEMWALL_ASSIGN_OR_RETURN(const auto kv_channels, r.Int("kv-channels"));
  if (kv_channels &&
      (*hidden % *heads != 0 || *kv_channels != *hidden / *heads))
    t->set_head_dim(*kv_channels);
  MEMWALL_ASSIGN_OR_RETURN(const auto norm, r.String("normalization"));
  if (!norm || *norm == "LayerNorm") {
    t->set_norm(LAYER_NORM);
  } else if (*norm == "RMSNorm") {
    t->set_norm(RMS_NORM);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--megatron_args: --normalization=", *norm,
                     " is not LayerNorm or RMSNorm"));
  }
  MEMWALL_ASSIGN_OR_RETURN(const auto positions,
                           r.String("position-embedding-type"));
  const std::string pos = positions.value_or("learned_absolute");
  if (pos != "learned_absolute" && pos != "rope" && pos != "none") {
    return absl::InvalidArgumentError(
        absl::StrCat("--megatron_args: --position-embedding-type=", pos,
                     " is not learned_absolute, rope or none"));
  }
  t->set_learned_positions(pos == "learned_absolute");
  t->set_tied_embeddings(!r.Switch("untie-embeddings-and-output-weights"));
  t->set_linear_bias(!r.Switch("disable-bias-linear"));
  t->set_qkv_bias(r.Switch("add-qkv-bias"));
  MEMWALL_ASSIGN_OR_RETURN(const auto seq, r.Int("seq-length"));
  MEMWALL_ASSIGN_OR_RETURN(const auto max_pos,
                           r.Int("max-position-embeddings"));
  if (!seq && !max_pos) return Missing("seq-length");
  t->set_max_seq_len(max_pos ? *max_pos : *seq);
  MEMWALL_ASSIGN_OR_RETURN(const auto vocab, r.Int("vocab-size"));
  MEMWALL_ASSIGN_OR_RETURN(const auto tokenizer, r.String("tokenizer-type"));
  MEMWALL_ASSIGN_OR_RETURN(const auto tokenizer_model,
                           r.String("tokenizer-model"));
  const std::optional<int64_t> known =
      TokenizerVocab(tokenizer.value_or(""), tokenizer_model.value_or(""));
  if (!vocab && !known) {
    return absl::InvalidArgumentError(
        "--megatron_args: the vocabulary is unknown: give --vocab-size (known "
        "without it: --tokenizer-type GPT2BPETokenizer, Llama 3 tokenizers)");
  }
  t->set_vocab_size(vocab ? *vocab : *known);
  MEMWALL_ASSIGN_OR_RETURN(const auto hidden_dropout,
                           r.Double("hidden-dropout"));
  MEMWALL_ASSIGN_OR_RETURN(const auto attn_dropout,
                           r.Double("attention-dropout"));
  t->set_dropout(hidden_dropout.value_or(0.1) > 0 ||
                 attn_dropout.value_or(0.1) > 0);
  t->set_causal(true);
  t->set_final_norm(true);

  MEMWALL_ASSIGN_OR_RETURN(const auto experts, r.Int("num-experts"));
  if (experts) {
    MoeSpec* moe = t->mutable_moe();
    moe->set_num_experts(*experts);
    MEMWALL_ASSIGN_OR_RETURN(const auto top_k, r.Int("moe-router-topk"));
    moe->set_top_k(top_k.value_or(2));
    MEMWALL_ASSIGN_OR_RETURN(const auto expert_ffn,
                             r.Int("moe-ffn-hidden-size"));
    moe->set_expert_ffn_hidden_size(expert_ffn.value_or(0));
    MEMWALL_ASSIGN_OR_RETURN(const auto shared,
                             r.Int("moe-shared-expert-intermediate-size"));
    moe->set_shared_expert_ffn_hidden_size(shared.value_or(0));
    MEMWALL_ASSIGN_OR_RETURN(const auto freq, r.String("moe-layer-freq"));
    MEMWALL_RETURN_IF_ERROR(
        MoeLayerPattern(freq.value_or("1"), t->num_layers(), moe));
    moe->set_router_bias(r.Switch("moe-router-enable-expert-bias"));
  }
  if (r.Switch("multi-latent-attention")) {
    MlaSpec* mla = t->mutable_mla();
    MEMWALL_ASSIGN_OR_RETURN(const auto q_lora, r.Int("q-lora-rank"));
    MEMWALL_ASSIGN_OR_RETURN(const auto kv_lora, r.Int("kv-lora-rank"));
    MEMWALL_ASSIGN_OR_RETURN(const auto nope, r.Int("qk-head-dim"));
    MEMWALL_ASSIGN_OR_RETURN(const auto rope, r.Int("qk-pos-emb-head-dim"));
    MEMWALL_ASSIGN_OR_RETURN(const auto v, r.Int("v-head-dim"));
    // Megatron's MLATransformerConfig defaults (DeepSeek-V2 sizes).
    mla->set_q_lora_rank(q_lora.value_or(512));
    mla->set_kv_lora_rank(kv_lora.value_or(512));
    mla->set_qk_nope_head_dim(nope.value_or(128));
    mla->set_qk_rope_head_dim(rope.value_or(64));
    mla->set_v_head_dim(v.value_or(128));
  }
  MEMWALL_ASSIGN_OR_RETURN(const auto mtp, r.Int("mtp-num-layers", 0));
  if (mtp && *mtp > 0) t->mutable_mtp()->set_num_modules(*mtp);
  out->model.set_name("megatron-args");
  out->model.set_source("Megatron-LM launch arguments (--megatron_args)");
  out->model.set_domain("nlp");
  return absl::OkStatus();
}

absl::Status ReadLayout(Reader& r, const TransformerSpec& t,
                        MegatronArgs* out) {
  auto add = [&](const std::string& name, const std::string& value) {
    out->flags.emplace_back(name, value);
  };
  for (const auto& [megatron, memwall] :
       std::vector<std::pair<const char*, const char*>>{
           {"tensor-model-parallel-size", "tp"},
           {"pipeline-model-parallel-size", "pp"},
           {"context-parallel-size", "cp"},
           {"expert-model-parallel-size", "ep"},
           {"expert-tensor-parallel-size", "etp"},
           {"micro-batch-size", "micro_batch"},
           {"global-batch-size", "global_batch"},
           {"seq-length", "seq_len"}}) {
    MEMWALL_ASSIGN_OR_RETURN(const auto value, r.Int(megatron));
    if (value) add(memwall, absl::StrCat(*value));
  }
  MEMWALL_ASSIGN_OR_RETURN(const auto per_stage,
                           r.Int("num-layers-per-virtual-pipeline-stage"));
  if (per_stage) {
    MEMWALL_ASSIGN_OR_RETURN(const auto pp,
                             r.Int("pipeline-model-parallel-size"));
    const int64_t stage_layers = t.num_layers() / pp.value_or(1);
    if (stage_layers % *per_stage != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--megatron_args: --num-layers-per-virtual-pipeline-stage=",
          *per_stage, " must divide the ", stage_layers,
          " layers of a pipeline stage"));
    }
    add("vpp", absl::StrCat(stage_layers / *per_stage));
  }
  if (r.Switch("sequence-parallel")) add("sequence_parallel", "true");
  if (r.Switch("use-distributed-optimizer"))
    add("distributed_optimizer", "true");
  if (r.Switch("use-flash-attn")) add("flash_attention", "true");
  MEMWALL_ASSIGN_OR_RETURN(const auto granularity,
                           r.String("recompute-granularity"));
  if (granularity) {
    if (*granularity != "full" && *granularity != "selective") {
      return absl::InvalidArgumentError(absl::StrCat(
          "--megatron_args: --recompute-granularity=", *granularity,
          " is not full or selective"));
    }
    add("recompute", *granularity);
  } else if (r.Switch("recompute-activations")) {
    add("recompute", "selective");
  }
  MEMWALL_ASSIGN_OR_RETURN(const auto fp8, r.String("fp8-format"));
  if (fp8) {
    add("dtype", "fp8");
  } else if (r.Switch("bf16")) {
    add("dtype", "bf16");
  } else if (r.Switch("fp16")) {
    add("dtype", "fp16");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<MegatronArgs> ParseMegatronArgs(const std::string& line) {
  const Parsed parsed = ParseWords(Words(line));
  Reader r(parsed);
  MegatronArgs out;
  MEMWALL_RETURN_IF_ERROR(ReadModel(r, &out));
  MEMWALL_RETURN_IF_ERROR(ReadLayout(r, out.model.transformer(), &out));
  out.unknown = r.Unread();
  return out;
}

absl::StatusOr<Flags> ParseFlagsWithMegatronArgs(int argc,
                                                 const char* const* argv,
                                                 int first) {
  MEMWALL_ASSIGN_OR_RETURN(Flags flags, Flags::Parse(argc, argv, first));
  if (!flags.Has("megatron_args")) return flags;
  MEMWALL_ASSIGN_OR_RETURN(const std::string line,
                           flags.GetString("megatron_args", ""));
  MEMWALL_ASSIGN_OR_RETURN(const MegatronArgs args, ParseMegatronArgs(line));
  if (!args.unknown.empty()) {
    std::cerr << "memwall: --megatron_args: not read (no effect on the plan): "
              << absl::StrJoin(args.unknown, " ") << "\n";
  }
  // A flag typed on the command line replaces the line's (flags may not
  // repeat, so the line's value is left out rather than overridden).
  std::vector<std::string> words;
  for (const auto& [name, value] : args.flags) {
    if (!flags.Has(name)) words.push_back(absl::StrCat("--", name, "=", value));
  }
  std::vector<const char*> expanded(argv, argv + first);
  for (const std::string& w : words) expanded.push_back(w.c_str());
  for (int i = first; i < argc; ++i) expanded.push_back(argv[i]);
  MEMWALL_ASSIGN_OR_RETURN(
      Flags merged,
      Flags::Parse(static_cast<int>(expanded.size()), expanded.data(), first));
  // A command that has no use for a derived flag (plan searches ZeRO stages
  // itself) skips it instead of calling it unknown; flags typed on the
  // command line are still checked.
  for (const auto& [name, value] : args.flags) {
    if (!flags.Has(name)) (void)merged.GetString(name, "");
  }
  return merged;
}

absl::StatusOr<ModelSpec> LoadModelFromFlags(const Flags& flags,
                                             std::string* model_name) {
  MEMWALL_ASSIGN_OR_RETURN(*model_name, flags.GetString("model", ""));
  MEMWALL_ASSIGN_OR_RETURN(const std::string line,
                           flags.GetString("megatron_args", ""));
  if (model_name->empty() && !line.empty()) {
    MEMWALL_ASSIGN_OR_RETURN(MegatronArgs args, ParseMegatronArgs(line));
    *model_name = args.model.name();
    MEMWALL_RETURN_IF_ERROR(ApplyOverrides(flags.GetAll("set"), &args.model));
    return args.model;
  }
  if (model_name->empty())
    return absl::InvalidArgumentError(
        "--model is required (or --megatron_args)");
  return LoadModel(*model_name, flags.GetAll("set"));
}

}  // namespace memwall
