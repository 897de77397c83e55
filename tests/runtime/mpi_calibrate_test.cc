// memwall-run calibrate under mpirun on shared memory (one node of 4 ranks):
// the file it writes carries the measured level with its source comments, and
// the planner and the replay take it unchanged (calibrate -> plan -> replay).
// No timing is asserted here (the netns suite holds the measured figures to
// the predictions).
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

std::string Temp(const std::string& name) {
  return absl::StrCat(::testing::TempDir(), "calibrate_", getpid(), "_", name);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

CommandResult MpiRun(int ranks, const std::string& args) {
  return RunCommand(absl::StrCat("mpirun --oversubscribe -np ", ranks, " ",
                                 MEMWALL_RUN_BINARY, " ", args));
}

TEST(MpiCalibrateTest, CalibratePlanReplayRoundTrip) {
  const std::string cluster = Temp("cluster.textproto");
  // On a loaded machine loopback times can fail to grow with size; the tool
  // then refuses to fit (its documented answer). Retry with larger sizes and
  // more iterations, and skip with the tool's reason if the machine never
  // gives a measurable slope.
  CommandResult r;
  for (const char* sizes :
       {"--max_bytes=1M --iters=3", "--max_bytes=4M --iters=5",
        "--max_bytes=16M --iters=5"}) {
    r = MpiRun(4, absl::StrCat("calibrate --base_cluster=dgx-h100 "
                               "--name=loopback ",
                               sizes, " --out=", cluster));
    if (r.exit_code == 0 ||
        r.output.find("no positive bandwidth fits") == std::string::npos) {
      break;
    }
  }
  if (r.exit_code != 0 &&
      r.output.find("no positive bandwidth fits") != std::string::npos) {
    GTEST_SKIP() << "loopback times did not grow with size on this busy "
                    "machine (3 attempts): "
                 << r.output;
  }
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("1 node(s) x 4 rank(s)"), std::string::npos)
      << r.output;
  const std::string text = ReadAll(cluster);
  EXPECT_NE(text.find("name: \"loopback\""), std::string::npos) << text;
  EXPECT_NE(text.find("gpus_per_node: 4"), std::string::npos) << text;
  EXPECT_NE(text.find("kind: SHARED_MEMORY"), std::string::npos) << text;
  EXPECT_NE(text.find("  # measured "), std::string::npos) << text;
  EXPECT_NE(text.find("# not measured: from dgx-h100"), std::string::npos)
      << text;
  EXPECT_NE(text.find("name: \"H100-SXM5-80GB\""), std::string::npos) << text;

  r = RunCommand(absl::StrCat(MEMWALL_BINARY, " comm --cluster=", cluster,
                              " --op=send_recv --bytes=64K --group_size=4 "
                              "--mpi_algorithm=ring"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("on loopback"), std::string::npos) << r.output;

  const std::string plan = Temp("plan.json");
  r = RunCommand(absl::StrCat(
      MEMWALL_BINARY, " plan --model=", MEMWALL_SOURCE_DIR,
      "/tests/data/tiny-gpt.textproto --cluster=", cluster,
      " --gpus=4 --tp=2 --dp=2 --zero=1 --micro_batch=1 --global_batch=8 "
      "--format=json > ",
      plan));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = MpiRun(4, absl::StrCat("replay --plan=", plan, " --cluster=", cluster,
                             " --compute=none --steps=1"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("predicted on cluster loopback"), std::string::npos)
      << r.output;
  std::remove(plan.c_str());
  std::remove(cluster.c_str());
}

TEST(MpiCalibrateTest, BadInputExitsTwo) {
  const std::string out = Temp("bad.textproto");
  struct Case {
    int ranks;
    std::string args;
    const char* message;
  };
  const Case cases[] = {
      {2, "calibrate --base_cluster=no-such-cluster --out=" + out,
       "--base_cluster=no-such-cluster is neither"},
      {2, "calibrate --base_cluster=dgx-h100", "--out=FILE is required"},
      {1, "calibrate --base_cluster=dgx-h100 --out=" + out, "at least 2 ranks"},
      {2, "calibrate --base_cluster=dgx-h100 --max_bytes=4 --out=" + out,
       "--max_bytes=4 must be > --min_bytes=8"},
      {2, "calibrate --base_cluster=dgx-h100 --min_time_s=-1 --out=" + out,
       "--min_time_s=-1 must be 0..10 seconds"},
  };
  for (const Case& c : cases) {
    const CommandResult r = MpiRun(c.ranks, c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << r.output;
  }
  std::remove(out.c_str());
}

TEST(MpiCalibrateTest, NcclBackendWithoutGpuExitsOneWithTheReason) {
  if (access("/dev/nvidia0", F_OK) == 0) GTEST_SKIP() << "a GPU is present";
  const std::string out = Temp("nccl.textproto");
  const CommandResult r = MpiRun(
      2, "calibrate --base_cluster=dgx-h100 --backend=nccl --out=" + out);
  EXPECT_EQ(r.exit_code, 1) << r.output;
#ifdef MEMWALL_HAVE_NCCL
  EXPECT_NE(r.output.find("memwall-run calibrate: no usable GPU: "),
            std::string::npos)
      << r.output;
#else
  EXPECT_NE(r.output.find("built without CUDA and NCCL"), std::string::npos)
      << r.output;
#endif
  std::remove(out.c_str());
}

}  // namespace
}  // namespace memwall::runtime
