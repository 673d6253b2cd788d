#include "indexer/html_chrome.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

struct ChromeWord {
  std::string_view word;
  bool as_affix;  // also matches the start or the end of a longer word
};

constexpr std::array<ChromeWord, 28> kChromeWords = {{
    {"cookie", true},     {"consent", true},    {"gdpr", true},     {"banner", true},
    {"newsletter", true}, {"subscribe", true},  {"share", true},    {"sharing", true},
    {"social", true},     {"breadcrumb", true}, {"sidebar", true},  {"menu", true},
    {"nav", true},        {"navigation", true}, {"footer", true},   {"related", true},
    {"popup", true},      {"pagination", true}, {"advert", true},   {"sponsor", true},
    {"toolbar", true},    {"comments", true},   {"skiplink", true}, {"ad", false},
    {"ads", false},       {"toc", false},       {"modal", false},   {"pager", false},
}};

// Words that start or end with a chrome word but are not chrome.
constexpr std::array<std::string_view, 8> kNotChrome = {
    "navy",      "shared",    "shareholder", "shareholders",
    "socialism", "socialist", "unrelated",   "interrelated"};

constexpr std::array<std::string_view, 10> kChromeRoles = {
    "navigation", "banner",  "contentinfo", "complementary", "search",
    "menu",       "menubar", "toolbar",     "dialog",        "alertdialog"};

// Lower-case words of `names`, split at non-alphanumerics and camelCase humps.
std::vector<std::string> Words(std::string_view names) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  for (size_t i = 0; i < names.size(); ++i) {
    const auto c = static_cast<unsigned char>(names[i]);
    if (std::isalnum(c) == 0) {
      flush();
      continue;
    }
    const bool hump = std::isupper(c) != 0 && i > 0 &&
                      std::islower(static_cast<unsigned char>(names[i - 1])) != 0;
    if (hump) flush();
    current.push_back(static_cast<char>(std::tolower(c)));
  }
  flush();
  return words;
}

bool WordIsChrome(const std::string& word) {
  if (std::find(kNotChrome.begin(), kNotChrome.end(), word) != kNotChrome.end()) return false;
  return std::any_of(kChromeWords.begin(), kChromeWords.end(), [&](const ChromeWord& c) {
    if (word == c.word) return true;
    return c.as_affix && word.size() > c.word.size() &&
           (word.starts_with(c.word) || word.ends_with(c.word));
  });
}

}  // namespace

bool NamesSayChrome(std::string_view names) {
  const std::vector<std::string> words = Words(names);
  return std::any_of(words.begin(), words.end(), WordIsChrome);
}

bool RoleSaysChrome(std::string_view role) {
  const std::vector<std::string> roles = Words(role);
  return std::any_of(roles.begin(), roles.end(), [](const std::string& r) {
    return std::find(kChromeRoles.begin(), kChromeRoles.end(), r) != kChromeRoles.end();
  });
}

bool IsPermalinkMarker(std::string_view anchor_text) {
  const std::string text = CollapseWhitespace(anchor_text);
  return text == "\xC2\xB6" || text == "#" || text == "\xC2\xA7" || text == "\xF0\x9F\x94\x97";
}

}  // namespace citeqa::indexer
