#include "retriever/engine/answer_cache.h"

#include <gtest/gtest.h>

#include "tests/retriever/test_index.h"

namespace citeqa::retriever {
namespace {

AnswerCache::Answer AnswerOf(const std::string& text) {
  AnswerCache::Answer a;
  a.response.answer = text;
  a.response.found = true;
  a.response.conversation_id = "not kept";
  a.response.took_ms = 3;
  a.question = text + "?";
  return a;
}

TEST(AnswerCacheTest, KeysKeepTheirPartsApart) {
  EXPECT_NE(AnswerCache::Key(0, 1, 5, "q"), AnswerCache::Key(0, 2, 5, "q"));
  EXPECT_NE(AnswerCache::Key(0, 1, 5, "q"), AnswerCache::Key(1, 1, 5, "q"));
  EXPECT_NE(AnswerCache::Key(0, 1, 5, "q"), AnswerCache::Key(0, 1, 3, "q"));
  EXPECT_NE(AnswerCache::Key(0, 1, 15, "q"), AnswerCache::Key(0, 11, 5, "q"));
  EXPECT_NE(AnswerCache::Key(1, 11, 5, "q"), AnswerCache::Key(11, 1, 5, "q"));
  EXPECT_NE(AnswerCache::Key(0, 1, 5, "q"), AnswerCache::Key(0, 1, 5, "Q"));
}

TEST(AnswerCacheTest, EvictsTheLeastRecentlyUsedAndDropsPerRequestFields) {
  AnswerCache cache(2);
  cache.Put("a", AnswerOf("A"));
  cache.Put("b", AnswerOf("B"));
  ASSERT_TRUE(cache.Find("a"));  // "a" is now the most recent
  cache.Put("c", AnswerOf("C"));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.Find("b"));
  auto a = cache.Find("a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->response.answer, "A");
  EXPECT_EQ(a->question, "A?");
  EXPECT_TRUE(a->response.conversation_id.empty());
  EXPECT_EQ(a->response.took_ms, 0);
  cache.Put("a", AnswerOf("A2"));
  EXPECT_EQ(cache.Find("a")->response.answer, "A2");
}

TEST(AnswerCacheTest, ZeroEntriesStoresNothing) {
  AnswerCache cache(0);
  cache.Put("a", AnswerOf("A"));
  EXPECT_FALSE(cache.Find("a"));
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.enabled());
  EXPECT_TRUE(AnswerCache(1).enabled());
}

// A repeated question gets the same answer, under its own conversation, and the engine
// still remembers it for the follow-up.
TEST(AnswerCacheEngineTest, RepeatedQuestionsAnswerAlikeAndStillStartAConversation) {
  testing::TestIndex index = testing::TestIndex::SeedCorpus();
  EngineOptions options;
  options.db_path = index.db_path();
  options.answer_cache_entries = 16;
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok());
  AskRequest first;
  first.question = "What does a product owner do?";
  auto a = (*engine)->Ask(first);
  auto b = (*engine)->Ask(first);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(a->found);
  EXPECT_EQ(a->answer, b->answer);
  ASSERT_EQ(a->citations.size(), b->citations.size());
  for (size_t i = 0; i < a->citations.size(); ++i) {
    EXPECT_EQ(a->citations[i].passage_id, b->citations[i].passage_id);
    EXPECT_EQ(a->citations[i].highlights, b->citations[i].highlights);
  }
  EXPECT_NE(a->conversation_id, b->conversation_id);

  AskRequest follow_up;
  follow_up.question = "How much do they earn?";
  follow_up.conversation_id = b->conversation_id;
  auto in_conversation = (*engine)->Ask(follow_up);
  follow_up.conversation_id.clear();
  options.answer_cache_entries = 0;
  auto uncached_engine = Engine::Open(options);
  ASSERT_TRUE(uncached_engine.ok());
  AskRequest same;
  same.question = first.question;
  auto c = (*uncached_engine)->Ask(same);
  ASSERT_TRUE(c.ok());
  follow_up.conversation_id = c->conversation_id;
  auto expected = (*uncached_engine)->Ask(follow_up);
  ASSERT_TRUE(in_conversation.ok() && expected.ok());
  EXPECT_EQ(in_conversation->answer, expected->answer);
  EXPECT_EQ(a->answer, c->answer);
}

}  // namespace
}  // namespace citeqa::retriever
