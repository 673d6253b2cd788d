// The vocabulary changes of the index's recent versions, kept so that a reader holding the
// word and stem counts of one version (retriever/vocabulary.h) can bring them up to a later
// one by applying what changed, instead of reading both tables whole: at a million passages
// that read is some 1.4 million rows, most of the time a served index takes to answer with
// its new version, for a one-file change of a few hundred terms.
//
// Each version (meta.generation) that changed the index has a row in frequency_versions with
// a random token, and its changes (passages added minus removed, per word of passage_vocab
// and per term of stem_frequency) are in frequency_changes. A reader whose counts are of
// version E with token T may apply the changes of the versions after E only if the index
// still holds (E, T): a copy of the file from before E, brought forward on its own, has
// other tokens. The last kKeptFrequencyVersions versions are kept; a run changing more than
// kMaxRecordedFrequencyChanges terms (a first index, a large re-index) records none, and
// its version becomes the first one kept, since reading the tables whole is then as cheap.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/sqlite_db.h"
#include "indexer/status.h"

namespace citeqa::indexer {

inline constexpr int64_t kKeptFrequencyVersions = 64;
inline constexpr size_t kMaxRecordedFrequencyChanges = 100000;

enum class FrequencyKind : int { kWord = 0, kStem = 1 };  // passage_vocab, stem_frequency

struct FrequencyChange {
  FrequencyKind kind;
  std::string term;
  int64_t delta;  // passages added minus removed
};

// The changes one run applies, collected as they are applied (VocabularyDelta::Apply). Past
// kMaxRecordedFrequencyChanges it keeps none and says so.
class FrequencyChanges {
 public:
  void Add(FrequencyKind kind, std::string_view term, int64_t delta);
  bool too_many() const { return too_many_; }
  const std::vector<FrequencyChange>& changes() const { return changes_; }

 private:
  std::vector<FrequencyChange> changes_;
  bool too_many_ = false;
};

// Records `changes` as those of version `generation` (the version the caller's transaction
// commits), with a new token, and forgets versions older than the kept ones. Inside the
// caller's transaction; the index must be at schema version 7 or later.
Status RecordFrequencyVersion(Database* db, int64_t generation, const FrequencyChanges& changes);

}  // namespace citeqa::indexer
