// The HTML pages end to end: each page's tables hold the same numbers as the
// command's text output (parsed from both), and `memwall report` refuses
// files that are not the report it expects (exit 2, naming it).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/testing/run_command.h"

namespace memwall {
namespace {

using ::memwall::testing::RunCommand;
using ::testing::HasSubstr;
using ::testing::Not;

using Rows = std::vector<std::vector<std::string>>;

std::string Memwall(const std::string& args) {
  return std::string(MEMWALL_BIN) + " " + args;
}

std::string Unescape(std::string s) {
  const std::pair<const char*, const char*> entities[] = {{"&lt;", "<"},
                                                          {"&gt;", ">"},
                                                          {"&quot;", "\""},
                                                          {"&#39;", "'"},
                                                          {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (size_t pos = s.find(from); pos != std::string::npos;
         pos = s.find(from, pos + 1)) {
      s.replace(pos, std::string(from).size(), to);
    }
  }
  return s;
}

// The body rows of <table id="id">, each cell's text.
Rows HtmlTable(const std::string& html, const std::string& id) {
  Rows rows;
  const size_t start = html.find("<table id=\"" + id + "\">");
  if (start == std::string::npos) return rows;
  const size_t body = html.find("<tbody>", start);
  const size_t end = html.find("</tbody>", body);
  for (size_t tr = html.find("<tr", body); tr < end;
       tr = html.find("<tr", tr + 1)) {
    std::vector<std::string> cells;
    const size_t tr_end = html.find("</tr>", tr);
    for (size_t td = html.find("<td", tr); td < tr_end;
         td = html.find("<td", td + 1)) {
      const size_t open = html.find('>', td) + 1;
      cells.push_back(
          Unescape(html.substr(open, html.find("</td>", open) - open)));
    }
    rows.push_back(cells);
  }
  return rows;
}

std::vector<std::string> Tokens(const std::string& line) {
  return absl::StrSplit(line, ' ', absl::SkipEmpty());
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n');
}

struct Outputs {
  std::string table, html;
};

// A page is one file: no script, and nothing that a browser would fetch.
void ExpectSelfContained(const std::string& html) {
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("</html>"));
  for (const char* fetch : {"<script", "<link", "<img", "<iframe",
                            " src=", " href=", "url(", "@import", "https:"}) {
    EXPECT_THAT(html, Not(HasSubstr(fetch))) << fetch;
  }
}

Outputs Both(const std::string& args) {
  const auto table = RunCommand(Memwall(args + " --format=table"));
  const auto html = RunCommand(Memwall(args + " --format=html"));
  EXPECT_EQ(table.exit_code, 0) << table.output;
  EXPECT_EQ(html.exit_code, 0) << html.output;
  ExpectSelfContained(html.output);
  return {table.output, html.output};
}

TEST(HtmlCliTest, MemoryPageHasTheTableNumbers) {
  const Outputs o = Both(
      "memory --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=8 "
      "--pp=8 --global_batch=64 --recompute=selective --sequence_parallel");
  Rows text;
  bool in_rows = false;
  for (const std::string& line : Lines(o.table)) {
    if (absl::StartsWith(line, "stage ")) continue;
    if (absl::StrContains(line, "GiB") && absl::StrContains(line, "mb")) {
      in_rows = true;
      continue;
    }
    if (in_rows && line.empty()) break;
    if (in_rows) text.push_back(Tokens(line));
  }
  ASSERT_EQ(text.size(), 8u) << o.table;
  EXPECT_EQ(HtmlTable(o.html, "stages"), text);
  EXPECT_THAT(o.html, HasSubstr("<svg"));
  EXPECT_THAT(o.html, HasSubstr("class=\"capacity\""));
}

// --layers adds the saved activations per layer: the page's table holds the
// text output's rows (part, bytes, MiB) and its chart one bar per part.
TEST(HtmlCliTest, MemoryPageHasTheLayerActivations) {
  const Outputs o = Both(
      "memory --model=deepseek-v3 --cluster=dgx-h100 --gpus=512 --ep=64 "
      "--pp=8 --global_batch=512 --seq_len=4096 --recompute=selective "
      "--layers");
  Rows text;
  bool in_rows = false;
  for (const std::string& line : Lines(o.table)) {
    if (absl::StartsWith(line, "part ")) {
      in_rows = true;
      continue;
    }
    if (in_rows && line.empty()) break;
    if (!in_rows) continue;
    // "layer 3" is two tokens in the text table and one cell on the page.
    std::vector<std::string> t = Tokens(line);
    if (t.size() == 4) t = {t[0] + " " + t[1], t[2], t[3]};
    text.push_back(t);
  }
  // The embedding, 61 layers and the head.
  ASSERT_EQ(text.size(), 63u) << o.table;
  EXPECT_EQ(HtmlTable(o.html, "layers"), text);
  const size_t chart = o.html.find("Saved activations of one micro-batch per");
  ASSERT_NE(chart, std::string::npos);
  const size_t chart_end = o.html.find("</svg>", chart);
  int bars = 0;
  for (size_t at = o.html.find("class=\"seg\"", chart); at < chart_end;
       at = o.html.find("class=\"seg\"", at + 1)) {
    ++bars;
  }
  EXPECT_EQ(bars, 63);
}

TEST(HtmlCliTest, PlanPageHasTheTableNumbers) {
  const Outputs o = Both(
      "plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=256 "
      "--global_batch=512 --seq_len=2048 --top=3");
  Rows text;
  std::vector<std::string> terms;
  for (const std::string& line : Lines(o.table)) {
    std::vector<std::string> t = Tokens(line);
    if (t.size() >= 9 && std::isdigit(static_cast<unsigned char>(t[0][0])) &&
        absl::EndsWith(t[t.size() - 7], "s")) {
      // rank, layout words, step "12.345s", mfu "%", hfu "%", tokens/s,
      // peak "78.79 GiB", days.
      const size_t n = t.size();
      std::vector<std::string> row = {t[0]};
      std::vector<std::string> layout(t.begin() + 1, t.end() - 7);
      row.push_back(absl::StrJoin(layout, " "));
      row.push_back(std::string(absl::StripSuffix(t[n - 7], "s")));
      row.push_back(std::string(absl::StripSuffix(t[n - 6], "%")));
      row.push_back(std::string(absl::StripSuffix(t[n - 5], "%")));
      row.push_back(t[n - 4]);
      row.push_back(t[n - 3]);
      row.push_back(t[n - 1]);
      text.push_back(row);
    }
    if (absl::StartsWith(line, "best: step")) {
      for (const std::string& tok : Tokens(line)) {
        if (std::isdigit(static_cast<unsigned char>(tok[0])))
          terms.push_back(tok);
      }
    }
  }
  ASSERT_EQ(text.size(), 3u) << o.table;
  EXPECT_EQ(HtmlTable(o.html, "candidates"), text);
  // Every step term on the page is one of the text's "best: step" numbers.
  const Rows page_terms = HtmlTable(o.html, "step-terms");
  ASSERT_GE(page_terms.size(), 3u);
  for (const auto& row : page_terms) {
    EXPECT_THAT(terms, ::testing::Contains(row[1])) << row[0];
  }
  EXPECT_EQ(page_terms.back()[1], terms[0]);  // the step time
}

TEST(HtmlCliTest, ValidatePageHasTheTableNumbers) {
  const Outputs o = Both("validate --all");
  Rows text;
  for (const std::string& line : Lines(o.table)) {
    std::vector<std::string> t = Tokens(line);
    if (t.size() == 10 && absl::EndsWith(t[5], "s") &&
        absl::EndsWith(t[7], "%")) {
      text.push_back({t[0], t[1], t[2], t[3], t[4],
                      std::string(absl::StripSuffix(t[5], "s")),
                      std::string(absl::StripSuffix(t[6], "s")),
                      std::string(absl::StripSuffix(t[7], "%")),
                      std::string(absl::StripSuffix(t[8], "%")), t[9]});
    }
  }
  ASSERT_GE(text.size(), 200u) << o.table;
  EXPECT_EQ(HtmlTable(o.html, "cases"), text);
}

TEST(HtmlCliTest, CommPageHasTheTableNumbers) {
  const Outputs o = Both(
      "comm --cluster=dgx-h100 --op=all_reduce --nodes=4 --min_bytes=1K "
      "--max_bytes=1G");
  Rows text;
  for (const std::string& line : Lines(o.table)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> t = Tokens(line);
    ASSERT_EQ(t.size(), 7u) << line;
    text.push_back(t);
  }
  ASSERT_EQ(text.size(), 21u);
  EXPECT_EQ(HtmlTable(o.html, "comm"), text);
}

TEST(HtmlCliTest, FitPageHasTheChanges) {
  const Outputs o = Both(
      "fit --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=4 --pp=4 "
      "--global_batch=64");
  const Rows changes = HtmlTable(o.html, "changes");
  ASSERT_FALSE(changes.empty()) << o.table;
  for (const auto& row : changes) {
    // "  CHANGE  PEAK" for single changes; "(peak PEAK):\n  CHANGES" for the
    // fewest changes.
    EXPECT_THAT(o.table, HasSubstr("  " + row[0])) << row[0];
    EXPECT_THAT(o.table, HasSubstr(" " + row[1])) << row[1];
  }
  // The verdict line of the text heads the page.
  for (const std::string& line : Lines(o.table)) {
    if (absl::StartsWith(line, "does not fit: exceeds memory by ")) {
      EXPECT_THAT(o.html, HasSubstr("<li>" + line + "</li>"));
    }
  }
}

TEST(HtmlCliTest, SeedTablePageHasTheTableValues) {
  const Outputs o = Both("table");
  int rows = 0;
  for (int t = 1; t <= 8; ++t) {
    for (const auto& row : HtmlTable(o.html, absl::StrCat("seed-", t))) {
      ++rows;
      // quantity, seed, memwall and difference appear in one text line, in
      // that order.
      bool found = false;
      for (const std::string& line : Lines(o.table)) {
        size_t pos = 0;
        bool all = true;
        for (int c = 1; c <= 4 && all; ++c) {
          if (row[c].empty()) continue;
          pos = line.find(row[c], pos);
          all = pos != std::string::npos;
        }
        found = found || all;
      }
      EXPECT_TRUE(found) << row[1] << " " << row[2] << " " << row[3];
    }
  }
  EXPECT_GT(rows, 50);
  EXPECT_THAT(o.html, HasSubstr("class=\"erratum\""));
}

std::string Source(const std::string& path) {
  const char* dir = std::getenv("MEMWALL_SOURCE_DIR");
  return std::string(dir ? dir : ".") + "/" + path;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The example sweep's text output and JSON come from the same memwall-run.
TEST(HtmlCliTest, RuntimePageHasTheSweepTableNumbers) {
  const auto r = RunCommand(Memwall(
      "report --runtime=" + Source("examples/data/sweep-2-ranks-cpu.json")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ExpectSelfContained(r.output);
  std::string op;
  int compared = 0;
  for (const std::string& line :
       Lines(ReadAll(Source("examples/data/sweep-2-ranks-cpu.txt")))) {
    if (absl::StartsWith(line, "# Collective: ")) {
      op = line.substr(14);
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> t = Tokens(line);
    ASSERT_EQ(t.size(), 16u) << line;
    const Rows page = HtmlTable(r.output, "sweep-" + op);
    bool found = false;
    for (const auto& row : page) {
      if (row[0] != t[0]) continue;
      found = true;
      EXPECT_EQ(row,
                (std::vector<std::string>{t[0], t[1], t[2], t[5], t[6], t[7],
                                          t[8], t[13], t[14], t[15]}))
          << op;
      ++compared;
    }
    EXPECT_TRUE(found) << op << " " << t[0];
  }
  EXPECT_GT(compared, 50);
}

// The replay page holds the rows of the text table memwall-run printed in the
// same run (examples/data/replay-4-ranks-cpu.{json,txt}).
TEST(HtmlCliTest, RuntimePageHasTheReplayTableNumbers) {
  const auto r = RunCommand(Memwall(
      "report --runtime=" + Source("examples/data/replay-4-ranks-cpu.json")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ExpectSelfContained(r.output);
  Rows text;
  bool in_rows = false;
  for (const std::string& line :
       Lines(ReadAll(Source("examples/data/replay-4-ranks-cpu.txt")))) {
    if (absl::StartsWith(line, "# class ")) {
      in_rows = true;
      continue;
    }
    if (!in_rows) continue;
    if (line.empty() || line[0] == '#') break;
    text.push_back(Tokens(line));
  }
  ASSERT_GE(text.size(), 2u);
  EXPECT_EQ(text.back()[0], "total");
  EXPECT_EQ(HtmlTable(r.output, "replay"), text);
  EXPECT_THAT(r.output, HasSubstr("memwall-run replay: tiny-gpt on 4 ranks"));
}

TEST(HtmlCliTest, SavedPlanRendersTheSamePage) {
  const std::string json = ::testing::TempDir() + "/plan.json";
  const std::string args =
      "plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 "
      "--global_batch=512 --top=3";
  const auto saved =
      RunCommand(Memwall(args + " --format=json --landscape=200 > " + json));
  ASSERT_EQ(saved.exit_code, 0) << saved.output;
  const auto page = RunCommand(Memwall("report --plan=" + json));
  ASSERT_EQ(page.exit_code, 0) << page.output;
  const auto direct = RunCommand(Memwall(args + " --format=html"));
  ASSERT_EQ(direct.exit_code, 0);
  EXPECT_EQ(HtmlTable(page.output, "candidates"),
            HtmlTable(direct.output, "candidates"));
  EXPECT_THAT(page.output, HasSubstr("sampled fitted layouts (200 of"));
}

TEST(HtmlCliTest, ReportRefusesWhatItDoesNotExpect) {
  const std::string dir = ::testing::TempDir();
  const std::string sweep =
      ReadAll(Source("examples/data/sweep-2-ranks-cpu.json"));
  const std::string expected =
      "expected memwall-run's --json sweep or replay report";
  // An empty file is refused by the file reader, before it is parsed.
  const std::tuple<std::string, std::string, std::string> files[] = {
      {"not-json.json", "this is not json\n", expected},
      {"truncated.json", sweep.substr(0, sweep.size() / 2), expected},
      {"empty.json", "{}\n", expected},
      {"empty-file.json", "", "empty-file.json' is empty"},
  };
  for (const auto& [name, content, message] : files) {
    std::ofstream(dir + "/" + name) << content;
    const auto r = RunCommand(Memwall("report --runtime=" + dir + "/" + name));
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.output;
    EXPECT_THAT(r.output, HasSubstr(message)) << name;
  }
  // Another command's JSON is named.
  const std::string plan = dir + "/plan-for-runtime.json";
  ASSERT_EQ(RunCommand(Memwall("plan --model=gpt3-175b --cluster=dgx-a100-80g "
                               "--gpus=64 --global_batch=512 --top=1 "
                               "--format=json > " +
                               plan))
                .exit_code,
            0);
  auto r = RunCommand(Memwall("report --runtime=" + plan));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("but it is a memwall plan report"));
  r = RunCommand(Memwall("report --plan=" +
                         Source("examples/data/sweep-2-ranks-cpu.json")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output,
              HasSubstr("expected memwall plan --format=json output"));
  EXPECT_THAT(r.output,
              HasSubstr("but it is a memwall-run --json sweep report"));
  // A truncated replay report is named as one, and --plan names a whole one.
  const std::string replay =
      ReadAll(Source("examples/data/replay-4-ranks-cpu.json"));
  std::ofstream(dir + "/truncated-replay.json")
      << replay.substr(0, replay.size() * 2 / 3);
  r = RunCommand(Memwall("report --runtime=" + dir + "/truncated-replay.json"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("expected memwall-run's --json replay"));
  r = RunCommand(Memwall("report --plan=" +
                         Source("examples/data/replay-4-ranks-cpu.json")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output,
              HasSubstr("but it is a memwall-run --json replay report"));
  r = RunCommand(Memwall("report --runtime=" + dir + "/no-such-file.json"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = RunCommand(Memwall("report"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("exactly one of --runtime"));
  r = RunCommand(Memwall("describe --model=gpt3-175b --format=html"));
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace memwall
