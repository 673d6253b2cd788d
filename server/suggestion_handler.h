// GET /api/suggestions: a few questions drawn from the indexed articles that citeqa answers
// (CONTRACT.md), as {"suggestions": [string]}. Pure apart from the service it reads.
#pragma once

#include "server/handlers.h"
#include "server/suggestion_service.h"

namespace citeqa::server {

// 200 {"suggestions": [...]} (an empty list for an index without candidates), or the
// service's error (503 when the index is unavailable, 500 for a server fault). Thread-safe.
HttpResponse HandleSuggestions(SuggestionService& service, const HttpRequest& request);

}  // namespace citeqa::server
