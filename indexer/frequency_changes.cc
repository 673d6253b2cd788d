#include "indexer/frequency_changes.h"

#include <random>

namespace citeqa::indexer {

void FrequencyChanges::Add(FrequencyKind kind, std::string_view term, int64_t delta) {
  if (too_many_) return;
  if (changes_.size() >= kMaxRecordedFrequencyChanges) {
    too_many_ = true;
    std::vector<FrequencyChange>().swap(changes_);
    return;
  }
  changes_.push_back(FrequencyChange{kind, std::string(term), delta});
}

Status RecordFrequencyVersion(Database* db, int64_t generation, const FrequencyChanges& changes) {
  if (changes.too_many()) {
    CITEQA_RETURN_IF_ERROR(
        db->Exec("DELETE FROM frequency_changes; DELETE FROM frequency_versions"));
  } else {
    const std::string oldest_forgotten = std::to_string(generation - kKeptFrequencyVersions);
    CITEQA_RETURN_IF_ERROR(
        db->Exec("DELETE FROM frequency_changes WHERE generation <= " + oldest_forgotten +
                 "; DELETE FROM frequency_versions WHERE "
                 "generation <= " +
                 oldest_forgotten));
    auto insert = db->Prepare(
        "INSERT INTO frequency_changes(generation, kind, term, delta) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(generation, kind, term) DO UPDATE SET delta = delta + excluded.delta");
    if (!insert.ok()) return insert.status();
    for (const FrequencyChange& change : changes.changes()) {
      insert->Reset();
      CITEQA_RETURN_IF_ERROR(insert->Bind(1, generation)
                                 .Bind(2, static_cast<int64_t>(change.kind))
                                 .Bind(3, change.term)
                                 .Bind(4, change.delta)
                                 .Run());
    }
  }
  // A token no other run of any copy of this file draws: 62 random bits (positive, non-zero),
  // from a generator seeded with more bits than one draw of random_device gives.
  static thread_local std::mt19937_64 random = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  const auto token = static_cast<int64_t>((random() >> 2) | 1);
  auto version =
      db->Prepare("INSERT OR REPLACE INTO frequency_versions(generation, token) VALUES (?1, ?2)");
  if (!version.ok()) return version.status();
  return version->Bind(1, generation).Bind(2, token).Run();
}

}  // namespace citeqa::indexer
