// The synonyms file shipped in indexer/synonyms.txt, compiled in: what `citeqa index`
// stores in a new index when it is not given a synonyms file.
#pragma once

#include <string_view>

namespace citeqa::indexer {

std::string_view DefaultSynonyms();

}  // namespace citeqa::indexer
