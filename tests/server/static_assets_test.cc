#include "server/static_assets.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace citeqa::server {
namespace {

TEST(StaticAssetsTest, ContentTypes) {
  struct Case {
    std::string name;
    std::string type;
  } cases[] = {
      {"index.html", "text/html; charset=utf-8"},
      {"app.js", "text/javascript; charset=utf-8"},
      {"style.css", "text/css; charset=utf-8"},
      {"logo.svg", "image/svg+xml"},
      {"favicon.ico", "image/x-icon"},
      {"data.bin", "application/octet-stream"},
      {"js", "application/octet-stream"},
  };
  for (const Case& c : cases) EXPECT_EQ(ContentTypeForFile(c.name), c.type) << c.name;
}

TEST(StaticAssetsTest, IndexIsAlsoServedAtRoot) {
  const std::vector<EmbeddedFile> files = {{"index.html", "<html>"}, {"app.js", "go()"}};
  const std::vector<StaticAsset> assets = WebAssets(files);
  ASSERT_EQ(assets.size(), 3u);
  const auto find = [&](const std::string& path) {
    return std::find_if(assets.begin(), assets.end(),
                        [&](const StaticAsset& a) { return a.url_path == path; });
  };
  ASSERT_NE(find("/"), assets.end());
  EXPECT_EQ(find("/")->body, "<html>");
  ASSERT_NE(find("/app.js"), assets.end());
  EXPECT_EQ(find("/app.js")->content_type, "text/javascript; charset=utf-8");
}

TEST(StaticAssetsTest, ResponseIsNotCached) {
  const HttpResponse response = StaticAssetResponse({"/style.css", "text/css; charset=utf-8", "a{}"});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "a{}");
  EXPECT_EQ(response.content_type, "text/css; charset=utf-8");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0], (std::pair<std::string, std::string>("Cache-Control", "no-cache")));
}

// The binary embeds the chat page: the three files the page needs are always there (a
// placeholder stands in for one not yet written).
TEST(StaticAssetsTest, EmbeddedPageHasItsThreeFiles) {
  const std::vector<EmbeddedFile>& files = EmbeddedWebFiles();
  for (const char* name : {"index.html", "app.js", "style.css"}) {
    const auto it = std::find_if(files.begin(), files.end(),
                                 [&](const EmbeddedFile& f) { return f.name == name; });
    ASSERT_NE(it, files.end()) << name;
    EXPECT_FALSE(it->bytes.empty()) << name;
  }
}

}  // namespace
}  // namespace citeqa::server
