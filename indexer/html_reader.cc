#include "indexer/html_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <unordered_map>
#include <vector>

#include "indexer/html_chrome.h"
#include "indexer/html_tree.h"
#include "indexer/text.h"

namespace citeqa::indexer {
namespace html {
namespace {

// Where the article text is: see ReadHtml.
struct ContentRoots {
  const GumboNode* container = nullptr;  // <main>, role=main, else <body>
  const GumboNode* root = nullptr;       // container or its largest <article>
};

ContentRoots FindContentRoots(const GumboNode* body, const TextSizes& sizes) {
  auto size_of = [&](const GumboNode* n) { return TextSize(sizes, n); };
  ContentRoots roots;
  WalkElements(body, [&](const GumboNode* n) {
    if (TagOf(n) == GUMBO_TAG_MAIN || HasRole(n, "main")) roots.container = n;
    return roots.container == nullptr;
  });
  if (roots.container == nullptr) roots.container = body;
  const GumboNode* best = nullptr;
  WalkElements(roots.container, [&](const GumboNode* n) {
    if ((TagOf(n) == GUMBO_TAG_ARTICLE || HasRole(n, "article")) &&
        (best == nullptr || size_of(n) > size_of(best))) {
      best = n;
    }
    return true;
  });
  const bool article_holds_text = best != nullptr && size_of(best) * 3 >= size_of(roots.container);
  roots.root = article_holds_text ? best : roots.container;
  return roots;
}

// Turns the element tree below a content root into blocks.
class BlockCollector {
 public:
  BlockCollector(const TextSizes& sizes, size_t root_size, std::vector<Block>* blocks)
      : sizes_(sizes), root_size_(root_size), blocks_(blocks) {}

  void Collect(const GumboNode* root) {
    article_depth_ = IsArticleLike(root) ? 1 : 0;
    std::vector<Frame> stack = {{root, 0, Action::kBlock, 0}};
    while (!stack.empty()) {
      const GumboNode* node = stack.back().node;
      const unsigned next = stack.back().next++;
      const GumboVector& kids = node->v.element.children;
      if (next >= kids.length) {
        Close(stack.back());
        stack.pop_back();
        continue;
      }
      const auto* kid = static_cast<const GumboNode*>(kids.data[next]);
      if (kid->type == GUMBO_NODE_TEXT || kid->type == GUMBO_NODE_CDATA) {
        AppendText(kid->v.text.text);
      } else if (kid->type == GUMBO_NODE_WHITESPACE) {
        buffer_ += ' ';
      } else if (IsElement(kid) && !Skip(kid)) {
        if (kid->v.element.tag == GUMBO_TAG_BR) {
          LineBreak();
        } else if (kid->v.element.tag == GUMBO_TAG_HR || kid->v.element.tag == GUMBO_TAG_WBR) {
          if (kid->v.element.tag == GUMBO_TAG_HR) Flush();
        } else {
          stack.push_back(Open(kid, stack.back()));
        }
      }
    }
    Flush();
  }

 private:
  enum class Action { kNone, kSpace, kBlock, kHeading, kListItem, kRow, kArticle };
  struct Frame {
    const GumboNode* node;
    unsigned next;
    Action action;
    int saved_heading_level;
    bool cell_with_one_block = false;  // a td/th whose only block child is, e.g., one <p>
  };

  bool Skip(const GumboNode* node) const {
    const GumboTag tag = node->v.element.tag;
    if (tag == GUMBO_TAG_UNKNOWN) {
      const std::string name = UnknownTagName(node);
      if (name == "dialog" || name == "picture") return true;
    }
    if (IsNeverText(tag) || tag == GUMBO_TAG_NAV || tag == GUMBO_TAG_ASIDE ||
        tag == GUMBO_TAG_FOOTER || (tag == GUMBO_TAG_HEADER && article_depth_ == 0)) {
      return true;
    }
    if (IsHidden(node) || RoleSaysChrome(Attribute(node, "role")) || IsPermalink(node)) {
      return true;
    }
    if (tag == GUMBO_TAG_FORM || NamesSayChrome(ElementNames(node))) {
      // A wrapper that holds most of the text is the page layout, whatever its name.
      return TextSize(sizes_, node) * 2 <= root_size_;
    }
    return false;
  }

  Frame Open(const GumboNode* node, const Frame& parent) {
    const GumboTag tag = node->v.element.tag;
    Frame frame{node, 0, Action::kBlock, heading_level_};
    if (const int level = HeadingLevel(tag); level > 0) {
      Flush();
      heading_level_ = level;
      frame.action = Action::kHeading;
    } else if (tag == GUMBO_TAG_LI) {
      Flush();
      item_started_.push_back(false);
      frame.action = Action::kListItem;
    } else if (tag == GUMBO_TAG_TR) {
      Flush();
      ++row_depth_;
      frame.action = Action::kRow;
    } else if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
      cell_separator_pending_ = has_text_;
      frame.action = Action::kNone;
      frame.cell_with_one_block = CountBlockChildren(node) == 1;
    } else if (IsInline(tag)) {
      frame.action = Action::kNone;
    } else if (parent.cell_with_one_block) {
      buffer_ += ' ';  // <td><p>text</p></td>: the row stays one paragraph
      frame.action = Action::kSpace;
    } else {
      Flush();
      if (IsArticleLike(node)) {
        ++article_depth_;
        frame.action = Action::kArticle;
      }
    }
    return frame;
  }

  void Close(const Frame& frame) {
    if (frame.action == Action::kNone) return;
    if (frame.action == Action::kSpace) {
      buffer_ += ' ';
      return;
    }
    Flush();
    switch (frame.action) {
      case Action::kHeading:
        heading_level_ = frame.saved_heading_level;
        break;
      case Action::kListItem:
        item_started_.pop_back();
        break;
      case Action::kRow:
        --row_depth_;
        break;
      case Action::kArticle:
        --article_depth_;
        break;
      default:
        break;
    }
  }

  void AppendText(std::string_view text) {
    const bool visible = text.find_first_not_of(" \t\n\f\r") != std::string_view::npos;
    if (visible && cell_separator_pending_) buffer_ += " | ";
    buffer_ += text;
    if (visible) {
      has_text_ = true;
      pending_break_ = false;
      cell_separator_pending_ = false;
    }
  }

  // One <br> is a space; a second one in a row ends a paragraph. In headings, list items
  // and table rows it is always a space.
  void LineBreak() {
    buffer_ += ' ';
    if (heading_level_ > 0 || !item_started_.empty() || row_depth_ > 0) return;
    if (pending_break_) {
      Flush();
    } else {
      pending_break_ = has_text_;
    }
  }

  void Flush() {
    pending_break_ = false;
    cell_separator_pending_ = false;
    has_text_ = false;
    if (buffer_.empty()) return;
    Block block;
    block.text = CollapseWhitespace(buffer_);
    buffer_.clear();
    if (block.text.empty()) return;
    if (heading_level_ > 0) {
      block.kind = BlockKind::kHeading;
      block.level = heading_level_;
    } else if (!item_started_.empty() && !item_started_.back()) {
      block.kind = BlockKind::kListItem;
      item_started_.back() = true;
    }
    blocks_->push_back(std::move(block));
  }

  const TextSizes& sizes_;
  const size_t root_size_;
  std::vector<Block>* blocks_;
  std::string buffer_;
  bool has_text_ = false;                // the buffer holds more than white space
  bool pending_break_ = false;           // the last thing in the buffer was a <br>
  bool cell_separator_pending_ = false;  // a new table cell began after text
  int heading_level_ = 0;
  int row_depth_ = 0;
  int article_depth_ = 0;
  std::vector<bool> item_started_;  // per open <li>: has its first block been emitted
};

std::string ChooseHtmlTitle(const GumboNode* document_root, const GumboNode* body,
                            const ContentRoots& roots) {
  for (const GumboNode* scope : {roots.root, roots.container}) {
    if (scope == body) continue;
    if (const GumboNode* h1 = FindFirst(scope, GUMBO_TAG_H1)) {
      std::string text = TextOf(h1, /*skip_permalinks=*/true);
      if (!text.empty()) return text;
    }
  }
  if (const GumboNode* head = ChildElement(document_root, GUMBO_TAG_HEAD)) {
    const GumboVector& kids = head->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
      if (TagOf(kid) != GUMBO_TAG_TITLE) continue;
      std::string text = StripTitleSiteSuffix(TextOf(kid, /*skip_permalinks=*/false));
      if (!text.empty()) return text;
    }
  }
  if (const GumboNode* h1 = FindFirst(body, GUMBO_TAG_H1)) {
    return TextOf(h1, /*skip_permalinks=*/true);
  }
  return "";
}

struct GumboOutputDeleter {
  void operator()(GumboOutput* output) const {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};

// Elements that never stay open below a later sibling start tag: void elements, and those
// the tree builder closes implicitly.
bool NeverNests(std::string_view name) {
  static constexpr std::array<std::string_view, 44> kNames = {
      "area",  "base",  "br",       "col",     "embed",  "hr",       "img",      "input",   "link",
      "meta",  "param", "source",   "track",   "wbr",    "keygen",   "basefont", "bgsound", "frame",
      "image", "p",     "li",       "dt",      "dd",     "td",       "th",       "tr",      "tbody",
      "thead", "tfoot", "colgroup", "caption", "option", "optgroup", "rb",       "rt",      "rp",
      "rtc",   "a",     "nobr",     "button",  "form",   "html",     "head",     "body"};
  if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') return true;
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

}  // namespace
}  // namespace html

size_t CountUnclosedHtmlElements(std::string_view html) {
  const std::string lower = AsciiLower(html);
  std::unordered_map<std::string, long> open_by_name;
  size_t i = lower.find('<');
  while (i != std::string::npos) {
    if (lower.compare(i, 4, "<!--") == 0) {
      const size_t end = lower.find("-->", i + 4);
      i = end == std::string::npos ? end : lower.find('<', end + 3);
      continue;
    }
    size_t j = i + 1;
    const bool end_tag = j < lower.size() && lower[j] == '/';
    if (end_tag) ++j;
    std::string name;
    while (j < lower.size() && name.size() < 32 &&
           (std::isalnum(static_cast<unsigned char>(lower[j])) != 0 || lower[j] == '-')) {
      name.push_back(lower[j++]);
    }
    if (!name.empty() && std::isalpha(static_cast<unsigned char>(name[0])) != 0 &&
        !html::NeverNests(name)) {
      open_by_name[name] += end_tag ? -1 : 1;
    }
    if (!end_tag && (name == "script" || name == "style")) {
      // Their contents are not markup ("i<n" in a script is no tag).
      const size_t close = lower.find("</" + name, j);
      if (close == std::string::npos) break;
      --open_by_name[name];
      i = lower.find('<', close + 2);
      continue;
    }
    i = lower.find('<', j);
  }
  size_t unclosed = 0;
  for (const auto& [name, open] : open_by_name) {
    if (open > 0) unclosed += static_cast<size_t>(open);
  }
  return unclosed;
}

std::string StripTitleSiteSuffix(std::string_view title) {
  std::string text = CollapseWhitespace(title);
  static constexpr std::array<std::string_view, 7> kSeparators = {
      " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " \xC2\xB7 ", " :: ", " \xC2\xBB "};
  size_t best = std::string::npos;
  std::string_view separator;
  for (std::string_view s : kSeparators) {
    const size_t at = text.rfind(s);
    if (at != std::string::npos && (best == std::string::npos || at > best)) {
      best = at;
      separator = s;
    }
  }
  if (best == std::string::npos || best == 0) return text;
  constexpr int kMaxSiteNameWords = 5;
  const std::string_view suffix = std::string_view(text).substr(best + separator.size());
  if (separator != " | " && CountWords(suffix) > kMaxSiteNameWords) return text;
  return text.substr(0, best);
}

Result<ParsedDocument> ReadHtml(std::string_view utf8) {
  if (const size_t unclosed = CountUnclosedHtmlElements(utf8);
      unclosed > kMaxUnclosedHtmlElements) {
    return Status::InvalidArgument("HTML leaves " + std::to_string(unclosed) +
                                   " elements unclosed (limit " +
                                   std::to_string(kMaxUnclosedHtmlElements) + "); not parsed");
  }
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // the error list is never read; do not build it
  const std::unique_ptr<GumboOutput, html::GumboOutputDeleter> output(
      gumbo_parse_with_options(&options, utf8.data(), utf8.size()));
  ParsedDocument doc;
  if (output == nullptr) return doc;
  const GumboNode* root = output->root;
  const GumboNode* body = html::ChildElement(root, GUMBO_TAG_BODY);
  if (body == nullptr) body = root;
  const html::TextSizes sizes = html::MeasureText(body);
  const html::ContentRoots roots = html::FindContentRoots(body, sizes);
  doc.title = html::ChooseHtmlTitle(root, body, roots);
  html::BlockCollector collector(sizes, html::TextSize(sizes, roots.root), &doc.blocks);
  collector.Collect(roots.root);
  return doc;
}

}  // namespace citeqa::indexer
