// What one line of a page looks like, without patterns: its trimmed text, its words, whether
// it ends a sentence, speaks in the first or second person, links to a post's comments, and
// the shape of a byline. Internal to the anatomy module (cues and sections share them).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace winnow::anatomy {

// `s` without spaces, tabs, carriage returns and Unicode spaces at either end.
std::string_view Trim(std::string_view s);

// Words between spaces and tabs.
size_t Words(std::string_view s);

// Whether `s` ends a sentence: terminal punctuation, a closing quote or parenthesis, "…".
bool EndsSentence(std::string_view s);

// Whether a line speaks in the first or second person, as comments do and listings (a date
// beside each item) do not. English and the major European languages.
bool Conversational(std::string_view s);

// Whether a line links to a post's comments inside other text: "[ 11 Comments ]", "| 5
// comments", "(3 Comments)", "[ Comment ]". English only, as on most blog templates.
bool HasCommentCounter(std::string_view s);

// A byline's shape: runs of words as 'a', runs of digits as '0', punctuation kept, spaces
// dropped. A thread's posts share one ("a0,0,0:0a" for "Jane Doe November 8, 2024, 7:33pm"),
// an article's own byline ("by Jane Doe on June 25, 2012": "a0,0") differs from its comments'.
std::string BylineShape(std::string_view s);

}  // namespace winnow::anatomy
