// The chat page (web/index.html, app.js, style.css) embedded into the binary at build time,
// so `citeqa serve` needs no files besides the index.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/handlers.h"

namespace citeqa::server {

// One file of web/, as embedded by the generated web_assets.cc.
struct EmbeddedFile {
  std::string_view name;   // file name inside web/, e.g. "app.js"
  std::string_view bytes;  // the content; static storage
};

// Defined in the generated web_assets.cc (see cmake/embed_files.cmake).
const std::vector<EmbeddedFile>& EmbeddedWebFiles();

struct StaticAsset {
  std::string url_path;  // "/app.js"; "/" for index.html
  std::string content_type;
  std::string_view body;  // static storage
};

// "text/html; charset=utf-8" for .html, "text/javascript; charset=utf-8" for .js, ... and
// "application/octet-stream" for an unknown extension.
std::string ContentTypeForFile(std::string_view name);

// Every embedded file at "/<name>", plus "/" for index.html when present.
std::vector<StaticAsset> WebAssets(const std::vector<EmbeddedFile>& files);

// 200 with the asset's Content-Type and `Cache-Control: no-cache` (the page changes with
// the binary, and the browser revalidates instead of serving a stale copy).
HttpResponse StaticAssetResponse(const StaticAsset& asset);

}  // namespace citeqa::server
