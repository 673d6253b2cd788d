#include "retriever/scoring/signposting.h"

#include <gtest/gtest.h>

namespace citeqa::retriever {
namespace {

TEST(SignpostTest, TellsSentencesAboutTheTextFromContent) {
  struct Case {
    const char* sentence;
    bool signpost;
  };
  const Case cases[] = {
      {"In this blog, we\xE2\x80\x99ll delve into the realms of Product Owners.", true},
      {"This blog explores the differences and similarities between the two roles.", true},
      {"Here we will also delve into the interview processes and salary prospects.", true},
      {"In this article, you'll learn about three ways to plan a release.", true},
      {"Let's look at what a product owner does every day.", true},
      {"Read the rest of our blog for more ideas.", true},
      {"DAD offers helpful definitions of both roles, which we will summarize here.", true},
      // A reference to the text, or a verb of presenting, alone is plain content.
      {"Here are some considerations:", false},
      {"Product owners read user feedback and refine the backlog.", false},
      {"The product manager explores new markets for the company.", false},
      {"This role explores new markets.", false},
      {"We hired two product owners last year.", false},
      {"We look for candidates who can explain their decisions.", false},
      {"In the course you learn backlog management.", false},
      {"The travel policy here covers flights.", false},
      // The verb stands too far from the reference to be about the text.
      {"We will hire a product owner who, in her first month, meets every customer and "
       "explores the market.",
       false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsSignpost(c.sentence), c.signpost) << c.sentence;
}

}  // namespace
}  // namespace citeqa::retriever
