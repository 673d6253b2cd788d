// Helpers over gumbo's HTML5 element tree for the HTML reader: classes of elements (never
// text, inline, heading), attributes, hidden elements, visible text and text sizes. Walks
// are iterative, since broken markup can nest thousands of elements deep. Pure functions
// of the tree; thread-safe.
#pragma once

#include <gumbo.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace citeqa::indexer::html {

// Bytes of visible text below each element (see MeasureText).
using TextSizes = std::unordered_map<const GumboNode*, size_t>;

bool IsElement(const GumboNode* node);
// The element's tag; GUMBO_TAG_UNKNOWN for other nodes.
GumboTag TagOf(const GumboNode* node);
// Children of an element or of the document node.
const GumboVector& ChildrenOf(const GumboNode* node);
// The attribute's value, or "" when absent. `node` must be an element.
std::string_view Attribute(const GumboNode* node, const char* name);
// True if the role attribute is exactly `role` (lower case), ignoring case.
bool HasRole(const GumboNode* node, std::string_view role);

// Elements whose content is never article text: head, script, style, noscript, template,
// embedded media and objects, form controls, <pre> (see ReadHtml).
bool IsNeverText(GumboTag tag);
// Elements that flow inside a line of text (a, b, span, code, td, ...); every other
// element separates text.
bool IsInline(GumboTag tag);
// 1-6 for h1-h6, else 0.
int HeadingLevel(GumboTag tag);
// hidden, aria-hidden="true", or an inline style with display:none / visibility:hidden.
bool IsHidden(const GumboNode* node);
// <article>, <main>, role="main" or role="article".
bool IsArticleLike(const GumboNode* node);
// The lower-case name of an element gumbo does not know (custom elements, and tags newer
// than gumbo 0.10 such as <dialog> and <picture>); "" for known ones.
std::string UnknownTagName(const GumboNode* node);
// id, class, aria-label and a custom element's tag name, joined by spaces.
std::string ElementNames(const GumboNode* node);
// Number of child elements of `node` that are not inline.
int CountBlockChildren(const GumboNode* node);
// An <a href="#..."> whose text is only a permalink marker (IsPermalinkMarker).
bool IsPermalink(const GumboNode* node);

// Depth-first walk of the elements below `root` (not entering never-text elements), calling
// `visit` on each element; `visit` returns false to stop. Iterative: the depth of broken
// markup does not reach the call stack.
template <typename Visit>
void WalkElements(const GumboNode* root, Visit visit) {
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node != root && !visit(node)) return;
    const GumboVector& kids = ChildrenOf(node);
    for (unsigned i = kids.length; i > 0; --i) {
      const auto* kid = static_cast<const GumboNode*>(kids.data[i - 1]);
      if (IsElement(kid) && !IsNeverText(kid->v.element.tag)) stack.push_back(kid);
    }
  }
}

// The first child element of `parent` with `tag`, or null.
const GumboNode* ChildElement(const GumboNode* parent, GumboTag tag);
// The first element with `tag` below `root` in document order (WalkElements), or null.
const GumboNode* FindFirst(const GumboNode* root, GumboTag tag);

// Bytes of text below each element of `root`, never-text elements excluded; one
// post-order pass.
TextSizes MeasureText(const GumboNode* root);
// sizes[node], or 0.
size_t TextSize(const TextSizes& sizes, const GumboNode* node);

// Text of a subtree as a browser shows it on one line, white space collapsed; with
// `skip_permalinks`, permalink anchors are left out.
std::string TextOf(const GumboNode* root, bool skip_permalinks);

}  // namespace citeqa::indexer::html
