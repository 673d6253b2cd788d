#include "indexer/html_tree.h"

#include "indexer/html_chrome.h"
#include "indexer/text.h"

namespace citeqa::indexer::html {

bool IsElement(const GumboNode* node) { return node->type == GUMBO_NODE_ELEMENT; }

GumboTag TagOf(const GumboNode* node) {
  return IsElement(node) ? node->v.element.tag : GUMBO_TAG_UNKNOWN;
}

const GumboVector& ChildrenOf(const GumboNode* node) {
  return node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
}

std::string_view Attribute(const GumboNode* node, const char* name) {
  const GumboAttribute* attr = gumbo_get_attribute(&node->v.element.attributes, name);
  return attr == nullptr ? std::string_view() : std::string_view(attr->value);
}

bool HasRole(const GumboNode* node, std::string_view role) {
  return AsciiLower(Attribute(node, "role")) == role;
}

// Elements whose content is never article text.
bool IsNeverText(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_PROGRESS:
    case GUMBO_TAG_METER:
      return true;
    default:
      return false;
  }
}

// Elements that flow inside a line of text; every other element separates text.
bool IsInline(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_ACRONYM:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BDI:
    case GUMBO_TAG_BDO:
    case GUMBO_TAG_BIG:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_DATA:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_I:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_U:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_INS:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_NOBR:
    case GUMBO_TAG_RUBY:
    case GUMBO_TAG_RT:
    case GUMBO_TAG_RP:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      return true;
    default:
      return false;
  }
}

int HeadingLevel(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_H1:
      return 1;
    case GUMBO_TAG_H2:
      return 2;
    case GUMBO_TAG_H3:
      return 3;
    case GUMBO_TAG_H4:
      return 4;
    case GUMBO_TAG_H5:
      return 5;
    case GUMBO_TAG_H6:
      return 6;
    default:
      return 0;
  }
}

bool IsHidden(const GumboNode* node) {
  if (gumbo_get_attribute(&node->v.element.attributes, "hidden") != nullptr) return true;
  if (AsciiLower(Attribute(node, "aria-hidden")) == "true") return true;
  std::string style = AsciiLower(Attribute(node, "style"));
  std::erase_if(style, [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
  return style.find("display:none") != std::string::npos ||
         style.find("visibility:hidden") != std::string::npos;
}

bool IsArticleLike(const GumboNode* node) {
  return TagOf(node) == GUMBO_TAG_ARTICLE || TagOf(node) == GUMBO_TAG_MAIN ||
         HasRole(node, "main") || HasRole(node, "article");
}

// The lower-case name of an element gumbo does not know (custom elements, and tags newer
// than gumbo 0.10 such as <dialog> and <picture>); "" for known ones.
std::string UnknownTagName(const GumboNode* node) {
  if (node->v.element.tag != GUMBO_TAG_UNKNOWN || node->v.element.original_tag.length == 0) {
    return "";
  }
  GumboStringPiece piece = node->v.element.original_tag;
  gumbo_tag_from_original_text(&piece);
  return AsciiLower(std::string_view(piece.data, piece.length));
}

// id, class, aria-label and a custom element's tag name, joined by spaces.
std::string ElementNames(const GumboNode* node) {
  std::string names(Attribute(node, "id"));
  names.append(" ").append(Attribute(node, "class"));
  names.append(" ").append(Attribute(node, "aria-label"));
  names.append(" ").append(UnknownTagName(node));
  return names;
}

int CountBlockChildren(const GumboNode* node) {
  int blocks = 0;
  const GumboVector& kids = node->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) {
    const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
    if (IsElement(kid) && !IsInline(kid->v.element.tag)) ++blocks;
  }
  return blocks;
}

const GumboNode* ChildElement(const GumboNode* parent, GumboTag tag) {
  const GumboVector& kids = ChildrenOf(parent);
  for (unsigned i = 0; i < kids.length; ++i) {
    const auto* kid = static_cast<const GumboNode*>(kids.data[i]);
    if (TagOf(kid) == tag) return kid;
  }
  return nullptr;
}

const GumboNode* FindFirst(const GumboNode* root, GumboTag tag) {
  const GumboNode* found = nullptr;
  WalkElements(root, [&](const GumboNode* n) {
    if (TagOf(n) == tag) found = n;
    return found == nullptr;
  });
  return found;
}

// Bytes of text below each element, never-text elements excluded; one post-order pass.
TextSizes MeasureText(const GumboNode* root) {
  TextSizes sizes;
  struct Frame {
    const GumboNode* node;
    unsigned next;
  };
  std::vector<Frame> stack = {{root, 0}};
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboVector& kids = ChildrenOf(top.node);
    if (top.next < kids.length) {
      const auto* kid = static_cast<const GumboNode*>(kids.data[top.next++]);
      if (kid->type == GUMBO_NODE_TEXT || kid->type == GUMBO_NODE_CDATA) {
        sizes[top.node] += std::char_traits<char>::length(kid->v.text.text);
      } else if (IsElement(kid) && !IsNeverText(kid->v.element.tag)) {
        stack.push_back({kid, 0});
      }
      continue;
    }
    const GumboNode* done = top.node;
    stack.pop_back();
    if (!stack.empty()) sizes[stack.back().node] += sizes[done];
  }
  return sizes;
}

bool IsPermalink(const GumboNode* node) {
  return TagOf(node) == GUMBO_TAG_A && Attribute(node, "href").starts_with("#") &&
         IsPermalinkMarker(TextOf(node, /*skip_permalinks=*/false));
}

std::string TextOf(const GumboNode* root, bool skip_permalinks) {
  std::string text;
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
        node->type == GUMBO_NODE_WHITESPACE) {
      text += node->v.text.text;
      continue;
    }
    if (!IsElement(node)) continue;
    const GumboTag tag = node->v.element.tag;
    if (node != root && (IsNeverText(tag) || (skip_permalinks && IsPermalink(node)))) continue;
    if (!IsInline(tag)) text += ' ';
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = kids.length; i > 0; --i) {
      stack.push_back(static_cast<const GumboNode*>(kids.data[i - 1]));
    }
  }
  return CollapseWhitespace(text);
}

size_t TextSize(const TextSizes& sizes, const GumboNode* node) {
  const auto it = sizes.find(node);
  return it == sizes.end() ? 0 : it->second;
}

}  // namespace citeqa::indexer::html
