#include "server/slack/feedback_buttons.h"

#include <gtest/gtest.h>

#include <string>

#include "indexer/text.h"
#include "server/feedback_recorder.h"

namespace citeqa::server::slack {
namespace {

using nlohmann::json;

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(FeedbackButtonsTest, CutUtf8KeepsWholeCharacters) {
  const std::string e_acute = "\xC3\xA9";        // é: 2 bytes
  const std::string euro = "\xE2\x82\xAC";       // €: 3 bytes
  const std::string smile = "\xF0\x9F\x98\x80";  // 😀: 4 bytes
  struct Case {
    std::string text;
    size_t max_bytes;
    std::string expected;
  };
  const Case cases[] = {
      {"abc", 5, "abc"},
      {"abc", 3, "abc"},
      {"abc", 2, "ab"},
      {"abc", 0, ""},
      {"a" + e_acute, 2, "a"},
      {"a" + e_acute, 3, "a" + e_acute},
      {euro + euro, 5, euro},
      {euro + euro, 4, euro},
      {euro, 2, ""},
      {"x" + smile, 4, "x"},
      {"x" + smile, 5, "x" + smile},
  };
  for (const auto& c : cases) {
    const std::string cut = indexer::CutUtf8(c.text, c.max_bytes);
    EXPECT_EQ(cut, c.expected) << c.text << " at " << c.max_bytes;
    EXPECT_TRUE(indexer::IsValidUtf8(cut)) << c.text << " at " << c.max_bytes;
  }
}

TEST(FeedbackButtonsTest, ValuesRoundTripAndStayWithinSlacksLimit) {
  const std::string long_question = Repeat("\xE2\x82\xAC", 900);  // 2700 bytes of €
  const std::string long_answer = Repeat("Quote \"this\" \\ and that. ", 400);
  const std::string long_conversation(kMaxConversationIdBytes + 1, 'c');
  struct Case {
    const char* name;
    VoteSubject subject;
    std::string expected_question;      // after decoding
    std::string expected_conversation;  // after decoding
    bool answer_whole;                  // the answer survives uncut
  };
  const Case cases[] = {
      {"small",
       {"What is the notice period?", "slack:T1:C1:U1", "One month [1]."},
       "What is the notice period?",
       "slack:T1:C1:U1",
       true},
      {"no conversation", {"q?", "", "a."}, "q?", "", true},
      {"long question cut at a character",
       {long_question, "c1", "short"},
       indexer::CutUtf8(long_question, kMaxValueQuestionBytes),
       "c1",
       true},
      {"long answer cut to fit", {"q?", "c1", long_answer}, "q?", "c1", false},
      {"conversation id over the limit left out", {"q?", long_conversation, "a."}, "q?", "", true},
      {"control characters escaped",
       {"tab\there", "c", std::string("nul\x01") + "x"},
       "tab\there",
       "c",
       true},
  };
  for (const auto& c : cases) {
    const std::string value = EncodeButtonValue(c.subject);
    EXPECT_LE(value.size(), kMaxButtonValueBytes) << c.name;
    EXPECT_TRUE(indexer::IsValidUtf8(value)) << c.name;
    const Result<VoteSubject> decoded = DecodeButtonValue(value);
    ASSERT_TRUE(decoded.ok()) << c.name << ": " << decoded.status().ToString();
    EXPECT_EQ(decoded->question, c.expected_question) << c.name;
    EXPECT_EQ(decoded->conversation_id, c.expected_conversation) << c.name;
    if (c.answer_whole) {
      EXPECT_EQ(decoded->answer, c.subject.answer) << c.name;
    } else {
      EXPECT_FALSE(decoded->answer.empty()) << c.name;
      EXPECT_LT(decoded->answer.size(), c.subject.answer.size()) << c.name;
      EXPECT_EQ(c.subject.answer.rfind(decoded->answer, 0), 0u) << c.name << ": a prefix";
      // Cut only as far as needed: one more byte of answer would not have fitted.
      EXPECT_GT(value.size() + 3, kMaxButtonValueBytes) << c.name;
    }
  }
}

TEST(FeedbackButtonsTest, AnAnswerOfEscapedCharactersStillFits) {
  // Each '"' doubles in JSON, each control character becomes six bytes.
  const std::string answer = Repeat("\"\x02", 3000);
  const std::string value = EncodeButtonValue({"q?", "c", answer});
  EXPECT_LE(value.size(), kMaxButtonValueBytes);
  const Result<VoteSubject> decoded = DecodeButtonValue(value);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(answer.rfind(decoded->answer, 0), 0u);
}

TEST(FeedbackButtonsTest, RefusesValuesThatAreNotOurs) {
  for (const char* bad : {"", "up", "[]", "{}", R"({"q":""})", R"({"q":1})", R"({"q":"x","c":2})",
                          R"({"q":"x","a":null})", "{\"q\":\"x\""}) {
    EXPECT_EQ(DecodeButtonValue(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(FeedbackButtonsTest, ActionsBlockHasBothButtonsWithTheValue) {
  const VoteSubject subject{"Why?", "c1", "Because [1]."};
  const json block = FeedbackActionsBlock(subject);
  EXPECT_EQ(block["type"], "actions");
  EXPECT_EQ(block["block_id"], kFeedbackBlockId);
  ASSERT_EQ(block["elements"].size(), 2u);
  const struct {
    const char* label;
    std::string_view action_id;
  } expected[] = {{":+1: Helpful", kVoteUpActionId}, {":-1: Not helpful", kVoteDownActionId}};
  for (size_t i = 0; i < 2; ++i) {
    const json& button = block["elements"][i];
    EXPECT_EQ(button["type"], "button") << i;
    EXPECT_EQ(button["text"]["type"], "plain_text") << i;
    EXPECT_EQ(button["text"]["text"], expected[i].label) << i;
    EXPECT_EQ(button["action_id"], expected[i].action_id) << i;
    EXPECT_EQ(button["value"], EncodeButtonValue(subject)) << i;
  }
}

TEST(FeedbackButtonsTest, ReceiptReplacesOnlyTheButtonsOrThanksEphemerally) {
  const json answer_section = {{"type", "section"},
                               {"text", {{"type", "mrkdwn"}, {"text", "One month [1]."}}}};
  const json blocks =
      json::array({answer_section, FeedbackActionsBlock({"q", "c", "One month [1]."})});
  struct Case {
    const char* name;
    bool helpful;
    json original_blocks;
    bool replace;
    bool expect_replaced;
  };
  const Case cases[] = {
      {"ephemeral answer, up", true, blocks, true, true},
      {"ephemeral answer, down", false, blocks, true, true},
      {"in channel", true, blocks, false, false},
      {"no blocks in the payload", false, json(), true, false},
  };
  for (const auto& c : cases) {
    const json receipt = VoteReceipt(c.helpful, c.original_blocks, "One month [1].", c.replace);
    const std::string thanks_start = c.helpful ? ":+1: Thanks" : ":-1: Thanks";
    if (!c.expect_replaced) {
      EXPECT_EQ(receipt["response_type"], "ephemeral") << c.name;
      EXPECT_EQ(receipt["replace_original"], false) << c.name;
      EXPECT_EQ(receipt["text"].get<std::string>().rfind(thanks_start, 0), 0u) << c.name;
      EXPECT_FALSE(receipt.contains("blocks")) << c.name;
      continue;
    }
    EXPECT_EQ(receipt["replace_original"], true) << c.name;
    EXPECT_EQ(receipt["text"], "One month [1].") << c.name;
    ASSERT_EQ(receipt["blocks"].size(), 2u) << c.name;
    EXPECT_EQ(receipt["blocks"][0], answer_section) << c.name << ": the answer is kept";
    EXPECT_EQ(receipt["blocks"][1]["type"], "context") << c.name;
    EXPECT_EQ(receipt["blocks"][1]["elements"][0]["text"].get<std::string>().rfind(thanks_start, 0),
              0u)
        << c.name;
    EXPECT_EQ(receipt.dump().find("citeqa_vote"), std::string::npos) << c.name << ": no buttons";
  }
}

TEST(FeedbackButtonsTest, NotKeptIsEphemeral) {
  const json note = VoteNotKept("Sorry.");
  EXPECT_EQ(
      note,
      json({{"response_type", "ephemeral"}, {"replace_original", false}, {"text", "Sorry."}}));
}

}  // namespace
}  // namespace citeqa::server::slack
