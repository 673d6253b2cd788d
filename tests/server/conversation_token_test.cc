#include "server/conversation_token.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "server/conversation_token_engine.h"
#include "server/json_codec.h"
#include "tests/server/fake_engine.h"

namespace citeqa::server {
namespace {

using std::chrono::seconds;

constexpr char kSecret[] = "a-secret-of-32-bytes-for-testing";

struct FixedClock {
  int64_t now = 1'800'000'000;
  ConversationTokens::UnixClock Function() {
    return [this] { return now; };
  }
};

TEST(ConversationTokensTest, OpensWhatItSealed) {
  FixedClock clock;
  ConversationTokens tokens(kSecret, seconds(1800), clock.Function());
  const std::vector<std::string> questions = {"What does a product owner do?",
                                              "¿y qué \"habilidades\" necesita?\n"};
  const std::string token = *tokens.Seal(questions);
  EXPECT_TRUE(LooksLikeConversationToken(token));
  EXPECT_EQ(token.find_first_not_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."),
            std::string::npos)
      << "a token must be safe in URLs, headers and Slack button values: " << token;
  auto opened = tokens.Open(token);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->questions, questions);
}

TEST(ConversationTokensTest, AnotherServerWithTheSameSecretOpensIt) {
  FixedClock clock;
  ConversationTokens first(kSecret, seconds(1800), clock.Function());
  ConversationTokens second(kSecret, seconds(1800), clock.Function());
  auto opened = second.Open(*first.Seal({"one", "two"}));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->questions, (std::vector<std::string>{"one", "two"}));
}

TEST(ConversationTokensTest, RefusesATokenOfAnotherSecretOrChanged) {
  FixedClock clock;
  ConversationTokens ours(kSecret, seconds(1800), clock.Function());
  ConversationTokens theirs("another-secret-of-32-bytes-long!", seconds(1800), clock.Function());
  const std::string token = *theirs.Seal({"who owns the backlog?"});
  auto opened = ours.Open(token);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(opened.status().message().find("CITEQA_CONVERSATION_SECRET"), std::string::npos);

  // One changed character anywhere: in the questions, the time or the signature.
  const std::string good = *ours.Seal({"who owns the backlog?"});
  for (size_t i = 3; i < good.size(); ++i) {
    std::string changed = good;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(ours.Open(changed).ok()) << "accepted a token changed at byte " << i;
  }
  for (const std::string& junk : {std::string("c1."), std::string("c1.."), std::string("c1.abc"),
                                  std::string("c1.!!!.???"), good + ".", good.substr(0, 40)}) {
    EXPECT_FALSE(ours.Open(junk).ok()) << junk;
  }
}

TEST(ConversationTokensTest, AnExpiredTokenOpensAsANewConversation) {
  FixedClock clock;
  ConversationTokens tokens(kSecret, seconds(1800), clock.Function());
  const std::string token = *tokens.Seal({"first question"});
  clock.now += 1800;
  ASSERT_TRUE(tokens.Open(token).ok());
  EXPECT_EQ(tokens.Open(token)->questions.size(), 1u);
  clock.now += 1;
  auto opened = tokens.Open(token);
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(opened->questions.empty());
  EXPECT_EQ(opened->key, tokens.Open(token)->key) << "an expired conversation keeps its name";
}

TEST(ConversationTokensTest, KeepsTheLastTurnsCutAndWithinTheLimit) {
  FixedClock clock;
  ConversationTokens tokens(kSecret, seconds(1800), clock.Function());
  auto opened = tokens.Open(*tokens.Seal({"q1", "q2", "q3", "q4", "q5", "q6"}));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->questions, (std::vector<std::string>{"q3", "q4", "q5", "q6"}));

  // Long questions of two-byte letters: cut at a character boundary; quotes double in
  // JSON, so the oldest questions give way until the token fits.
  const std::string letters(2000, 'x');
  std::string accented;
  for (int i = 0; i < 700; ++i) accented += "é";
  const std::string quotes(2000, '"');
  for (const auto& questions : {std::vector<std::string>{letters, accented},
                                std::vector<std::string>(4, quotes)}) {
    const std::string token = *tokens.Seal(questions);
    EXPECT_LE(token.size(), kMaxConversationTokenBytes);
    auto back = tokens.Open(token);
    ASSERT_TRUE(back.ok());
    ASSERT_FALSE(back->questions.empty());
    for (const std::string& question : back->questions) {
      EXPECT_LE(question.size(), ConversationTokens::kQuestionBytesKept);
    }
    EXPECT_EQ(back->questions.back(),
              questions.back().substr(0, back->questions.back().size()));
  }
  auto cut = tokens.Open(*tokens.Seal({accented}));
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut->questions.front().size() % 2, 0u) << "cut inside a two-byte character";
}

TEST(ConversationTokensTest, TheAskCodecTakesATokenLongerThanAPlainId) {
  FixedClock clock;
  ConversationTokens tokens(kSecret, seconds(1800), clock.Function());
  const std::string token = *tokens.Seal({std::string(500, 'q'), std::string(500, 'r')});
  ASSERT_GT(token.size(), kMaxConversationIdBytes);
  auto request = ParseAskRequest(R"({"question": "and then?", "conversation_id": ")" + token + "\"}");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->conversation_id, token);
  const std::string plain(kMaxConversationIdBytes + 1, 'p');
  EXPECT_FALSE(ParseAskRequest(R"({"question": "q", "conversation_id": ")" + plain + "\"}").ok());
  const std::string huge = "c1." + std::string(kMaxConversationTokenBytes, 'x');
  EXPECT_FALSE(ParseAskRequest(R"({"question": "q", "conversation_id": ")" + huge + "\"}").ok());
}

TEST(ConversationSecretTest, ComesFromTheEnvironmentTrimmedAndLongEnough) {
  unsetenv("CITEQA_CONVERSATION_SECRET");
  ASSERT_TRUE(ConversationSecretFromEnvironment().ok());
  EXPECT_EQ(*ConversationSecretFromEnvironment(), "");
  setenv("CITEQA_CONVERSATION_SECRET", "  0123456789abcdef0123\n", 1);
  EXPECT_EQ(*ConversationSecretFromEnvironment(), "0123456789abcdef0123");
  setenv("CITEQA_CONVERSATION_SECRET", "short", 1);
  auto refused = ConversationSecretFromEnvironment();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  unsetenv("CITEQA_CONVERSATION_SECRET");
}

class ConversationTokenEngineTest : public ::testing::Test {
 protected:
  FixedClock clock_;
  ConversationTokens tokens_{kSecret, seconds(1800), clock_.Function()};
  testing::FakeEngine fake_;
  ConversationTokenEngine engine_{&fake_, &tokens_};

  retriever::AskResponse Ask(const std::string& question, const std::string& conversation_id,
                             std::vector<std::string> history = {}) {
    retriever::AskRequest request;
    request.question = question;
    request.conversation_id = conversation_id;
    request.history = std::move(history);
    auto response = engine_.Ask(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : retriever::AskResponse{};
  }
};

TEST_F(ConversationTokenEngineTest, FollowUpsCarryTheConversationInTheToken) {
  const auto first = Ask("who owns the backlog?", "");
  EXPECT_TRUE(LooksLikeConversationToken(first.conversation_id));
  const auto second = Ask("and who sets priorities?", first.conversation_id);
  const auto third = Ask("why?", second.conversation_id);

  const auto asked = fake_.requests();
  ASSERT_EQ(asked.size(), 3u);
  EXPECT_TRUE(asked[0].history.empty());
  EXPECT_EQ(asked[1].history, (std::vector<std::string>{"who owns the backlog?"}));
  EXPECT_EQ(asked[2].history,
            (std::vector<std::string>{"who owns the backlog?", "and who sets priorities?"}));
  for (const auto& request : asked) {
    EXPECT_TRUE(request.conversation_id.empty()) << "the engine's memory is not used";
  }
  const auto state = tokens_.Open(third.conversation_id);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->questions,
            (std::vector<std::string>{"who owns the backlog?", "and who sets priorities?", "why?"}));
  EXPECT_EQ(state->key, tokens_.Open(first.conversation_id)->key) << "one conversation, one key";
  EXPECT_EQ(ConversationLogKey(third.conversation_id), "c1:" + state->key);
  EXPECT_EQ(ConversationLogKey(second.conversation_id), ConversationLogKey(first.conversation_id));
  EXPECT_EQ(ConversationLogKey("slack:T1:C1:1.2"), "");
  EXPECT_EQ(ConversationLogKey("c1.!!.x"), "");
}

TEST_F(ConversationTokenEngineTest, HistoryWinsOverTheTokenAndComesBackInOne) {
  const auto first = Ask("who owns the backlog?", "");
  const auto answer = Ask("and then?", first.conversation_id, {"something else"});
  EXPECT_EQ(fake_.requests().back().history, (std::vector<std::string>{"something else"}));
  EXPECT_EQ(tokens_.Open(answer.conversation_id)->questions,
            (std::vector<std::string>{"something else", "and then?"}));
  // A stale or foreign token is not even read when history is sent.
  const auto with_bad_token = Ask("and then?", "c1.forged.token", {"earlier"});
  EXPECT_TRUE(LooksLikeConversationToken(with_bad_token.conversation_id));
}

TEST_F(ConversationTokenEngineTest, PlainIdsStayWithTheEngine) {
  const auto answer = Ask("who owns the backlog?", "slack:T1:C1:123.456");
  EXPECT_EQ(answer.conversation_id, "slack:T1:C1:123.456");
  EXPECT_EQ(fake_.requests().back().conversation_id, "slack:T1:C1:123.456");
  // With history too: the client's own id comes back, not a token.
  const auto with_history = Ask("and then?", "my-chat-7", {"who owns the backlog?"});
  EXPECT_EQ(with_history.conversation_id, "my-chat-7");
  EXPECT_EQ(fake_.requests().back().history, (std::vector<std::string>{"who owns the backlog?"}));
}

// A server without a secret (a replica where it was forgotten) says so for a token, rather
// than answering the follow-up as a new conversation.
TEST(ConversationTokenEngineWithoutSecretTest, RefusesTokensAndPassesTheRest) {
  FixedClock clock;
  ConversationTokens elsewhere(kSecret, seconds(1800), clock.Function());
  const std::string token = *elsewhere.Seal({"who owns the backlog?"});
  testing::FakeEngine fake;
  ConversationTokenEngine engine(&fake, nullptr);
  retriever::AskRequest request;
  request.question = "and then?";
  request.conversation_id = token;
  auto refused = engine.Ask(request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("CITEQA_CONVERSATION_SECRET"), std::string::npos);
  EXPECT_TRUE(fake.requests().empty());

  request.history = {"who owns the backlog?"};
  auto with_history = engine.Ask(request);
  ASSERT_TRUE(with_history.ok());
  EXPECT_TRUE(fake.requests().back().conversation_id.empty()) << "the token is not a plain id";
  EXPECT_FALSE(LooksLikeConversationToken(with_history->conversation_id));

  request = {};
  request.question = "who owns the backlog?";
  request.conversation_id = "c-plain";
  ASSERT_TRUE(engine.Ask(request).ok());
  EXPECT_EQ(fake.requests().back().conversation_id, "c-plain");
}

TEST_F(ConversationTokenEngineTest, AForgedTokenIsRefusedNotForgotten) {
  retriever::AskRequest request;
  request.question = "and then?";
  request.conversation_id = *tokens_.Seal({"who owns the backlog?"}) + "x";
  auto response = engine_.Ask(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(ConversationTokenEngineTest, EngineErrorsPassThrough) {
  fake_.FailWith(Status::IoError("disk"));
  retriever::AskRequest request;
  request.question = "who owns the backlog?";
  auto response = engine_.Ask(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace citeqa::server
