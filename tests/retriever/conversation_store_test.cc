#include "retriever/engine/conversation_store.h"

#include <gtest/gtest.h>

namespace citeqa::retriever {
namespace {

using std::chrono::seconds;

TEST(ConversationStoreTest, KeepsRecentTurnsPerConversation) {
  ConversationStore store(10, seconds(60));
  store.Append("a", "q1");
  store.Append("b", "other");
  store.Append("a", "q2");
  EXPECT_EQ(store.History("a"), (std::vector<std::string>{"q1", "q2"}));
  EXPECT_EQ(store.History("b"), (std::vector<std::string>{"other"}));
  EXPECT_TRUE(store.History("unknown").empty());
  for (int i = 0; i < 20; ++i) store.Append("a", "turn" + std::to_string(i));
  EXPECT_EQ(store.History("a").size(), ConversationStore::kMaxTurns);
  EXPECT_EQ(store.History("a").back(), "turn19");
}

TEST(ConversationStoreTest, ForgetsAfterTtlAndCapsCountLeastRecentlyUsedFirst) {
  auto now = std::chrono::steady_clock::time_point{};
  ConversationStore store(2, seconds(60), [&] { return now; });
  store.Append("a", "q");
  now += seconds(10);
  store.Append("b", "q");
  now += seconds(10);
  (void)store.History("a");  // reading does not refresh: only asking does
  store.Append("a", "again");
  store.Append("c", "q");  // evicts b, the least recently used
  EXPECT_EQ(store.size(), 2u);
  EXPECT_TRUE(store.History("b").empty());
  EXPECT_EQ(store.History("a").size(), 2u);
  now += seconds(61);
  EXPECT_TRUE(store.History("a").empty());
  EXPECT_EQ(store.size(), 0u);
}

TEST(ConversationStoreTest, NewIdsAreRandomHex) {
  const std::string a = ConversationStore::NewId();
  const std::string b = ConversationStore::NewId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace citeqa::retriever
