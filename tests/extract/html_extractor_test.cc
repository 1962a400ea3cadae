// HtmlExtractor on hand-made pages: what is kept, what is set aside, and bounds on hostile
// markup (their speed is measured in bench/extract, BM_ExtractHostile, not here).
#include "winnow/extract/html_extractor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace winnow::extract {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Extracted ExtractPage(std::string_view html, ExtractOptions o = {}) {
  HtmlExtractor e(o);
  ExtractScratch scratch;
  Extracted out;
  Status st = e.Extract(html, scratch, &out);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

const char* kPage = R"(<!doctype html><html><head><title>Rivers rise | The Daily</title>
<meta name="author" content="A. Writer"><meta property="article:published_time" content="2024-05-01T08:00:00Z">
<style>p{color:red}</style><script>var x = "not text";</script></head><body>
<header><a href="/">The Daily</a><nav><ul><li><a href="/a">World</a></li><li><a href="/b">Sport</a></li></ul></nav></header>
<div class="sidebar"><h3>Popular</h3><p>Ten things you missed this week, and other stories people read.</p></div>
<article>
  <h1>Rivers rise</h1>
  <p class="byline">By A. Writer, <time datetime="2024-05-01">May 1, 2024</time></p>
  <p>The river rose by two metres overnight, flooding the lower town, and the council opened the school as a shelter.</p>
  <p>Residents said the water came faster than in 2019, when the same streets were under a metre of water for three days.</p>
  <figure><img src="x.jpg"><figcaption>The flooded high street on Tuesday.</figcaption></figure>
  <h2>What comes next</h2>
  <p>Engineers will inspect the dam on Friday, the council said, and a report is due next month.</p>
  <ul><li>Sandbags at the town hall</li><li>Shelter at the school</li></ul>
  <pre>level  2.1 m
peak   2.4 m</pre>
  <div class="share-buttons"><a href="#">Share on X</a> <a href="#">Share on Facebook</a></div>
</article>
<section id="comments" class="comments-area"><h3>3 Comments</h3>
  <div class="comment"><p>Stay safe everyone, the bridge road is closed too.</p></div>
  <div class="comment"><p>Thanks to the volunteers at the school, they were wonderful last night.</p></div>
  <form id="respond" class="comment-respond"><p>Leave a reply</p><textarea></textarea></form>
</section>
<footer><p>Copyright 2024 The Daily. All rights reserved.</p></footer>
</body></html>)";

TEST(HtmlExtractorTest, MainTextCommentsAndTitle) {
  Extracted out = ExtractPage(kPage);
  EXPECT_EQ(out.title, "Rivers rise | The Daily");
  EXPECT_EQ(out.author, "A. Writer");
  EXPECT_EQ(out.published, "2024-05-01T08:00:00Z");
  EXPECT_THAT(out.text, HasSubstr("The river rose by two metres overnight"));
  EXPECT_THAT(out.text, HasSubstr("Engineers will inspect the dam on Friday"));
  EXPECT_THAT(out.text, HasSubstr("What comes next"));
  EXPECT_THAT(out.text, HasSubstr("Sandbags at the town hall\nShelter at the school"));
  EXPECT_THAT(out.text, HasSubstr("level  2.1 m\npeak   2.4 m"));  // pre keeps its layout
  for (const char* gone : {"World", "Popular", "not text", "color:red", "Share on", "Copyright",
                           "flooded high street", "Rivers rise\n", "Stay safe", "Leave a reply"}) {
    EXPECT_THAT(out.text, Not(HasSubstr(gone))) << gone;
  }
  EXPECT_THAT(out.comments, HasSubstr("Stay safe everyone"));
  EXPECT_THAT(out.comments, HasSubstr("volunteers at the school"));
  EXPECT_THAT(out.comments, Not(HasSubstr("Leave a reply")));
  EXPECT_THAT(out.comments, Not(HasSubstr("river rose")));
}

TEST(HtmlExtractorTest, EmptyAndNonHtmlInput) {
  EXPECT_EQ(ExtractPage("").text, "");
  EXPECT_EQ(
      ExtractPage("just some words without markup, quite a few of them, enough to count").text,
      "just some words without markup, quite a few of them, enough to count");
  EXPECT_EQ(ExtractPage("<html><body></body></html>").text, "");
}

TEST(HtmlExtractorTest, HostileMarkupIsBounded) {
  // 100,000 nested tags (libxml2 stops nesting at 256; nothing recurses here).
  std::string nested;
  for (int i = 0; i < 100000; ++i) nested += "<div>";
  nested += "deep text, with a comma, deep down in the page";
  for (int i = 0; i < 100000; ++i) nested += "</div>";
  // One 8 MB paragraph; 400,000 tiny elements; unclosed tags and stray bytes.
  std::string huge = "<p>" + std::string(8 << 20, 'a') + "</p>";
  std::string many = "<div>";
  for (int i = 0; i < 400000; ++i) many += "<span>x</span>";
  many += "</div>";
  std::string broken =
      "<html><body><p>one<div><table><td>two<li>three</p></td>\x01\xff<<>><a href=";
  // Past the nesting limits the text is attached to the deepest open element, not lost.
  EXPECT_EQ(ExtractPage(nested).text, "deep text, with a comma, deep down in the page");
  EXPECT_EQ(ExtractPage(huge).text.size(), size_t{8} << 20);
  EXPECT_EQ(ExtractPage(many).text, std::string(400000, 'x'));  // one run of inline text
  ExtractPage(broken);  // too little text for a paragraph: empty, and no crash
  ExtractOptions tight;
  tight.max_nodes = 1000;
  HtmlExtractor e(tight);
  ExtractScratch scratch;
  Extracted out;
  Status st = e.Extract(many, scratch, &out);
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(st.ToString(), HasSubstr("too_many_nodes"));
  tight.max_bytes = 1000;
  st = HtmlExtractor(tight).Extract(huge, scratch, &out);
  EXPECT_THAT(st.ToString(), HasSubstr("too_large"));
}

}  // namespace
}  // namespace winnow::extract
