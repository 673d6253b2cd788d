// The OpenAPI 3.1 description of the HTTP API (server/openapi.json), embedded into the binary
// at build time and served at GET /api/openapi.json. tests/server/openapi_check.py checks it
// against the real server's responses.
#pragma once

#include <vector>

#include "server/static_assets.h"

namespace citeqa::server {

// Defined in the generated api_description.cc (cmake/embed_files.cmake): one file,
// "openapi.json".
const std::vector<EmbeddedFile>& EmbeddedApiDescription();

// GET /api/openapi.json: the embedded document as application/json (static storage).
inline StaticAsset ApiDescriptionAsset() {
  return {"/api/openapi.json", "application/json", EmbeddedApiDescription().front().bytes};
}

}  // namespace citeqa::server
