// memwall-run replay under mpirun on shared memory: a plan's step communication
// run on the layout's groups (t2 d2, p2 d2, e2 d4 on 4 ranks), every call
// counted against the plan's own list (every gradient bucket's collective),
// results exact, compute sleeps taken, --slice, a plan built from memwall
// plan's flags, and bad input (wrong world size, truncated or foreign JSON, a
// plan without its communication list, a layout the world cannot host, bad
// layout flags) refused with exit 2.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "proto/plan.pb.h"
#include "proto/replay.pb.h"
#include "tests/testing/run_command.h"

namespace memwall::runtime {
namespace {

using memwall::testing::CommandResult;
using memwall::testing::RunCommand;

std::string Temp(const std::string& name) {
  return absl::StrCat(::testing::TempDir(), "replay_", getpid(), "_", name);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteAll(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// `memwall plan` of a test model (tests/data) on 4 GPUs of dgx-h100 with
// `layout`.
std::string MakePlan(const std::string& name, const std::string& layout,
                     const std::string& model = "tiny-gpt") {
  const std::string path = Temp(name + ".json");
  const CommandResult r = RunCommand(absl::StrCat(
      MEMWALL_BINARY, " plan --model=", MEMWALL_SOURCE_DIR, "/tests/data/",
      model, ".textproto --cluster=dgx-h100 --gpus=4 ", layout,
      " --zero=1 --micro_batch=1 --global_batch=8 --format=json > ", path));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return path;
}

CommandResult Replay(int ranks, const std::string& args) {
  return RunCommand(absl::StrCat("mpirun --oversubscribe -np ", ranks, " ",
                                 MEMWALL_RUN_BINARY, " replay ", args));
}

template <typename M>
M Parse(const std::string& path) {
  M message;
  EXPECT_TRUE(
      google::protobuf::util::JsonStringToMessage(ReadAll(path), &message).ok())
      << path;
  return message;
}

struct ClassSums {
  double calls = 0;
  double bytes = 0;
};

std::map<std::string, ClassSums> PlanSums(const PlanReport& plan) {
  std::map<std::string, ClassSums> sums;
  for (const StepCommOp& op : plan.candidates(0).comm_ops()) {
    sums[op.comm_class()].calls += op.calls_per_step();
    sums[op.comm_class()].bytes += op.calls_per_step() * op.bytes();
  }
  return sums;
}

struct LayoutCase {
  const char* name;
  const char* model;
  const char* layout;
  // Groups in Megatron-LM's order (tp innermost, then dp, then pp; experts
  // carved out of dp), written out by hand: class -> "size/stride" (classes
  // whose ops run on one group).
  std::map<std::string, std::string> groups;
};

class ReplayLayoutTest : public ::testing::TestWithParam<LayoutCase> {};

TEST_P(ReplayLayoutTest, RunsEveryCallOfThePlanExactly) {
  const LayoutCase c = GetParam();
  const std::string plan_path = MakePlan(c.name, c.layout, c.model);
  const std::string json = Temp(absl::StrCat(c.name, "_replay.json"));
  const CommandResult r =
      Replay(4, absl::StrCat("--plan=", plan_path,
                             " --compute=none --steps=1 --warmup_steps=0 "
                             "--timeout_s=60 --json=",
                             json));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const PlanReport plan = Parse<PlanReport>(plan_path);
  const ReplayReport report = Parse<ReplayReport>(json);
  std::remove(plan_path.c_str());
  std::remove(json.c_str());
  const std::map<std::string, ClassSums> want = PlanSums(plan);
  ASSERT_EQ(report.classes_size(), static_cast<int>(want.size())) << r.output;
  for (const ReplayClass& rc : report.classes()) {
    SCOPED_TRACE(rc.comm_class());
    ASSERT_EQ(want.count(rc.comm_class()), 1u);
    EXPECT_DOUBLE_EQ(rc.calls(), want.at(rc.comm_class()).calls);
    // Every size here is a multiple of 16 bytes per rank, so nccl-tests'
    // rounding leaves it whole.
    EXPECT_DOUBLE_EQ(rc.bytes(), want.at(rc.comm_class()).bytes);
    if (c.groups.count(rc.comm_class()) > 0) {
      EXPECT_EQ(absl::StrCat(rc.group_size(), "/", rc.group_stride()),
                c.groups.at(rc.comm_class()));
    }
    EXPECT_EQ(rc.wrong(), 0);
    EXPECT_GT(rc.measured_s(), 0);
    EXPECT_GE(rc.measured_max_s(), rc.measured_s());
    EXPECT_GT(rc.predicted_s(), 0);
  }
  EXPECT_EQ(report.world_size(), 4);
  EXPECT_FALSE(report.sliced());
}

INSTANTIATE_TEST_SUITE_P(
    Layouts, ReplayLayoutTest,
    ::testing::Values(
        LayoutCase{"t2d2",
                   "tiny-gpt",
                   "--tp=2 --dp=2",
                   {{"tp", "2/1"}, {"dp", "2/2"}}},
        LayoutCase{"p2d2",
                   "tiny-gpt",
                   "--pp=2 --dp=2",
                   {{"pp", "2/2"}, {"dp", "2/1"}}},
        // Dense gradients over all 4 ranks, expert gradients over ranks 2
        // apart (one expert shard each): the dp class runs on both.
        LayoutCase{
            "e2d4", "tiny-moe", "--tp=1 --dp=4 --ep=2", {{"ep", "2/1"}}}),
    [](const auto& info) { return std::string(info.param.name); });

// Gradient buckets: under --stack=fsdp every wrapped unit (a layer) is its own
// bucket, so tiny-gpt at d4 with ZeRO-1 reduce-scatters and all-gathers 4
// layers of 3h^2 + 3h + h^2 + h + 2 h f + f + h + 4h = 789,760 parameters
// (h = 256, f = 1024; 1,579,520 bytes in bf16) and then the rest of the stage
// (the embeddings) in one more call each: 10 calls, each listed and run.
TEST(ReplayBucketTest, RunsEveryGradientBucket) {
  const std::string plan_path =
      MakePlan("fsdp_d4", "--tp=1 --pp=1 --dp=4 --stack=fsdp");
  const PlanReport plan = Parse<PlanReport>(plan_path);
  double rest = 0;
  int listed = 0;
  for (const StepCommOp& op : plan.candidates(0).comm_ops()) {
    ASSERT_EQ(op.comm_class(), "dp");
    ++listed;
    if (op.bytes() != 789760.0 * 2) {
      EXPECT_EQ(op.calls_per_step(), 1);
      rest = op.bytes();
    } else {
      EXPECT_EQ(op.calls_per_step(), 4);
    }
  }
  EXPECT_EQ(listed, 4);  // full buckets and the rest, reduce-scatter and gather
  ASSERT_GT(rest, 0);
  const std::string json = Temp("fsdp_d4_replay.json");
  const CommandResult r =
      Replay(4, absl::StrCat("--plan=", plan_path,
                             " --compute=none --steps=1 --warmup_steps=0 "
                             "--timeout_s=60 --json=",
                             json));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const ReplayReport report = Parse<ReplayReport>(json);
  std::remove(plan_path.c_str());
  std::remove(json.c_str());
  ASSERT_EQ(report.classes_size(), 1) << r.output;
  EXPECT_EQ(report.classes(0).comm_class(), "dp");
  EXPECT_DOUBLE_EQ(report.classes(0).calls(), 10);
  EXPECT_DOUBLE_EQ(report.classes(0).bytes(), 2 * (4 * 1579520.0 + rest));
  EXPECT_EQ(report.classes(0).wrong(), 0);
  EXPECT_NE(r.output.find("4 calls x      1579520 B (step)"), std::string::npos)
      << r.output;
}

// memwall plan's flags for tiny-gpt on 4 GPUs of dgx-h100, as MakePlan gives
// them.
std::string PlanFlags(const std::string& layout, int global_batch = 8) {
  return absl::StrCat(
      "--model=", MEMWALL_SOURCE_DIR,
      "/tests/data/tiny-gpt.textproto --cluster=dgx-h100 "
      "--gpus=4 ",
      layout, " --zero=1 --micro_batch=1 --global_batch=", global_batch);
}

// The message of `memwall plan` for `flags`, without its "memwall plan: ".
std::string PlanError(const std::string& flags) {
  const CommandResult r = RunCommand(
      absl::StrCat(MEMWALL_BINARY, " plan ", flags, " --format=json"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  const std::string prefix = "memwall plan: ";
  const size_t at = r.output.find(prefix);
  EXPECT_NE(at, std::string::npos) << r.output;
  if (at == std::string::npos) return "(none)";
  const size_t end = r.output.find('\n', at);
  return r.output.substr(at + prefix.size(), end - at - prefix.size());
}

// Replay from memwall plan's flags runs the calls and bytes of the plan those
// flags write (t2 d2 fixed, and the search's best layout with p2 fixed).
TEST(ReplayFromFlagsTest, RunsThePlanTheFlagsWrite) {
  for (const std::string layout : {"--tp=2 --dp=2", "--pp=2"}) {
    SCOPED_TRACE(layout);
    const std::string plan_path = MakePlan("flags", layout);
    const PlanReport plan = Parse<PlanReport>(plan_path);
    std::remove(plan_path.c_str());
    const std::string json = Temp("flags_replay.json");
    const CommandResult r =
        Replay(4, absl::StrCat(PlanFlags(layout),
                               " --compute=none --steps=1 --warmup_steps=0 "
                               "--timeout_s=60 --json=",
                               json));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const ReplayReport report = Parse<ReplayReport>(json);
    std::remove(json.c_str());
    EXPECT_EQ(report.plan(), "(memwall plan flags)");
    EXPECT_EQ(report.model(), "tiny-gpt");
    const std::map<std::string, ClassSums> want = PlanSums(plan);
    ASSERT_EQ(report.classes_size(), static_cast<int>(want.size())) << r.output;
    for (const ReplayClass& rc : report.classes()) {
      ASSERT_EQ(want.count(rc.comm_class()), 1u) << rc.comm_class();
      EXPECT_DOUBLE_EQ(rc.calls(), want.at(rc.comm_class()).calls);
      EXPECT_DOUBLE_EQ(rc.bytes(), want.at(rc.comm_class()).bytes);
      EXPECT_EQ(rc.wrong(), 0);
    }
  }
}

// Bad flags end the job with exit 2 and memwall plan's own message: one the
// flag parser finds on every rank (--tp=3 of 4 heads), and one only the
// layout's completion on rank 0 finds (a global batch of 3 over dp = 2).
TEST(ReplayFromFlagsTest, BadFlagsExitTwoWithThePlansMessage) {
  for (const auto& [layout, batch] :
       {std::pair<std::string, int>{"--tp=3 --pp=1", 8},
        {"--tp=2 --pp=1", 3}}) {
    SCOPED_TRACE(layout);
    const std::string flags = PlanFlags(layout, batch);
    const std::string message = PlanError(flags);
    const CommandResult r = Replay(4, flags + " --timeout_s=60");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("memwall-run replay: " + message),
              std::string::npos)
        << message << "\n"
        << r.output;
  }
  const CommandResult both =
      Replay(4, PlanFlags("--tp=2") + " --plan=x.json --timeout_s=60");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.output.find("not both"), std::string::npos) << both.output;
}

class ReplayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { plan_ = MakePlan("t2d2", "--tp=2 --dp=2"); }
  static void TearDownTestSuite() { std::remove(plan_.c_str()); }
  static std::string plan_;
};
std::string ReplayTest::plan_;

// With --compute=sleep a step lasts at least the plan's compute.
TEST_F(ReplayTest, ComputeSleepsLastThePlansCompute) {
  const std::string json = Temp("sleep.json");
  const CommandResult r =
      Replay(4, absl::StrCat("--plan=", plan_,
                             " --compute=sleep --steps=1 --warmup_steps=0 "
                             "--json=",
                             json));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const TimeBreakdown& t = Parse<PlanReport>(plan_).candidates(0).time();
  const ReplayReport report = Parse<ReplayReport>(json);
  std::remove(json.c_str());
  EXPECT_GE(report.step_wall_s(),
            t.forward_s() + t.backward_s() + t.recompute_s() + t.optimizer_s());
  EXPECT_EQ(report.compute(), "sleep");
}

// p2 d2 with compute sleeps of f = 0.1 s forward and b = 0.2 s backward per
// micro-batch and m = 4: in 1F1B order stage 0 runs F1 F2 B1 F3 B2 F4 B3 B4
// and cannot end before (m + p - 1)(f + b) = 1.5 s, stage 1 (F1 B1 F2 B2 ...)
// not before f + m (f + b) = 1.3 s, so the mean step is at least 1.4 s; in step
// order without the schedule every rank would sleep m (f + b) = 1.2 s. Stage 1
// waits at least f for its first activations.
TEST(ReplayPipelineTest, OneFOneBOrderShowsTheBubble) {
  const std::string plan_path = MakePlan("p2d2_sleep", "--pp=2 --dp=2");
  PlanReport plan = Parse<PlanReport>(plan_path);
  ASSERT_EQ(plan.candidates(0).micro_batches(), 4);
  TimeBreakdown& t = *plan.mutable_candidates(0)->mutable_time();
  t.set_forward_s(0.4);
  t.set_backward_s(0.8);
  t.set_recompute_s(0);
  t.set_optimizer_s(0);
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(plan, &text, options).ok());
  WriteAll(plan_path, text);
  // Sent at once (MPI_Isend), and held back as the NCCL backend holds them.
  for (const std::string sends : {"eager", "grouped"}) {
    SCOPED_TRACE(sends);
    const std::string json = Temp("p2d2_sleep_replay.json");
    const CommandResult r =
        Replay(4, absl::StrCat("--plan=", plan_path,
                               " --compute=sleep --steps=1 --warmup_steps=0 "
                               "--timeout_s=60 --pipeline_sends=",
                               sends, " --json=", json));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("pp: messages in the 1F1B order"),
              std::string::npos)
        << r.output;
    const ReplayReport report = Parse<ReplayReport>(json);
    std::remove(json.c_str());
    EXPECT_GE(report.step_wall_s(), 1.4 - 0.01) << r.output;
    bool found = false;
    for (const ReplayClass& rc : report.classes()) {
      if (rc.comm_class() != "pp") continue;
      found = true;
      EXPECT_GE(rc.measured_max_s(), 0.1 - 0.01) << r.output;
      EXPECT_EQ(rc.wrong(), 0);
    }
    EXPECT_TRUE(found) << r.output;
  }
  std::remove(plan_path.c_str());
}

// A plan whose gradient reduction overlaps the backward (d4, ZeRO-1, the FSDP
// stack: one bucket a layer, 5 reduce-scatters, then the all-gathers), with
// a step's backward of b = 0.6 s (0.3 s a micro-batch, m = 2) and the dp
// calls' bytes raised 4x so the reduction lasts tens of milliseconds here:
// started during the last backward (--grad_reduce=plan, the default) the
// step ends sooner than with every call blocking after the compute
// (--grad_reduce=after), by at least half the blocking run's dp time (4 of
// the 5 buckets start before the backward ends; the all-gathers block in
// both), and every element is still exact. A loaded machine can stretch
// either run, so the comparison gets 3 attempts.
TEST(ReplayOverlapTest, OverlappedGradientReductionShortensTheStep) {
  const std::string plan_path = MakePlan("d4_overlap", "--dp=4 --stack=fsdp");
  PlanReport plan = Parse<PlanReport>(plan_path);
  Candidate& c = *plan.mutable_candidates(0);
  ASSERT_EQ(c.micro_batches(), 2);
  c.set_dp_overlap(true);
  TimeBreakdown& t = *c.mutable_time();
  t.set_forward_s(0.05);
  t.set_backward_s(0.6);
  t.set_recompute_s(0);
  t.set_optimizer_s(0);
  int reductions = 0;
  for (StepCommOp& op : *c.mutable_comm_ops()) {
    if (op.comm_class() != "dp") continue;
    op.set_bytes(op.bytes() * 4);
    if (op.op() == "reduce_scatter" && op.calls_per_step() > 0) ++reductions;
  }
  ASSERT_EQ(reductions, 2);  // the 4 layer buckets, the embeddings'
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(plan, &text, options).ok());
  WriteAll(plan_path, text);
  const auto run = [&](const std::string& mode, double* wall, double* dp) {
    const std::string json = Temp("d4_overlap_" + mode + ".json");
    const CommandResult r =
        Replay(4, absl::StrCat("--plan=", plan_path,
                               " --compute=sleep --steps=2 --warmup_steps=1 "
                               "--timeout_s=60 --grad_reduce=",
                               mode, " --json=", json));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(mode == "plan" ? "bucket calls start non-blocking"
                                           : "--grad_reduce=after"),
              std::string::npos)
        << r.output;
    const ReplayReport report = Parse<ReplayReport>(json);
    std::remove(json.c_str());
    *wall = report.step_wall_s();
    bool found = false;
    for (const ReplayClass& rc : report.classes()) {
      EXPECT_EQ(rc.wrong(), 0) << rc.comm_class() << "\n" << r.output;
      if (rc.comm_class() != "dp") continue;
      found = true;
      *dp = rc.measured_s();
    }
    EXPECT_TRUE(found) << r.output;
  };
  bool shorter = false;
  for (int attempt = 0; attempt < 3 && !shorter; ++attempt) {
    double overlapped = 0, after = 0, dp_exposed = 0, dp_after = 0;
    run("plan", &overlapped, &dp_exposed);
    run("after", &after, &dp_after);
    if (::testing::Test::HasFailure()) break;
    // Both runs sleep the same compute: f + b = 0.65 s.
    EXPECT_GE(overlapped, 0.65);
    shorter = overlapped < after - 0.5 * dp_after;
    std::printf(
        "attempt %d: step %.4f s overlapped (dp measured %.4f s), "
        "%.4f s after the compute (dp %.4f s)\n",
        attempt + 1, overlapped, dp_exposed, after, dp_after);
  }
  std::remove(plan_path.c_str());
  if (shorter) return;
  // The overlap needs a CPU to poll the started calls while the compute
  // sleeps; with more runnable work than CPUs it says nothing about replay.
  double load = 0;
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (getloadavg(&load, 1) == 1 && load > static_cast<double>(cpus)) {
    GTEST_SKIP() << "too busy to judge the overlap: load average " << load
                 << " on " << cpus << " CPUs";
  }
  ADD_FAILURE() << "the overlapped step was not shorter in 3 attempts";
}

// Sends held back and issued with the next receive (the NCCL backend's
// order, run on MPI with synchronous sends): every 1F1B layout of 4 ranks
// completes with the plan's calls; the interleaved one falls back to rings
// (one receive a group would deadlock it) and says why.
TEST(ReplayPipelineTest, GroupedSendsCompleteTheSchedule) {
  for (const std::string layout :
       {"--tp=1 --pp=2 --dp=2", "--tp=1 --pp=4", "--tp=1 --pp=2 --vpp=2"}) {
    SCOPED_TRACE(layout);
    const std::string plan_path = MakePlan("grouped", layout);
    const PlanReport plan = Parse<PlanReport>(plan_path);
    const std::string json = Temp("grouped_replay.json");
    const CommandResult r =
        Replay(4, absl::StrCat("--plan=", plan_path,
                               " --compute=none --steps=2 --warmup_steps=1 "
                               "--timeout_s=60 --pipeline_sends=grouped "
                               "--json=",
                               json));
    std::remove(plan_path.c_str());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const ReplayReport report = Parse<ReplayReport>(json);
    std::remove(json.c_str());
    const bool interleaved = layout.find("vpp") != std::string::npos;
    EXPECT_NE(r.output.find(interleaved ? "the interleaved order needs both "
                                          "directions in one group"
                                        : "sends held and issued with the next "
                                          "receive"),
              std::string::npos)
        << r.output;
    const std::map<std::string, ClassSums> want = PlanSums(plan);
    for (const ReplayClass& rc : report.classes()) {
      ASSERT_EQ(want.count(rc.comm_class()), 1u) << rc.comm_class();
      EXPECT_DOUBLE_EQ(rc.calls(), want.at(rc.comm_class()).calls);
      EXPECT_EQ(rc.wrong(), 0);
    }
  }
}

TEST_F(ReplayTest, CorruptedElementFailsTheJob) {
  const CommandResult r =
      Replay(4, absl::StrCat("--plan=", plan_,
                             " --compute=none --steps=1 --corrupt_rank=2"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("1 wrong elements"), std::string::npos) << r.output;
}

// Shared-memory MPI cannot reach a prediction made for NVLink, let alone a
// million times it.
TEST_F(ReplayTest, BelowTheExpectedRatioExitsThree) {
  const CommandResult r =
      Replay(4, absl::StrCat("--plan=", plan_,
                             " --compute=none --steps=1 --expect_ratio=1e6"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("below --expect_ratio=1e+06"), std::string::npos)
      << r.output;
}

// memwall-run baseline --plan alternates the sweep harness and replay of a
// single-class plan in one job (docs/runtime.md, "Replay's overhead"); a plan
// of two classes is refused.
TEST_F(ReplayTest, BaselineComparesASingleClassReplayWithTheSweep) {
  const std::string tp_only = Temp("t2.json");
  const CommandResult plan = RunCommand(absl::StrCat(
      MEMWALL_BINARY, " plan --model=", MEMWALL_SOURCE_DIR,
      "/tests/data/tiny-gpt.textproto --cluster=dgx-h100 --gpus=2 --tp=2 "
      "--zero=0 --micro_batch=1 --global_batch=8 --format=json > ",
      tp_only));
  ASSERT_EQ(plan.exit_code, 0) << plan.output;
  const CommandResult r = RunCommand(
      absl::StrCat("mpirun --oversubscribe -np 2 ", MEMWALL_RUN_BINARY,
                   " baseline --plan=", tp_only, " --steps=1 --reps=2"));
  std::remove(tp_only.c_str());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("all_reduce of 131072 B on tp, 128 calls a step"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("replay/sweep per call: median"), std::string::npos)
      << r.output;
  const CommandResult two = RunCommand(
      absl::StrCat("mpirun --oversubscribe -np 4 ", MEMWALL_RUN_BINARY,
                   " baseline --plan=", plan_, " --steps=1 --reps=1"));
  EXPECT_EQ(two.exit_code, 2) << two.output;
  EXPECT_NE(two.output.find("baseline needs one collective of one size on "
                            "one group"),
            std::string::npos)
      << two.output;
}

// `memwall plan ... --format=json | mpirun ... replay --plan=-`: the plan's
// flags on one command line; mpirun hands its stdin to rank 0.
TEST_F(ReplayTest, PlanFromStdin) {
  const CommandResult r = RunCommand(absl::StrCat(
      MEMWALL_BINARY, " plan --model=", MEMWALL_SOURCE_DIR,
      "/tests/data/tiny-gpt.textproto --cluster=dgx-h100 --gpus=4 --tp=2 "
      "--dp=2 --zero=1 --micro_batch=1 --global_batch=8 --format=json | "
      "mpirun --oversubscribe -np 4 ",
      MEMWALL_RUN_BINARY, " replay --plan=- --compute=none --steps=1"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("# memwall-run replay: (stdin) candidate 0 (t2 p1 "
                          "d2"),
            std::string::npos)
      << r.output;
  const CommandResult bad = RunCommand(
      absl::StrCat("echo '{\"candidates\": [' | mpirun --oversubscribe -np 2 ",
                   MEMWALL_RUN_BINARY, " replay --plan=-"));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("--plan=- is not a plan report"), std::string::npos)
      << bad.output;
}

TEST_F(ReplayTest, SmallerWorldNeedsSlice) {
  CommandResult r =
      Replay(2, absl::StrCat("--plan=", plan_, " --compute=none"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("needs 4 ranks, the job has 2"), std::string::npos)
      << r.output;
  const std::string json = Temp("slice.json");
  r = Replay(2,
             absl::StrCat("--plan=", plan_,
                          " --compute=none --steps=1 --slice --json=", json));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const ReplayReport report = Parse<ReplayReport>(json);
  std::remove(json.c_str());
  EXPECT_TRUE(report.sliced());
  ASSERT_EQ(report.classes_size(), 1);  // dp is a group of one in the slice
  EXPECT_EQ(report.classes(0).comm_class(), "tp");
  EXPECT_NE(r.output.find("dp reduce_scatter on dp_cp: a group of one here"),
            std::string::npos)
      << r.output;
  // d4 on 2 ranks: two of the four data-parallel replicas, the dp class on
  // a group of 2.
  const std::string d4 = MakePlan("d4", "--tp=1 --dp=4");
  const std::string d4_json = Temp("slice_d4.json");
  r = Replay(
      2, absl::StrCat("--plan=", d4,
                      " --compute=none --steps=1 --slice --json=", d4_json));
  std::remove(d4.c_str());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const ReplayReport half = Parse<ReplayReport>(d4_json);
  std::remove(d4_json.c_str());
  EXPECT_TRUE(half.sliced());
  ASSERT_EQ(half.classes_size(), 1) << r.output;
  EXPECT_EQ(half.classes(0).comm_class(), "dp");
  EXPECT_EQ(half.classes(0).group_size(), 2);
  EXPECT_NE(r.output.find("sliced: 2 of the plan's 4 data-parallel replicas"),
            std::string::npos)
      << r.output;
  // A slice that is no whole number of replicas.
  r = Replay(3, absl::StrCat("--plan=", plan_, " --compute=none --slice"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("does not match the job's 3 ranks"),
            std::string::npos)
      << r.output;
}

// Each edit of a good plan and the message that must name it.
struct BadPlan {
  const char* name;
  std::string (*edit)(const std::string& json);
  const char* message;
};

std::string Replace(std::string s, const std::string& from,
                    const std::string& to) {
  const size_t at = s.find(from);
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST_F(ReplayTest, BadPlansExitTwoNamingTheProblem) {
  const std::string good = ReadAll(plan_);
  ASSERT_NE(good.find("\"comm_ops\""), std::string::npos);
  const BadPlan cases[] = {
      {"truncated",
       [](const std::string& j) { return j.substr(0, j.size() / 2); },
       "is not a plan report this memwall reads"},
      {"foreign_field",
       [](const std::string& j) {
         return Replace(j, "{", "{\"written_by_version\": 99, ");
       },
       "written_by_version"},
      {"no_comm_ops",
       [](const std::string& j) {
         return Replace(j, "\"comm_ops\"", "\"comm_ops_gone\"");
       },
       "comm_ops_gone"},
      {"ep_not_dividing_the_ranks",
       [](const std::string& j) {
         return Replace(j, "\"ep\": \"1\"", "\"ep\": \"3\"");
       },
       "the plan's layout: --ep=3 x --etp=2 must divide --dp x --tp x --cp=4"},
      {"bad_order",
       [](const std::string& j) {
         return Replace(j, "tp-cp-ep-dp-pp", "tp-tp-ep-dp-pp");
       },
       "layout.order"},
      {"bad_bytes",
       [](const std::string& j) {
         return Replace(j, "\"bytes\": ", "\"bytes\": -");
       },
       ".bytes=-"},
  };
  for (const BadPlan& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = Temp(absl::StrCat(c.name, ".json"));
    WriteAll(path, c.edit(good));
    const CommandResult r =
        Replay(2, absl::StrCat("--plan=", path, " --compute=none --slice"));
    std::remove(path.c_str());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << r.output;
  }
  CommandResult r = Replay(2, "--plan=/nonexistent/plan.json");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("cannot read"), std::string::npos) << r.output;
  r = Replay(2, absl::StrCat("--plan=", plan_, " --candidate=99"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--candidate=99 must be 0.."), std::string::npos)
      << r.output;
}

TEST_F(ReplayTest, NcclBackendWithoutGpuExitsOneWithTheReason) {
  if (access("/dev/nvidia0", F_OK) == 0) GTEST_SKIP() << "a GPU is present";
  const CommandResult r = Replay(
      2, absl::StrCat("--plan=", plan_, " --backend=nccl --slice --steps=1"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
#ifdef MEMWALL_HAVE_NCCL
  EXPECT_NE(r.output.find("memwall-run replay: no usable GPU: "),
            std::string::npos)
      << r.output;
#else
  EXPECT_NE(r.output.find("built without CUDA and NCCL"), std::string::npos)
      << r.output;
#endif
}

}  // namespace
}  // namespace memwall::runtime
