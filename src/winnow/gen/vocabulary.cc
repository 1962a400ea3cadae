#include "winnow/gen/vocabulary.h"

#include <array>

namespace winnow::gen {
namespace {

using SV = std::string_view;

constexpr SV kEnFunction[] = {
    "the",     "of",     "and",    "to",      "a",      "in",    "is",     "that",    "for",
    "it",      "with",   "as",     "was",     "on",     "be",    "by",     "at",      "this",
    "have",    "from",   "or",     "are",     "not",    "but",   "had",    "they",    "his",
    "her",     "she",    "he",     "we",      "an",     "which", "their",  "will",    "has",
    "would",   "been",   "more",   "one",     "all",    "there", "can",    "were",    "its",
    "also",    "about",  "after",  "into",    "than",   "other", "some",   "could",   "these",
    "two",     "may",    "then",   "any",     "over",   "such",  "our",    "even",    "most",
    "many",    "before", "must",   "through", "where",  "much",  "should", "because", "each",
    "just",    "those",  "how",    "very",    "still",  "while", "since",  "against", "under",
    "between", "both",   "during", "without", "within", "among", "across", "around",  "already"};

constexpr SV kEnContent[] = {
    "people",        "government", "year",        "city",        "report",      "officials",
    "company",       "market",     "country",     "week",        "support",     "plan",
    "group",         "state",      "public",      "local",       "national",    "community",
    "policy",        "program",    "service",     "system",      "project",     "data",
    "research",      "team",       "season",      "game",        "players",     "coach",
    "record",        "results",    "price",       "prices",      "growth",      "economy",
    "investors",     "shares",     "percent",     "million",     "billion",     "costs",
    "health",        "patients",   "doctors",     "hospital",    "study",       "scientists",
    "climate",       "energy",     "water",       "food",        "school",      "students",
    "teachers",      "children",   "families",    "workers",     "police",      "court",
    "law",           "election",   "voters",      "minister",    "president",   "leaders",
    "agreement",     "talks",      "security",    "region",      "border",      "trade",
    "industry",      "technology", "software",    "users",       "network",     "device",
    "launch",        "update",     "version",     "feature",     "travel",      "hotel",
    "visitors",      "museum",     "festival",    "music",       "film",        "book",
    "author",        "history",    "century",     "building",    "road",        "bridge",
    "train",         "airport",    "flight",      "weather",     "storm",       "rain",
    "river",         "forest",     "island",      "coast",       "village",     "province",
    "said",          "says",       "announced",   "expected",    "reported",    "added",
    "told",          "believe",    "found",       "showed",      "increased",   "decreased",
    "remained",      "continued",  "started",     "finished",    "opened",      "closed",
    "raised",        "lowered",    "approved",    "rejected",    "signed",      "visited",
    "described",     "explained",  "warned",      "suggested",   "included",    "reached",
    "allowed",       "important",  "significant", "major",       "recent",      "early",
    "late",          "final",      "second",      "third",       "new",         "old",
    "large",         "small",      "strong",      "weak",        "higher",      "lower",
    "best",          "several",    "various",     "different",   "similar",     "possible",
    "likely",        "clear",      "current",     "former",      "official",    "private",
    "international", "economic",   "political",   "social",      "financial",   "medical",
    "digital",       "regional",   "annual",      "monthly",     "daily",       "quickly",
    "slowly",        "recently",   "finally",     "nearly",      "almost",      "largely",
    "mostly",        "however",    "meanwhile",   "according",   "statement",   "interview",
    "decision",      "question",   "answer",      "problem",     "solution",    "change",
    "changes",       "future",     "past",        "month",       "months",      "day",
    "days",          "time",       "times",       "number",      "level",       "rate",
    "share",         "part",       "area",        "areas",       "development", "experience",
    "information",   "management", "performance", "production",  "quality",     "value",
    "approach",      "effort",     "efforts",     "impact",      "issue",       "issues",
    "measures",      "conditions", "resources",   "opportunity", "challenge",   "response",
    "access"};

constexpr SV kDeFunction[] = {"der", "die", "das",  "und",  "ist",  "nicht", "mit",  "von",   "den",
                              "für", "auf", "ein",  "eine", "im",   "sich",  "auch", "dem",   "es",
                              "zu",  "bei", "nach", "wie",  "über", "aus",   "wird", "werden"};
constexpr SV kDeContent[] = {
    "Regierung",   "Stadt",      "Jahr",    "Menschen", "Unternehmen", "Bericht",    "Entwicklung",
    "Wirtschaft",  "Schule",     "Kinder",  "Arbeit",   "Frage",       "Zeit",       "Woche",
    "Gemeinde",    "Bürger",     "Straße",  "Verkehr",  "Wetter",      "Preise",     "Markt",
    "Spiel",       "Mannschaft", "Trainer", "Saison",   "Ergebnis",    "erklärte",   "sagte",
    "berichtete",  "wurde",      "neue",    "große",    "wichtige",    "deutschen",  "letzten",
    "ersten",      "heute",      "gestern", "bereits",  "weiterhin",   "allerdings", "außerdem",
    "schließlich", "möglich",    "Kosten",  "Millionen"};
constexpr SV kFrFunction[] = {"le", "la",   "les",  "de",  "des",  "et",   "est",  "un",  "une",
                              "du", "dans", "pour", "que", "qui",  "sur",  "avec", "pas", "par",
                              "au", "plus", "ce",   "il",  "elle", "sont", "ont",  "été"};
constexpr SV kFrContent[] = {
    "gouvernement",  "ville",    "année",     "personnes", "entreprise",  "rapport",
    "développement", "économie", "école",     "enfants",   "travail",     "question",
    "temps",         "semaine",  "commune",   "citoyens",  "rue",         "circulation",
    "prix",          "marché",   "match",     "équipe",    "entraîneur",  "saison",
    "résultat",      "déclaré",  "annoncé",   "expliqué",  "nouvelle",    "grande",
    "importante",    "français", "dernière",  "première",  "aujourd'hui", "hier",
    "déjà",          "toujours", "cependant", "également", "enfin",       "possible",
    "coûts",         "millions"};
constexpr SV kEsFunction[] = {"el",  "la", "los",  "las",  "de",   "del", "y",  "es", "un",
                              "una", "en", "para", "que",  "por",  "con", "no", "se", "al",
                              "lo",  "su", "más",  "como", "pero", "sus", "ha", "han"};
constexpr SV kEsContent[] = {
    "gobierno",  "ciudad",     "año",        "personas",   "empresa",  "informe", "desarrollo",
    "economía",  "escuela",    "niños",      "trabajo",    "pregunta", "tiempo",  "semana",
    "municipio", "ciudadanos", "calle",      "tráfico",    "precios",  "mercado", "partido",
    "equipo",    "entrenador", "temporada",  "resultado",  "declaró",  "anunció", "explicó",
    "nueva",     "grande",     "importante", "española",   "última",   "primera", "hoy",
    "ayer",      "todavía",    "además",     "finalmente", "posible",  "costos",  "millones"};
constexpr SV kRuFunction[] = {"и", "в",  "не", "на",  "что", "с",     "по",  "это", "как", "из",
                              "к", "за", "от", "для", "о",   "также", "уже", "его", "был", "была"};
constexpr SV kRuContent[] = {
    "правительство", "город",      "год",       "люди",    "компания", "доклад",  "развитие",
    "экономика",     "школа",      "дети",      "работа",  "вопрос",   "время",   "неделя",
    "жители",        "улица",      "цены",      "рынок",   "матч",     "команда", "тренер",
    "сезон",         "результат",  "заявил",    "сообщил", "объяснил", "новый",   "большой",
    "важный",        "российский", "последний", "первый",  "сегодня",  "вчера",   "однако",
    "кроме",         "наконец",    "возможно",  "расходы", "миллионов"};

constexpr Language kLanguages[] = {{"en", kEnFunction, kEnContent},
                                   {"de", kDeFunction, kDeContent},
                                   {"fr", kFrFunction, kFrContent},
                                   {"es", kEsFunction, kEsContent},
                                   {"ru", kRuFunction, kRuContent}};

constexpr SV kTopics[] = {"world",  "business", "sports", "technology",
                          "health", "science",  "travel", "culture"};

constexpr SV kWorld[] = {"ministers",  "embassy",   "sanctions",  "diplomats",  "ceasefire",
                         "parliament", "coalition", "referendum", "delegation", "treaty"};
constexpr SV kBusiness[] = {"revenue", "profits", "quarter", "earnings", "inflation",
                            "loans",   "startup", "merger",  "dividend", "exports"};
constexpr SV kSports[] = {"tournament", "championship", "striker", "goalkeeper", "league",
                          "stadium",    "victory",      "defeat",  "transfer",   "playoffs"};
constexpr SV kTechnology[] = {"smartphone", "processor", "browser", "encryption", "platform",
                              "developers", "algorithm", "battery", "satellite",  "servers"};
constexpr SV kHealth[] = {"vaccine", "symptoms",  "treatment", "clinic",    "nutrition",
                          "therapy", "infection", "surgeons",  "diagnosis", "wellbeing"};
constexpr SV kScience[] = {"telescope", "molecules", "experiment", "laboratory", "fossils",
                           "species",   "genome",    "particles",  "galaxy",     "researchers"};
constexpr SV kTravel[] = {"beaches", "itinerary", "passport", "cruise",    "mountains",
                          "resort",  "luggage",   "tourists", "landmarks", "guesthouse"};
constexpr SV kCulture[] = {"exhibition", "orchestra", "novel",    "theatre",   "gallery",
                           "poetry",     "director",  "premiere", "sculpture", "audience"};
constexpr std::span<const SV> kTopicWords[] = {kWorld,  kBusiness, kSports, kTechnology,
                                               kHealth, kScience,  kTravel, kCulture};

constexpr SV kNavigation[] = {"Home",    "News",    "World",     "Business", "Sports",  "Tech",
                              "Health",  "Science", "Travel",    "Culture",  "Opinion", "Video",
                              "Contact", "About",   "Subscribe", "Login"};
constexpr SV kNewsletterHeads[] = {"Join Our Newsletter", "Subscribe to our newsletter",
                                   "Never miss a story", "Sign up for our daily briefing"};
constexpr SV kNewsletterBodies[] = {
    "Get the latest {topic} news and updates directly to your inbox.",
    "Enter your email address to receive the best {topic} stories every morning.",
    "The top {topic} headlines, delivered free to your inbox every week.",
    "Sign up now and never miss an update on {topic}. Unsubscribe at any time."};
constexpr SV kCookieNotices[] = {
    "We use cookies to improve your experience. By continuing to browse, you agree to our use "
    "of cookies.",
    "This website uses cookies to ensure you get the best experience on our website. Learn "
    "more",
    "We and our partners use cookies to personalise content and ads. Accept all cookies"};
constexpr SV kShareLines[] = {"Share this article: Facebook Twitter LinkedIn Email",
                              "Share on Facebook | Share on Twitter | Copy link",
                              "Follow us on Facebook, Twitter and Instagram"};
constexpr SV kCommentHeaders[] = {"{n} Comments",        "Comments ({n})",
                                  "Leave a Reply",       "{n} Responses to \"{title}\"",
                                  "Join the discussion", "{n} thoughts on \"{title}\""};
constexpr SV kCommentOpeners[] = {"Great article.",       "I disagree.",
                                  "Thanks for sharing.",  "Interesting point.",
                                  "Not sure about this.", "Well said.",
                                  "This is so true.",     "I had the same experience.",
                                  "Good read.",           "Finally someone said it."};
constexpr SV kBotTemplates[] = {"Do you think {a} will {adv} benefit {b}?",
                                "Is this {a} justified or just wishful thinking? Time will tell.",
                                "Why should {a} be optimistic about {b}? Share your thoughts!",
                                "Is {a} {adv} optimistic about {b}? Seems a bit risky to me.",
                                "Do you think {b} can {adv} benefit from {a}?",
                                "Im not convinced {a} will bring real benefits. What do you think?",
                                "Who else thinks {a} is {adv} overrated? Lets discuss.",
                                "What does {a} mean for {b}? Curious to hear your opinion."};
constexpr SV kBotAdverbs[] = {"actually", "truly", "really", "ever", "finally", "seriously"};
constexpr SV kEmoji[] = {"🤔", "👍", "😂", "🔥", "💯", "🙏", "😮", "👀"};
constexpr SV kSpamKeywords[] = {"cheap",    "best", "buy",  "online", "discount", "free",
                                "shipping", "sale", "deal", "price",  "top",      "review"};
constexpr SV kLinkItems[] = {"Home",          "About Us",       "Contact", "Privacy Policy",
                             "Terms of Use",  "Sitemap",        "Careers", "Advertise",
                             "Help Center",   "Archive",        "RSS",     "Newsletter",
                             "Accessibility", "Cookie Settings"};
constexpr SV kSiteSyllables[] = {"bro", "vin", "tal", "mer", "kas", "do", "ren", "lu",
                                 "pa",  "sor", "gen", "ti",  "vel", "an", "qui", "zo"};

}  // namespace

std::span<const Language> Languages() { return kLanguages; }
std::span<const SV> Topics() { return kTopics; }
std::span<const SV> TopicWords(size_t topic) { return kTopicWords[topic % std::size(kTopicWords)]; }
std::span<const SV> NavigationItems() { return kNavigation; }
std::span<const SV> NewsletterHeads() { return kNewsletterHeads; }
std::span<const SV> NewsletterBodies() { return kNewsletterBodies; }
std::span<const SV> CookieNotices() { return kCookieNotices; }
std::span<const SV> ShareLines() { return kShareLines; }
std::span<const SV> CommentHeaders() { return kCommentHeaders; }
std::span<const SV> CommentOpeners() { return kCommentOpeners; }
std::span<const SV> BotTemplates() { return kBotTemplates; }
std::span<const SV> BotAdverbs() { return kBotAdverbs; }
std::span<const SV> Emoji() { return kEmoji; }
std::span<const SV> SpamKeywords() { return kSpamKeywords; }
std::span<const SV> LinkListItems() { return kLinkItems; }
std::span<const SV> SiteSyllables() { return kSiteSyllables; }

}  // namespace winnow::gen
