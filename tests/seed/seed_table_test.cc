// `memwall table` cell by cell against the founding tables (README of
// amirgholami/ai_and_memory_wall): every seed row and column is either
// reproduced within its stated tolerance or carries a note explaining the
// difference.
#include "planner/seed/seed_table.h"

#include <fstream>
#include <sstream>
#include <string>

#include "common/status.h"
#include "gtest/gtest.h"
#include "planner/seed/seed_render.h"
#include "tests/testing/status_matchers.h"

namespace memwall {
namespace {

class SeedTableTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto t = BuildSeedTables();
    ASSERT_TRUE(t.ok()) << t.status();
    tables_ = new SeedTables(*t);
  }
  static const SeedCell& Cell(const std::string& table, const std::string& row,
                              const std::string& column) {
    for (const SeedTable& t : tables_->tables()) {
      if (t.name() != table) continue;
      for (const SeedRow& r : t.rows()) {
        if (r.label() != row) continue;
        for (const SeedCell& c : r.cells()) {
          if (c.column() == column) return c;
        }
      }
    }
    ADD_FAILURE() << table << "/" << row << "/" << column << " missing";
    static const SeedCell* empty = new SeedCell;
    return *empty;
  }
  static SeedTables* tables_;
};
SeedTables* SeedTableTest::tables_ = nullptr;

TEST_F(SeedTableTest, EveryCellHasAValueOrANote) {
  for (const SeedTable& t : tables_->tables()) {
    for (const SeedRow& r : t.rows()) {
      for (const SeedCell& c : r.cells()) {
        if (c.has_seed_value() && !c.has_memwall_value()) {
          EXPECT_FALSE(c.note().empty())
              << t.name() << "/" << r.label() << "/" << c.column();
        }
        // A difference beyond 10% must be explained.
        if (c.has_difference() && std::abs(c.difference()) > 0.10) {
          EXPECT_FALSE(c.note().empty())
              << t.name() << "/" << r.label() << "/" << c.column();
        }
      }
    }
  }
}

// CV inference GFLOPs = 2 x MACs within 5% of the README (InceptionV3: the
// README holds MACs).
TEST_F(SeedTableTest, CvGflopsWithinFivePercent) {
  for (const char* row : {"AlexNet", "VGG-19", "ResNet152", "InceptionV4",
                          "Xception", "ResNeXt101(64x4d)", "DenseNet201"}) {
    const SeedCell& c = Cell("cv", row, "inference_gflops");
    EXPECT_LT(std::abs(c.difference()), 0.05) << row;
  }
  const SeedCell& v3 = Cell("cv", "InceptionV3", "inference_gflops");
  EXPECT_TRUE(v3.erratum());
  EXPECT_NEAR(v3.memwall_value() / 2, 5.7, 0.05);  // README 5.7 = GMACs
}

// #Params: the README's millions, rounded, except the documented errata.
TEST_F(SeedTableTest, CvParamsWithinRoundingOrErratum) {
  for (const char* row :
       {"AlexNet", "VGG-19", "InceptionV3", "ResNet152", "InceptionV4",
        "Xception", "ResNeXt101(64x4d)", "DenseNet201"}) {
    const SeedCell& c = Cell("cv", row, "params");
    if (c.erratum()) {
      EXPECT_GT(std::abs(c.memwall_value() - c.seed_value()), 0.5) << row;
    } else {
      EXPECT_NEAR(c.memwall_value(), c.seed_value(), 0.5) << row;
    }
  }
  EXPECT_TRUE(Cell("cv", "VGG-19", "params").erratum());
  EXPECT_TRUE(Cell("cv", "ResNet152", "params").erratum());
  EXPECT_TRUE(Cell("cv", "InceptionV4", "params").erratum());
}

// Training PFLOPs within 10% where the README computed them from a training
// setup.
TEST_F(SeedTableTest, TrainingWithinTenPercentWhereComputed) {
  const std::pair<const char*, const char*> kComputed[] = {
      {"cv", "AlexNet"},     {"cv", "VGG-19"},
      {"cv", "ResNet152"},   {"cv", "ResNeXt101(64x4d)"},
      {"cv", "DenseNet201"}, {"nlp", "BERT Large"},
      {"nlp", "GPT-1"},      {"nlp", "RoBERTa Large"},
      {"nlp", "Megatron"},   {"nlp", "ALBERT xxl"},
      {"nlp", "GPT-3"}};
  for (const auto& [table, row] : kComputed) {
    const SeedCell& c = Cell(table, row, "training_pflops");
    ASSERT_TRUE(c.has_difference()) << row;
    EXPECT_LT(std::abs(c.difference()), 0.10) << row;
  }
  // Not computed from a setup: explained.
  for (const char* row : {"InceptionV3", "Xception"}) {
    EXPECT_TRUE(Cell("cv", row, "training_pflops").erratum()) << row;
  }
  EXPECT_TRUE(Cell("nlp", "Transformer", "training_pflops").erratum());
}

// NLP params: the README prints the papers' rounded counts (65M, 1,500M,
// 175,000M), so within 5% except the errata.
TEST_F(SeedTableTest, NlpParams) {
  for (const char* row :
       {"Transformer", "ELMo", "BERT Large", "GPT-2", "Megatron",
        "Microsoft T-NLG", "ELECTRA Large", "GPT-3", "GShard"}) {
    const SeedCell& c = Cell("nlp", row, "params");
    EXPECT_LT(std::abs(c.difference()), 0.05)
        << row << " " << c.memwall_value();
  }
  for (const char* row : {"GPT-1", "RoBERTa Large", "ALBERT xxl",
                          "Baidu RecSys-C", "Baidu RecSys-E"}) {
    EXPECT_TRUE(Cell("nlp", row, "params").erratum()) << row;
  }
}

// Memory rows: params = 4 B x N and optimizer = 1 x (CV) or 2 x (NLP) params,
// GiB.
TEST_F(SeedTableTest, MemoryParamsAndOptimizerBySeedConvention) {
  struct Row {
    const char* label;
    double params;  // parameters, from the reference implementations
    double optimizer_factor;
  };
  const Row kRows[] = {{"AlexNet", 60965224, 1},
                       {"VGG19", 143667240, 1},
                       {"ResNet152", 60192808, 1},
                       {"DenseNet201", 20013928, 1},
                       {"ResNeXt101 (64x4d)", 83455272, 1}};
  for (const Row& r : kRows) {
    const double gib = 4.0 * r.params / (1 << 30);
    EXPECT_NEAR(Cell("memory", r.label, "params").memwall_value(), gib, 1e-9)
        << r.label;
    EXPECT_NEAR(Cell("memory", r.label, "optimizer").memwall_value(),
                r.optimizer_factor * gib, 1e-9)
        << r.label;
    // The README's two-decimal value.
    EXPECT_NEAR(gib, Cell("memory", r.label, "params").seed_value(), 0.005)
        << r.label;
  }
  for (const char* nlp : {"Transformer Big (WMT)", "BERT Large", "GPT-2"}) {
    EXPECT_NEAR(Cell("memory", nlp, "optimizer").memwall_value(),
                2 * Cell("memory", nlp, "params").memwall_value(), 1e-9);
  }
}

// CV activations within 2% of the README (saved-for-backward bytes, fp32, GiB).
TEST_F(SeedTableTest, CvActivationsWithinTwoPercent) {
  for (const char* row :
       {"VGG19", "ResNet152", "DenseNet201", "ResNeXt101 (64x4d)"}) {
    EXPECT_LT(std::abs(Cell("memory", row, "activation").difference()), 0.02)
        << row;
    EXPECT_LT(std::abs(Cell("memory", row, "total").difference()), 0.02) << row;
  }
  // AlexNet: the original network with a fused LRN comes within 2%; the total
  // is the README's transposed 1.71 -> 1.17.
  EXPECT_LT(std::abs(Cell("memory", "AlexNet", "activation").difference()),
            0.02);
  EXPECT_NEAR(Cell("memory", "AlexNet", "total").memwall_value(), 1.17, 0.01);
  EXPECT_TRUE(Cell("memory", "AlexNet", "total").erratum());
  // GPT-2: 11.62 must be 2 x 5.86.
  EXPECT_TRUE(Cell("memory", "GPT-2", "optimizer").erratum());
}

// NLP activations: the README's BERT and GPT-2 values sit within 4% of the fp16
// Korthikanti reconstruction (13.875 and 8.350 GiB by hand: 24 x 512 x 16 x
// 1024 x 74 B, 48 x 1024 x 1600 x (34 + 5 x 25 x 1024 / 1600) B); Transformer
// Big's 11.78 stays unexplained.
TEST_F(SeedTableTest, NlpActivationsReconstruction) {
  EXPECT_NEAR(Cell("memory", "BERT Large", "activation").memwall_value(),
              13.875, 0.0005);
  EXPECT_NEAR(Cell("memory", "GPT-2", "activation").memwall_value(), 8.3496,
              0.0005);
  EXPECT_LT(std::abs(Cell("memory", "BERT Large", "activation").difference()),
            0.04);
  EXPECT_LT(std::abs(Cell("memory", "GPT-2", "activation").difference()), 0.04);
  EXPECT_TRUE(Cell("memory", "Transformer Big (WMT)", "activation").erratum());
}

// docs/seed-tables.md is the tool's Markdown output, byte for byte.
TEST_F(SeedTableTest, CommittedPageMatchesTool) {
  const char* root = std::getenv("MEMWALL_SOURCE_DIR");
  ASSERT_NE(root, nullptr);
  std::ifstream in(std::string(root) + "/docs/seed-tables.md");
  ASSERT_TRUE(in.good()) << "docs/seed-tables.md missing";
  std::stringstream page;
  page << in.rdbuf();
  EXPECT_EQ(page.str(), RenderSeedTablesMarkdown(*tables_))
      << "regenerate with: memwall table --format=markdown > "
         "docs/seed-tables.md";
}

TEST(ParseSeedNumber, Cells) {
  EXPECT_EQ(ParseSeedNumber("1,500M"), 1500);
  EXPECT_EQ(ParseSeedNumber("0.23 GB"), 0.23);
  EXPECT_EQ(ParseSeedNumber("227 x 227"), 227);
  EXPECT_FALSE(ParseSeedNumber("~O(0.1)").has_value());
  EXPECT_FALSE(ParseSeedNumber("N/A").has_value());
  EXPECT_FALSE(ParseSeedNumber("").has_value());
}

}  // namespace
}  // namespace memwall
