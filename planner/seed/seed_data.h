// The founding tables as printed: README of amirgholami/ai_and_memory_wall
// (data of Gholami et al., "AI and Memory Wall", IEEE Micro 2024), transcribed
// cell by cell, with the memwall zoo model that recomputes each row and the
// notes where a cell is wrong or ambiguous.
#ifndef MEMWALL_PLANNER_SEED_SEED_DATA_H_
#define MEMWALL_PLANNER_SEED_SEED_DATA_H_

#include <cstdint>
#include <vector>

namespace memwall {

inline constexpr char kSeedSource[] =
    "README of github.com/amirgholami/ai_and_memory_wall (Gholami et al., AI "
    "and Memory "
    "Wall, IEEE Micro 2024, arXiv 2403.14123)";

struct SeedNlpRow {
  const char* label;
  const char* model;  // memwall zoo name
  const char* token_size;
  const char* params;
  const char* features;
  const char* gflops;
  const char* training_pflops;
  // In the table's first version (17 Mar 2021) GFLOPs were MACs, doubled after
  // rounding.
  bool rounded_as_macs;
};

struct SeedCvRow {
  const char* label;
  const char* model;
  const char* resolution;
  const char* params;
  const char* gflops;
  const char* training_pflops;
};

struct SeedMemoryRow {
  const char* label;
  const char* model;
  const char* input;
  int64_t length;  // tokens or pixels per side memwall computes at
  int64_t batch;
  const char* params;
  const char* optimizer;
  const char* activation;
  const char* total;
};

// Why a cell differs; `erratum` marks a seed error (not rounding or a
// convention).
struct SeedNote {
  const char* table;  // "nlp", "cv", "memory"
  const char* row;    // row label
  const char* column;
  bool erratum;
  const char* text;
};

const std::vector<SeedNlpRow>& SeedNlpRows();
const std::vector<SeedCvRow>& SeedCvRows();
const std::vector<SeedMemoryRow>& SeedMemoryRows();
const std::vector<SeedNote>& SeedNotes();

}  // namespace memwall

#endif  // MEMWALL_PLANNER_SEED_SEED_DATA_H_
