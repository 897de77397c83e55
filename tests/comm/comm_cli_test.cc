// `memwall comm` end to end: output, formats and exit status 2 on bad input.
#include <cstdio>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/run_command.h"

namespace memwall {
namespace {

using ::memwall::testing::RunCommand;
using ::testing::HasSubstr;

std::string Memwall(const std::string& args) {
  return std::string(MEMWALL_BIN) + " " + args;
}

TEST(CommCliTest, PrintsATable) {
  const auto r = RunCommand(Memwall(
      "comm --cluster=dgx-h100 --op=all_reduce --bytes=1G --group_size=8"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("1073741824"));
  EXPECT_THAT(r.output, HasSubstr("nvls"));
}

TEST(CommCliTest, JsonAndOpenMpi) {
  const auto r =
      RunCommand(Memwall("comm --cluster=netns-tcp-1g --op=all_reduce "
                         "--bytes=32M --mpi_algorithm=ring --format=json"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("\"model\": \"openmpi\""));
  EXPECT_THAT(r.output, HasSubstr("\"busbw_bytes_per_s\""));
}

TEST(CommCliTest, BadInputExitsTwo) {
  struct Case {
    const char* args;
    const char* message;
  };
  const Case cases[] = {
      {"comm --cluster=dgx-a100-80g --set='num_nodes: 2' --gpus=32",
       "gpus=32 exceeds cluster.num_nodes=2 x cluster.gpus_per_node=8 = 16 "
       "GPUs"},
      {"comm --cluster=dgx-a100-80g --op=allreduce",
       "--op=allreduce is not a collective"},
      {"comm --cluster=dgx-a100-80g --group_size=16 --gpus=8",
       "--group_size=16"},
      {"comm --cluster=dgx-a100-80g --algorithm=nvls --group_size=8",
       "algorithm=nvls does not apply"},
      {"comm --op=all_reduce", "--cluster is required"},
      {"comm --cluster=dgx-h100 --group_size=1000000000000 "
       "--group_stride=1000000000",
       "spans more than"},
      {"comm --cluster=dgx-h100 --bytes=-5", "--bytes=-5"},
      {"comm --cluster=dgx-a100-80g --bogus=1", "bogus"},
  };
  for (const Case& c : cases) {
    const auto r = RunCommand(Memwall(c.args));
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr(c.message)) << c.args;
  }
}

TEST(CommCliTest, ZeroBandwidthClusterFileIsRejected) {
  const std::string path = ::testing::TempDir() + "/zero_bw.textproto";
  std::ofstream(path)
      << "name: \"zero\" gpus_per_node: 8 gpu { hbm_bytes: 1 }\n"
         "levels { kind: NVLINK domain_size: 8 bandwidth_bytes_per_s: 1e11 }\n"
         "levels { kind: NETWORK bandwidth_bytes_per_s: 0 }\n";
  const auto r = RunCommand(Memwall("comm --cluster=" + path));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(
      r.output,
      HasSubstr("cluster.levels[1].bandwidth_bytes_per_s=0 must be > 0"));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace memwall
