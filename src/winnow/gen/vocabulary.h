// Word lists and templates for the corpus generator, written for winnow.
//
// English text is drawn from function words (so stop-word checks behave as on real text) and
// topic words; a few other languages have lists of their own so language ID has something to
// find. Boilerplate and comment templates imitate what crawls are full of.
#pragma once

#include <span>
#include <string_view>

namespace winnow::gen {

struct Language {
  std::string_view code;                       // "en", "de", ...
  std::span<const std::string_view> function;  // frequent short words
  std::span<const std::string_view> content;   // the rest
};

std::span<const Language> Languages();  // [0] is English
std::span<const std::string_view> Topics();
std::span<const std::string_view> TopicWords(size_t topic);  // extra words for a topic

std::span<const std::string_view> NavigationItems();
std::span<const std::string_view> NewsletterHeads();
std::span<const std::string_view> NewsletterBodies();  // "{topic}" is replaced
std::span<const std::string_view> CookieNotices();
std::span<const std::string_view> ShareLines();
std::span<const std::string_view> CommentHeaders();  // "{n}" and "{title}" are replaced
std::span<const std::string_view> CommentOpeners();  // human comments start with these
std::span<const std::string_view> BotTemplates();    // "{a}", "{b}", "{adv}" are replaced
std::span<const std::string_view> BotAdverbs();
std::span<const std::string_view> Emoji();
std::span<const std::string_view> SpamKeywords();
std::span<const std::string_view> LinkListItems();
std::span<const std::string_view> SiteSyllables();

}  // namespace winnow::gen
