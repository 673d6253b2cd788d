#include "server/slack/event_dedup.h"

#include <gtest/gtest.h>

namespace citeqa::server::slack {
namespace {

TEST(EventDedupTest, SecondSightingIsARepeat) {
  EventDeduplicator dedup(10, 3600);
  EXPECT_TRUE(dedup.FirstSighting("Ev1", 1000));
  EXPECT_FALSE(dedup.FirstSighting("Ev1", 1001));
  EXPECT_FALSE(dedup.FirstSighting("Ev1", 1060));
  EXPECT_TRUE(dedup.FirstSighting("Ev2", 1060));
  EXPECT_EQ(dedup.size(), 2u);
}

TEST(EventDedupTest, ForgetsAfterTheTtl) {
  EventDeduplicator dedup(10, 300);
  EXPECT_TRUE(dedup.FirstSighting("Ev1", 1000));
  EXPECT_FALSE(dedup.FirstSighting("Ev1", 1299));  // refreshes the sighting to 1299
  EXPECT_FALSE(dedup.FirstSighting("Ev1", 1598));
  EXPECT_TRUE(dedup.FirstSighting("Ev1", 1898));
  EXPECT_TRUE(dedup.FirstSighting("Ev2", 5000));
  EXPECT_EQ(dedup.size(), 1u) << "expired ids are dropped";
}

TEST(EventDedupTest, EvictsTheLeastRecentlySeenWhenFull) {
  EventDeduplicator dedup(3, 3600);
  EXPECT_TRUE(dedup.FirstSighting("a", 1));
  EXPECT_TRUE(dedup.FirstSighting("b", 2));
  EXPECT_TRUE(dedup.FirstSighting("c", 3));
  EXPECT_FALSE(dedup.FirstSighting("a", 4));  // "a" is now the most recent
  EXPECT_TRUE(dedup.FirstSighting("d", 5));   // evicts "b"
  EXPECT_EQ(dedup.size(), 3u);
  EXPECT_FALSE(dedup.FirstSighting("a", 6));
  EXPECT_FALSE(dedup.FirstSighting("c", 7));
  EXPECT_FALSE(dedup.FirstSighting("d", 8));
  EXPECT_TRUE(dedup.FirstSighting("b", 9)) << "b was evicted, so it counts as new";
}

}  // namespace
}  // namespace citeqa::server::slack
