// memwall-run under mpirun on shared memory: every collective and dtype exact
// on 2, 3 and 4 ranks (sizes whose counts the rank count does not divide, in
// and out of place), wrong elements detected, mismatched arguments and bad
// groups refused, the NCCL no-GPU path.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/testing/run_command.h"

namespace memwall::runtime {
namespace {

using memwall::testing::CommandResult;
using memwall::testing::RunCommand;

CommandResult Mpirun(int ranks, const std::string& args) {
  return RunCommand(absl::StrCat("mpirun --oversubscribe -np ", ranks, " ",
                                 MEMWALL_RUN_BINARY, " ", args));
}

int Occurrences(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1))
    ++n;
  return n;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct ExactCase {
  int ranks;
  const char* dtype;
};

class ExactTest : public ::testing::TestWithParam<ExactCase> {};

// Sizes 6, 54, 486, 4374, 39366 B: element counts 1, 13, 121, 1093, 9841
// (float) that 2, 3 and 4 do not divide; per-rank blocks of zero elements below
// 16 B per rank included.
TEST_P(ExactTest, EveryCollectiveIsExactInAndOutOfPlace) {
  const ExactCase c = GetParam();
  const std::string json = absl::StrCat(::testing::TempDir(), "exact_", c.ranks,
                                        "_", c.dtype, "_", getpid(), ".json");
  const CommandResult r = Mpirun(
      c.ranks,
      absl::StrCat("sweep --op=all --dtype=", c.dtype,
                   " --min_bytes=6 --max_bytes=40K --step_factor=9 --iters=2 "
                   "--warmup_iters=1 --json=",
                   json));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(Occurrences(r.output, "# Out of bounds values : 0 OK"), 7)
      << r.output;
  const std::string report = ReadAll(json);
  std::remove(json.c_str());
  // 7 collectives x 5 sizes, each with an out-of-place and an in-place result.
  EXPECT_EQ(Occurrences(report, "\"op\":"), 35);
  EXPECT_EQ(Occurrences(report, "\"in_place\":"), 35);
  // Protobuf JSON leaves zero fields out: no "wrong" anywhere means all 70
  // counts are 0 (OneCorruptedElement... shows a non-zero count does appear).
  EXPECT_EQ(Occurrences(report, "\"wrong\":"), 0);
  EXPECT_NE(report.find(absl::StrCat("\"world_size\": ", c.ranks)),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    RanksAndTypes, ExactTest,
    ::testing::Values(ExactCase{2, "float32"}, ExactCase{2, "float16"},
                      ExactCase{2, "bfloat16"}, ExactCase{2, "int32"},
                      ExactCase{3, "float32"}, ExactCase{3, "float16"},
                      ExactCase{3, "bfloat16"}, ExactCase{3, "int32"},
                      ExactCase{4, "float32"}, ExactCase{4, "float16"},
                      ExactCase{4, "bfloat16"}, ExactCase{4, "int32"}),
    [](const auto& info) {
      return absl::StrCat(info.param.ranks, "ranks_", info.param.dtype);
    });

TEST(MpiSweepTest, OneCorruptedElementPerRunIsCountedAndFailsTheJob) {
  const std::string json =
      absl::StrCat(::testing::TempDir(), "corrupt_", getpid(), ".json");
  const CommandResult r = Mpirun(
      3, absl::StrCat(
             "sweep --op=all_reduce,alltoall --min_bytes=1K --max_bytes=1K "
             "--iters=1 --corrupt_rank=1 --json=",
             json));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  const std::string report = ReadAll(json);
  std::remove(json.c_str());
  EXPECT_EQ(Occurrences(report, "\"wrong\": \"1\""), 4) << report;
  // One element per run (out of place and in place) on rank 1, for each
  // collective.
  EXPECT_EQ(Occurrences(r.output, "# Out of bounds values : 2 FAILED"), 2)
      << r.output;
  EXPECT_NE(r.output.find("4 wrong elements"), std::string::npos) << r.output;
}

// dgx-h100's NVLink level predicts hundreds of GB/s busbw (nccl-tests #212:
// about 370 GB/s); shared-memory MPI on a CPU cannot come near it, so 1 MiB
// rows fall below 0.8 of the prediction and the job exits 3.
TEST(MpiSweepTest, RowsBelowTheExpectedRatioExitThree) {
  const std::string json =
      absl::StrCat(::testing::TempDir(), "ratio_", getpid(), ".json");
  const CommandResult r = Mpirun(
      2, absl::StrCat(
             "sweep --op=all_reduce --min_bytes=1M --max_bytes=1M --iters=1 "
             "--cluster=dgx-h100 --expect_ratio=0.8 --ratio_min_bytes=1M "
             "--json=",
             json));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("pbusbw"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(
                "1 row(s) of 1048576 bytes or more below --expect_ratio=0.8"),
            std::string::npos)
      << r.output;
  const std::string report = ReadAll(json);
  std::remove(json.c_str());
  EXPECT_NE(report.find("\"predicted_busbw_bytes_per_s\""), std::string::npos)
      << report;
  EXPECT_NE(report.find("\"below_expectation\": 1"), std::string::npos)
      << report;
}

// The pipelined broadcast's prediction follows --segment_bytes: on n = 4 ranks
// S bytes in segments of g take (n - 2 + S/g) steps of alpha + g/B, so t/(2 +
// S/g) is a straight line in g (collectives reference, pipelined broadcast).
TEST(MpiSweepTest, SegmentSizeShapesThePipelinePrediction) {
  const double S = 8 << 20;
  const double segments[3] = {128 << 10, 512 << 10, 2 << 20};
  double per_step[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    const std::string json = absl::StrCat(::testing::TempDir(), "segment_", i,
                                          "_", getpid(), ".json");
    const CommandResult r = Mpirun(
        4, absl::StrCat("sweep --op=broadcast --min_bytes=8M --max_bytes=8M "
                        "--iters=1 --cluster=dgx-h100 "
                        "--mpi_algorithm=pipeline --segment_bytes=",
                        static_cast<int64_t>(segments[i]), " --json=", json));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string report = ReadAll(json);
    std::remove(json.c_str());
    const size_t at = report.find("\"predicted_time_s\": ");
    ASSERT_NE(at, std::string::npos) << report;
    per_step[i] = std::stod(report.substr(at + 20)) / (2 + S / segments[i]);
  }
  const double slope_a =
      (per_step[1] - per_step[0]) / (segments[1] - segments[0]);
  const double slope_b =
      (per_step[2] - per_step[1]) / (segments[2] - segments[1]);
  EXPECT_GT(slope_a, 0);  // 1/B
  EXPECT_NEAR(slope_a, slope_b, 1e-9 * slope_a);
  EXPECT_GE(per_step[0] - slope_a * segments[0], 0);  // alpha
}

// Under mpirun the ranks' stderr is a pipe: no progress line unless asked
// for, and then from rank 0 only (the delay set to zero for a short sweep).
TEST(MpiSweepTest, ProgressOnlyWhenAskedUnderMpirun) {
  const std::string sweep =
      " sweep --op=all_reduce --min_bytes=1K --max_bytes=16K --iters=2";
  CommandResult r = RunCommand(
      absl::StrCat("MEMWALL_PROGRESS_DELAY_S=0 mpirun "
                   "--oversubscribe -np 2 -x MEMWALL_PROGRESS_DELAY_S ",
                   MEMWALL_RUN_BINARY, sweep));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // mpirun forwards each rank's stderr in chunks of its own choosing, so the
  // carriage return that starts each update may reach the merged output apart
  // from the update's text; the line's form is checked in
  // tests/common/progress_test.cc and on a pseudo-terminal in
  // tests/cli/progress_cli_test.cc, here only whether and how often it appears.
  const std::string last = "sweep: 5/5 sizes (100%)";
  EXPECT_EQ(r.output.find(last), std::string::npos) << r.output;
  r = RunCommand(
      absl::StrCat("MEMWALL_PROGRESS_DELAY_S=0 mpirun "
                   "--oversubscribe -np 2 -x MEMWALL_PROGRESS_DELAY_S ",
                   MEMWALL_RUN_BINARY, sweep, " --progress=always"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(last), std::string::npos) << r.output;
  // One rank reports: the last update appears once.
  EXPECT_EQ(r.output.find(last), r.output.rfind(last));
}

TEST(MpiSweepTest, UnknownClusterIsBadInput) {
  const CommandResult r =
      Mpirun(2, "sweep --min_bytes=8 --max_bytes=8 --cluster=dgx-h1000");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--cluster=dgx-h1000"), std::string::npos)
      << r.output;
}

TEST(MpiSweepTest, GroupsSplitTheJob) {
  for (const char* shape :
       {"--group_size=2", "--group_size=2 --group_stride=2"}) {
    const CommandResult r = Mpirun(
        4, absl::StrCat(
               "sweep --op=all_reduce,sendrecv --min_bytes=100 --max_bytes=100 "
               "--iters=1 ",
               shape));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("4 ranks in 2 group(s) of 2"), std::string::npos)
        << r.output;
    // all_reduce of 100 B (25 floats) on 2 ranks: busbw factor 1, so busbw ==
    // algbw.
    EXPECT_EQ(Occurrences(r.output, "# Out of bounds values : 0 OK"), 2)
        << r.output;
  }
}

TEST(MpiSweepTest, BadInputExitsTwoNamingTheFlag) {
  const CommandResult r =
      Mpirun(4, "sweep --group_size=3 --min_bytes=8 --max_bytes=8");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(
      r.output.find(
          "--group_size=3 x --group_stride=1 = 3 must divide the 4 ranks"),
      std::string::npos)
      << r.output;
  const CommandResult segment = Mpirun(2, "sweep --segment_bytes=0");
  EXPECT_EQ(segment.exit_code, 2) << segment.output;
  EXPECT_NE(segment.output.find("--segment_bytes=0 must be >= 1"),
            std::string::npos)
      << segment.output;
  const CommandResult typo = Mpirun(2, "sweep --max_byte=8");
  EXPECT_EQ(typo.exit_code, 2) << typo.output;
  EXPECT_NE(typo.output.find("max_byte"), std::string::npos) << typo.output;
}

// Inputs that were once accepted and then misbehaved: a zero timeout blamed a
// healthy rank, a step factor that rounds down measured one size, an
// out-of-range corrupt rank corrupted nothing, and words without -- and
// repeated flags were dropped or overridden silently.
TEST(MpiSweepTest, ValuesThatOnceMisbehavedExitTwo) {
  struct Case {
    const char* args;
    const char* message;
  };
  const Case cases[] = {
      {"baseline --timeout_s=0", "--timeout_s=0 must be in [2, 86400]"},
      {"sweep --timeout_s=0.5", "--timeout_s=0.5 must be in [2, 86400]"},
      {"sweep --min_bytes=8 --max_bytes=1K --step_factor=1.1",
       "--step_factor=1.1 does not grow 8 bytes (8 x 1.1 rounds down to 8)"},
      {"sweep --min_bytes=8 --max_bytes=8 --corrupt_rank=5",
       "--corrupt_rank=5 must be -1 (none) or a rank of the job (0..1)"},
      {"sweep --min_bytes=8 --max_bytes=8 iters=2",
       "unexpected argument 'iters=2'"},
      {"sweep --min_bytes=8 --max_bytes=8 --iters=2 --iters=3",
       "--iters is given 2 times"},
  };
  for (const Case& c : cases) {
    const CommandResult r = Mpirun(2, c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << "\n"
                                                           << r.output;
  }
}

// A corrupt rank is detected whatever the collective and root, including a
// non-root rank of reduce, whose own output is not checked (it corrupts its
// input instead, which reaches the root's sum).
TEST(MpiSweepTest, CorruptionIsDetectedForEveryOpAndRoot) {
  for (const auto& [root, corrupt] :
       {std::pair{0, 1}, std::pair{2, 0}, std::pair{1, 1}}) {
    const std::string json =
        absl::StrCat(::testing::TempDir(), "corrupt_all_", root, corrupt, "_",
                     getpid(), ".json");
    const CommandResult r = Mpirun(
        3, absl::StrCat("sweep --op=all --min_bytes=1K --max_bytes=1K "
                        "--iters=1 --warmup_iters=0 --root=",
                        root, " --corrupt_rank=", corrupt, " --json=", json));
    EXPECT_EQ(r.exit_code, 1) << r.output;
    const std::string report = ReadAll(json);
    std::remove(json.c_str());
    // Seven collectives, each out of place and in place: no run reads
    // "wrong": 0 (proto JSON leaves zero fields out) and none is missing.
    EXPECT_EQ(Occurrences(report, "\"wrong\": \"1\""), 14)
        << "root " << root << " corrupt " << corrupt << "\n"
        << report;
  }
}

TEST(MpiSweepTest, RanksStartedWithDifferentArgumentsAreRefused) {
  const std::string common = " sweep --min_bytes=8 --max_bytes=8 --iters=";
  const CommandResult r = RunCommand(
      absl::StrCat("mpirun --oversubscribe -np 2 ", MEMWALL_RUN_BINARY, common,
                   "2 : -np 1 ", MEMWALL_RUN_BINARY, common, "3"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(
      r.output.find(
          "rank 2 got 'sweep --min_bytes=8 --max_bytes=8 --iters=3' but rank 0 "
          "got 'sweep --min_bytes=8 --max_bytes=8 --iters=2'"),
      std::string::npos)
      << r.output;
}

TEST(MpiSweepTest, NcclBackendWithoutGpuExitsOneWithTheReason) {
  if (access("/dev/nvidia0", F_OK) == 0) GTEST_SKIP() << "a GPU is present";
  const CommandResult r =
      Mpirun(2, "sweep --backend=nccl --min_bytes=8 --max_bytes=8");
  EXPECT_EQ(r.exit_code, 1) << r.output;
#ifdef MEMWALL_HAVE_NCCL
  EXPECT_NE(r.output.find("memwall-run sweep: no usable GPU: "),
            std::string::npos)
      << r.output;
#else
  EXPECT_NE(r.output.find("built without CUDA and NCCL"), std::string::npos)
      << r.output;
#endif
}

}  // namespace
}  // namespace memwall::runtime
