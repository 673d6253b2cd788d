#include "indexer/markdown_reader.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "indexer/markdown_inline.h"
#include "indexer/text.h"

namespace citeqa::indexer {
namespace {

using Lines = std::vector<std::string_view>;

constexpr int kCodeIndent = 4;

Lines SplitLines(std::string_view text) {
  Lines lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    lines.push_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return lines;
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::string_view Trim(std::string_view s) {
  s = TrimLeft(s);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Columns of leading white space (a tab reaches the next multiple of four).
int IndentOf(std::string_view line) {
  int columns = 0;
  for (char c : line) {
    if (c == ' ') {
      ++columns;
    } else if (c == '\t') {
      columns += 4 - columns % 4;
    } else {
      break;
    }
  }
  return columns;
}

// True if `s` is made of one repeated character from `chars` (at least `min` of them),
// with spaces allowed between when `spaced`.
bool IsRuleOf(std::string_view s, std::string_view chars, size_t min, bool spaced) {
  s = Trim(s);
  if (s.empty() || chars.find(s[0]) == std::string_view::npos) return false;
  size_t count = 0;
  for (char c : s) {
    if (c == s[0]) {
      ++count;
    } else if (!(spaced && (c == ' ' || c == '\t'))) {
      return false;
    }
  }
  return count >= min;
}

// Length of a list marker and the space after it ("- ", "12. ", "3) "), or 0.
size_t ListMarkerLength(std::string_view s) {
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '*' || s[0] == '+')) {
    i = 1;
  } else {
    while (i < s.size() && i < 9 && std::isdigit(static_cast<unsigned char>(s[i])) != 0) ++i;
    if (i == 0 || i >= s.size() || (s[i] != '.' && s[i] != ')')) return 0;
    ++i;
  }
  if (i == s.size()) return i;
  return s[i] == ' ' || s[i] == '\t' ? i + 1 : 0;
}

// Heading level of an ATX heading line ("## x"), or 0; sets `text` to its content.
int AtxHeading(std::string_view s, std::string_view* text) {
  int level = 0;
  while (level < static_cast<int>(s.size()) && s[static_cast<size_t>(level)] == '#') ++level;
  if (level == 0 || level > 6) return 0;
  std::string_view rest = s.substr(static_cast<size_t>(level));
  if (!rest.empty() && rest[0] != ' ' && rest[0] != '\t') return 0;
  rest = Trim(rest);
  if (rest.ends_with('}')) {  // "{#custom-id}"
    const size_t brace = rest.rfind("{#");
    if (brace != std::string_view::npos) rest = Trim(rest.substr(0, brace));
  }
  const size_t hashes = rest.find_last_not_of('#');
  if (hashes == std::string_view::npos) {
    rest = {};
  } else if (hashes + 1 < rest.size() && (rest[hashes] == ' ' || rest[hashes] == '\t')) {
    rest = Trim(rest.substr(0, hashes));  // closing sequence "## Title ##"
  }
  *text = rest;
  return level;
}

bool IsTableDelimiterRow(std::string_view s) {
  s = Trim(s);
  if (s.find('-') == std::string_view::npos || s.find('|') == std::string_view::npos) {
    return false;
  }
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == '|' || c == '-' || c == ':' || c == ' '; });
}

std::string TableRowText(std::string_view row) {
  row = Trim(row);
  if (row.starts_with('|')) row.remove_prefix(1);
  if (row.ends_with('|') && !row.ends_with("\\|")) row.remove_suffix(1);
  std::string text;
  size_t cell_start = 0;
  for (size_t i = 0; i <= row.size(); ++i) {
    if (i < row.size() && row[i] == '\\') {
      ++i;
      continue;
    }
    if (i < row.size() && row[i] != '|') continue;
    const std::string_view cell = Trim(row.substr(cell_start, i - cell_start));
    if (!cell.empty()) text.append(text.empty() ? "" : " | ").append(cell);
    cell_start = i + 1;
  }
  return text;
}

// "[label]: destination" at the start of a line (not a footnote "[^1]: text").
bool IsLinkReferenceDefinition(std::string_view s, std::string* label) {
  if (!s.starts_with('[') || s.starts_with("[^")) return false;
  const size_t close = s.find("]:");
  if (close == std::string_view::npos || close < 2) return false;
  *label = NormalizeLinkLabel(s.substr(1, close - 1));
  return !Trim(s.substr(close + 2)).empty();
}

// The value of `key` in a front matter line ("title: x", "title = \"x\""), quotes removed.
std::string FrontMatterValue(std::string_view line, std::string_view key) {
  if (!line.starts_with(key)) return "";
  std::string_view rest = Trim(line.substr(key.size()));
  if (rest.empty() || (rest[0] != ':' && rest[0] != '=')) return "";
  rest = Trim(rest.substr(1));
  if (rest.size() >= 2 && (rest.front() == '"' || rest.front() == '\'') &&
      rest.back() == rest.front()) {
    rest = rest.substr(1, rest.size() - 2);
  }
  return CollapseWhitespace(rest);
}

// Skips front matter at lines[0..]; returns the first line after it and sets `title`.
size_t SkipFrontMatter(const Lines& lines, std::string* title) {
  if (lines.empty()) return 0;
  const std::string_view fence = Trim(lines[0]);
  if (fence != "---" && fence != "+++") return 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = Trim(lines[i]);
    if (line == fence || (fence == "---" && line == "...")) {
      for (size_t k = 1; k < i; ++k) {
        if (title->empty()) *title = FrontMatterValue(lines[k], "title");
      }
      return i + 1;
    }
  }
  return 0;  // never closed: an ordinary thematic break
}

class MarkdownBlockParser {
 public:
  MarkdownBlockParser(const LinkLabels& labels, std::vector<Block>* blocks)
      : labels_(labels), blocks_(blocks) {}

  void Parse(const Lines& lines, size_t first) {
    for (size_t i = first; i < lines.size(); ++i) i = ParseLine(lines, i);
    Flush();
  }

 private:
  // Handles lines[i]; returns the index of the last line it consumed.
  size_t ParseLine(const Lines& lines, size_t i) {
    std::string_view line = lines[i];
    if (fence_length_ > 0) {
      const std::string_view t = TrimLeft(line);
      if (IsRuleOf(t, std::string_view(&fence_char_, 1), fence_length_, false)) fence_length_ = 0;
      return i;
    }
    if (!skip_until_.empty()) {
      if (AsciiLower(line).find(skip_until_) != std::string::npos) skip_until_.clear();
      return i;
    }
    int quote_depth = 0;
    while (IndentOf(line) < kCodeIndent && TrimLeft(line).starts_with('>')) {
      line = TrimLeft(line).substr(1);
      if (line.starts_with(' ')) line.remove_prefix(1);
      ++quote_depth;
    }
    const bool quoted = quote_depth > 0;
    if (Trim(line).empty()) {
      Flush();
      blank_before_ = true;
      in_table_ = false;
      return i;
    }
    const bool lazy_quote = !quoted && in_quote_ && !text_.empty();
    if (quoted != in_quote_ && !lazy_quote) Flush();
    if (!lazy_quote) in_quote_ = quoted;
    const int indent = IndentOf(line);
    const std::string_view content = TrimLeft(line);
    const bool after_blank = blank_before_;
    blank_before_ = false;

    if (indent >= kCodeIndent && text_.empty() && !in_list_) return i;  // indented code
    if (content.starts_with("```") || content.starts_with("~~~")) {
      Flush();
      fence_char_ = content[0];
      fence_length_ = content.find_first_not_of(fence_char_);
      if (fence_length_ == std::string_view::npos) fence_length_ = content.size();
      return i;
    }
    if (StartsSkippedHtml(content)) return i;
    std::string_view heading_text;
    if (const int level = AtxHeading(content, &heading_text); level > 0) {
      Flush();
      Emit(std::string(heading_text), BlockKind::kHeading, level);
      in_list_ = false;
      return i;
    }
    const bool setext_rule = IsRuleOf(content, "=", 1, false) || IsRuleOf(content, "-", 1, false);
    if (setext_rule && !text_.empty() && kind_ == BlockKind::kParagraph && !quoted) {
      const std::string text = std::move(text_);
      text_.clear();
      Emit(text, BlockKind::kHeading, content[0] == '=' ? 1 : 2);
      return i;
    }
    if (IsRuleOf(content, "*-_", 3, true)) {
      Flush();
      return i;
    }
    if (content.find('|') != std::string_view::npos &&
        (in_table_ || (i + 1 < lines.size() && IsTableDelimiterRow(lines[i + 1])))) {
      Flush();
      Emit(TableRowText(content), BlockKind::kParagraph, 0);
      const bool starts_table = !in_table_;
      in_table_ = true;
      return starts_table ? i + 1 : i;
    }
    in_table_ = false;
    if (const size_t marker = ListMarkerLength(content); marker > 0) {
      Flush();
      std::string_view item = Trim(content.substr(marker));
      if (item.size() >= 3 && item[0] == '[' && item[2] == ']' &&
          (item[1] == ' ' || item[1] == 'x' || item[1] == 'X')) {
        item = Trim(item.substr(3));  // task list box
      }
      kind_ = BlockKind::kListItem;
      text_ = item;
      in_list_ = true;
      return i;
    }
    std::string label;
    if (text_.empty() && IsLinkReferenceDefinition(content, &label)) return i;
    if (!text_.empty() && !after_blank) {
      AppendLine(content);
      return i;
    }
    Flush();
    if (indent == 0) in_list_ = false;
    kind_ = BlockKind::kParagraph;
    if (content.starts_with("[^")) {  // footnote definition: keep its text
      const size_t colon = content.find("]:");
      AppendLine(colon == std::string_view::npos ? content : content.substr(colon + 2));
    } else {
      AppendLine(content);
    }
    return i;
  }

  // <script>, <style>, <pre> and multi-line comments: skipped through their end.
  bool StartsSkippedHtml(std::string_view content) {
    const std::string lower = AsciiLower(content.substr(0, std::min<size_t>(content.size(), 8)));
    std::string end;
    if (lower.starts_with("<!--")) {
      end = "-->";
    } else if (lower.starts_with("<script")) {
      end = "</script";
    } else if (lower.starts_with("<style")) {
      end = "</style";
    } else if (lower.starts_with("<pre")) {
      end = "</pre";
    } else {
      return false;
    }
    Flush();
    if (AsciiLower(content).find(end, 4) == std::string::npos) skip_until_ = end;
    return true;
  }

  void AppendLine(std::string_view line) {
    line = TrimLeft(line);
    if (line.ends_with('\\')) line.remove_suffix(1);  // hard line break
    if (!text_.empty()) text_.push_back(' ');
    text_.append(line);
  }

  void Flush() {
    if (!text_.empty()) Emit(text_, kind_, 0);
    text_.clear();
    kind_ = BlockKind::kParagraph;
  }

  void Emit(const std::string& markdown, BlockKind kind, int level) {
    Block block;
    block.text = CollapseWhitespace(StripInlineMarkdown(markdown, labels_));
    if (block.text.empty()) return;
    block.kind = in_quote_ ? BlockKind::kParagraph : kind;
    block.level = block.kind == BlockKind::kHeading ? level : 0;
    blocks_->push_back(std::move(block));
  }

  const LinkLabels& labels_;
  std::vector<Block>* blocks_;
  std::string text_;  // the open paragraph or list item, lines joined
  BlockKind kind_ = BlockKind::kParagraph;
  char fence_char_ = '`';
  size_t fence_length_ = 0;  // > 0 inside a fenced code block
  std::string skip_until_;   // inside a skipped HTML block: its lower-case end marker
  bool blank_before_ = false;
  bool in_list_ = false;  // since the last list item, only list content has followed
  bool in_quote_ = false;
  bool in_table_ = false;
};

}  // namespace

ParsedDocument ReadMarkdown(std::string_view utf8) {
  ParsedDocument doc;
  const Lines lines = SplitLines(utf8);
  const size_t first = SkipFrontMatter(lines, &doc.title);
  LinkLabels labels;
  std::string label;
  for (size_t i = first; i < lines.size(); ++i) {
    if (IndentOf(lines[i]) < kCodeIndent && IsLinkReferenceDefinition(TrimLeft(lines[i]), &label)) {
      labels.insert(label);
    }
  }
  MarkdownBlockParser(labels, &doc.blocks).Parse(lines, first);
  if (doc.title.empty()) {
    const auto h1 = std::find_if(doc.blocks.begin(), doc.blocks.end(), [](const Block& b) {
      return b.kind == BlockKind::kHeading && b.level == 1;
    });
    if (h1 != doc.blocks.end()) doc.title = h1->text;
  }
  return doc;
}

}  // namespace citeqa::indexer
