// The `pii` stage: replaces e-mail addresses, public IP addresses and (when asked) phone
// numbers with placeholders, as datatrove's PIIFormatter, and never drops a document.
//
// Placeholders come from configurable lists (datatrove's by default). Unlike datatrove, which
// draws them at random in stream order, the choice is a hash of the address itself: the
// output depends only on the document, and one address gets one placeholder wherever it
// appears. Signals: pii_emails, pii_ips, pii_phones (replacements made).
// What is found, and what is left alone (private IPs, version numbers, code), is text/pii.h.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "winnow/core/options.h"
#include "winnow/filter/filter_stage.h"
#include "winnow/text/pii.h"

namespace winnow::filter {

class PiiFilter final : public FilterStage {
 public:
  static const StageSpec& Spec();
  static Result<std::unique_ptr<PiiFilter>> Create(const Options& options);

  std::string_view name() const override { return "pii"; }
  std::unique_ptr<FilterState> NewState() const override;
  Decision Decide(Document& doc, FilterState& state) const override;
  // annotate: counts what would be replaced, leaves the text as given.
  Decision Annotate(Document& doc, FilterState& state) const override;

  // The text with every match replaced; counts per kind in `counts` (email, ip, phone).
  std::string Redact(std::string_view text, const std::vector<text::PiiMatch>& matches,
                     size_t counts[3]) const;

 private:
  Decision Run(Document& doc, FilterState& state, bool edit) const;

  std::unique_ptr<text::PiiScanner> scanner_;
  std::vector<std::string> email_replacements_, ip_replacements_, ipv6_replacements_,
      phone_replacements_;
};

}  // namespace winnow::filter
