#include "server/article_claims.h"

#include <gtest/gtest.h>

namespace citeqa::server {
namespace {

TEST(ArticleClaimsTest, OneClaimPerNameUntilItIsReleased) {
  ArticleClaims claims;
  {
    auto first = claims.TryClaim("a.txt");
    ASSERT_TRUE(first.has_value());
    EXPECT_FALSE(claims.TryClaim("a.txt").has_value());
    EXPECT_TRUE(claims.TryClaim("b.txt").has_value()) << "another name is free";
    auto moved = std::move(*first);
    first.reset();  // the moved-from claim releases nothing
    EXPECT_FALSE(claims.TryClaim("a.txt").has_value());
  }
  EXPECT_TRUE(claims.TryClaim("a.txt").has_value());
}

}  // namespace
}  // namespace citeqa::server
