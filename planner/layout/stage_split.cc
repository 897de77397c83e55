#include "planner/layout/stage_split.h"

#include <algorithm>

namespace memwall {

PipelineSplit::PipelineSplit(int64_t layers, const ParallelLayout& l)
    : pp_(l.pp), vpp_(l.vpp), chunks_(l.pp * l.vpp) {
  if (l.first_stage_layers > 0 || l.last_stage_layers > 0) {
    given_ = true;
    const int64_t set =
        (l.first_stage_layers > 0 ? 1 : 0) + (l.last_stage_layers > 0 ? 1 : 0);
    const int64_t middle_ranks = pp_ - set;
    const int64_t rest = layers - l.first_stage_layers - l.last_stage_layers;
    middle_chunk_ = middle_ranks > 0 ? rest / (middle_ranks * vpp_) : 0;
    first_chunk_ =
        l.first_stage_layers > 0 ? l.first_stage_layers / vpp_ : middle_chunk_;
    last_chunk_ =
        l.last_stage_layers > 0 ? l.last_stage_layers / vpp_ : middle_chunk_;
    return;
  }
  if (l.account_embedding || l.account_loss) {
    front_ = l.account_embedding ? 1 : 0;
    back_ = l.account_loss ? 1 : 0;
    big_ = (layers + front_ + back_) / chunks_;
    return;
  }
  // Edges: chunks_ - layers % chunks_ >= 1 chunks are short (base layers),
  // alternately from the front and the back.
  big_ = layers / chunks_ + 1;
  const int64_t shorts = chunks_ - layers % chunks_;
  front_ = (shorts + 1) / 2;
  back_ = shorts / 2;
}

int64_t PipelineSplit::ChunkSize(int64_t c) const {
  if (given_) {
    const int64_t stage = c % pp_;
    return stage == 0 ? first_chunk_
                      : (stage == pp_ - 1 ? last_chunk_ : middle_chunk_);
  }
  return big_ - (c < front_ ? 1 : 0) - (c >= chunks_ - back_ ? 1 : 0);
}

int64_t PipelineSplit::ChunkFirst(int64_t c) const {
  if (given_) {
    const int64_t round =
        first_chunk_ + last_chunk_ + (pp_ - 2) * middle_chunk_;
    const int64_t j = c / pp_, stage = c % pp_;
    const int64_t before =
        stage == 0 ? 0 : first_chunk_ + (stage - 1) * middle_chunk_;
    return j * (pp_ == 1 ? first_chunk_ : round) + before;
  }
  return c * big_ - std::min(c, front_) -
         std::max<int64_t>(0, c - (chunks_ - back_));
}

LayerRange PipelineSplit::Chunk(int64_t stage, int64_t j) const {
  const int64_t c = j * pp_ + stage;
  return LayerRange{ChunkFirst(c), ChunkSize(c)};
}

int64_t PipelineSplit::StageLayerCount(int64_t stage) const {
  if (given_) return vpp_ * ChunkSize(stage);
  if (vpp_ == 1) return ChunkSize(stage);  // no division: the search's case
  // Of the rank's chunks stage, stage + pp, ..., how many fall among the
  // first front_ and among the last back_ chunks.
  const int64_t short_front =
      front_ > stage ? (front_ - stage + pp_ - 1) / pp_ : 0;
  const int64_t cut = chunks_ - back_;
  const int64_t before_cut = cut > stage ? (cut - stage + pp_ - 1) / pp_ : 0;
  return vpp_ * big_ - short_front - (vpp_ - before_cut);
}

LayerRange PipelineSplit::Stage(int64_t stage) const { return Chunk(stage, 0); }

PipelineStages PipelineSplit::Pacing() const {
  PipelineStages out;
  out.first = StageLayerCount(0);
  out.last = StageLayerCount(pp_ - 1);
  if (given_) {
    out.longest = std::max(out.first, out.last);
    if (pp_ > 2) out.longest = std::max(out.longest, vpp_ * middle_chunk_);
    return out;
  }
  // Rank s loses q_f + [s < r_f] front and q_b + [s > p - 1 - r_b] back
  // layers (front_ = q_f p + r_f, back_ = q_b p + r_b); some rank loses only
  // the q's unless the two remainders cover every rank.
  const int64_t qf = front_ / pp_, rf = front_ % pp_;
  const int64_t qb = back_ / pp_, rb = back_ % pp_;
  out.longest = vpp_ * big_ - qf - qb - (rf + rb <= pp_ - 1 ? 0 : 1);
  return out;
}

int64_t PipelineSplit::LongestStage() const {
  const PipelineStages n = Pacing();
  if (n.first == n.longest) return 0;
  if (given_) return pp_ > 2 && vpp_ * middle_chunk_ == n.longest ? 1 : pp_ - 1;
  // The first rank past the front remainder (see Pacing).
  return front_ % pp_;
}

int PipelineSplit::InteriorCandidates(int64_t out[3]) const {
  int n = 0;
  const auto add = [&](int64_t r) {
    if (r < 1 || r > pp_ - 2) return;
    for (int i = 0; i < n; ++i) {
      if (out[i] == r) return;
    }
    out[n++] = r;
  };
  add(1);
  if (!given_) {
    // Rank r's layer count changes only where r crosses r_f or p - r_b (see
    // Pacing).
    add(front_ < pp_ ? front_ : front_ % pp_);
    add(pp_ - (back_ < pp_ ? back_ : back_ % pp_));
  }
  return n;
}

bool PipelineSplit::Even() const {
  if (given_) {
    return first_chunk_ == middle_chunk_ && last_chunk_ == middle_chunk_;
  }
  return front_ + back_ == chunks_ || front_ + back_ == 0;
}

LayerRange StageLayers(int64_t layers, int64_t pp, int64_t stage) {
  ParallelLayout l;
  l.pp = pp;
  return PipelineSplit(layers, l).Stage(stage);
}

PipelineStages PacingStages(int64_t layers, int64_t pp) {
  ParallelLayout l;
  l.pp = pp;
  return PipelineSplit(layers, l).Pacing();
}

}  // namespace memwall
