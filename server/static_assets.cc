#include "server/static_assets.h"

#include <array>
#include <utility>

namespace citeqa::server {

std::string ContentTypeForFile(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (name.size() > extension.size() &&
        name.substr(name.size() - extension.size()) == extension) {
      return std::string(type);
    }
  }
  return "application/octet-stream";
}

std::vector<StaticAsset> WebAssets(const std::vector<EmbeddedFile>& files) {
  std::vector<StaticAsset> assets;
  for (const EmbeddedFile& file : files) {
    const std::string type = ContentTypeForFile(file.name);
    std::string url_path = "/";
    url_path += file.name;
    assets.push_back({std::move(url_path), type, file.bytes});
    if (file.name == "index.html") assets.push_back({"/", type, file.bytes});
  }
  return assets;
}

HttpResponse StaticAssetResponse(const StaticAsset& asset) {
  HttpResponse response;
  response.content_type = asset.content_type;
  response.body = std::string(asset.body);
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

}  // namespace citeqa::server
