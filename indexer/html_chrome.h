// The words and roles that mark an HTML element as page chrome (navigation, banners, cookie
// notices, share bars, sidebars, footers) rather than article text. Structure, not phrases:
// what the page's author named the element, never what its text says. Pure; thread-safe.
#pragma once

#include <string_view>

namespace citeqa::indexer {

// True if the words in an element's id, class, aria-label or custom tag name (pass them
// joined by spaces) name chrome: "cookie-banner", "site-nav", "sphinxsidebar", "shareBar",
// "breadcrumbs", "main-menu", "newsletter-signup", "related-posts", "footer". Words are split
// at non-alphanumerics and camelCase humps; a chrome word must be a whole word, or the start
// or the end of one ("navbar", "topnav"), with a few listed exceptions ("navy", "shared").
bool NamesSayChrome(std::string_view names);

// True if an ARIA role attribute (space-separated roles) marks a landmark that is not the
// article: navigation, banner, contentinfo, complementary, search, menu, menubar, toolbar,
// dialog, alertdialog.
bool RoleSaysChrome(std::string_view role);

// True if a permalink anchor's text is only a marker ("¶", "#", "§", "🔗"): Sphinx, GitHub
// and many blogs put one after every heading.
bool IsPermalinkMarker(std::string_view anchor_text);

}  // namespace citeqa::indexer
