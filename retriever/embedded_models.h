// The model files of models/ embedded into the binary at build time, so that `citeqa` needs
// no files besides the index.
#pragma once

#include <string_view>
#include <vector>

namespace citeqa::retriever {

struct EmbeddedModel {
  std::string_view name;   // file name inside models/, e.g. "passage_ranker.json"
  std::string_view bytes;  // the content; static storage
};

// Defined in the generated embedded_models.cc (see cmake/embed_files.cmake).
const std::vector<EmbeddedModel>& EmbeddedModelFiles();

}  // namespace citeqa::retriever
