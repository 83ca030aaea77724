// Subject and queue-group validation.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "nats/subject.hpp"

namespace nats {
namespace {

using Validator = Error (*)(std::string_view);

// Every error must carry the right code and name what was refused, so the
// message is useful in a log line.
void expect_refused(Validator validate, std::string_view input, Errc code) {
  Error e = validate(input);
  EXPECT_EQ(e.code, code) << "accepted: '" << input << "'";
  EXPECT_TRUE(e.local());
  if (input.empty()) {
    EXPECT_NE(e.message.find("empty"), std::string::npos) << e.message;
  } else {
    EXPECT_NE(e.message.find("'" + std::string(input) + "'"), std::string::npos) << e.message;
  }
}

void expect_accepted(Validator validate, std::string_view input) {
  Error e = validate(input);
  EXPECT_FALSE(e) << "refused: '" << input << "': " << e.message;
}

const std::vector<std::string> kEmptyTokens = {".",        "..",   ".foo", "foo.",
                                               "foo..bar", "a.b.", "a..",  "..a"};
const std::vector<std::string> kWhitespace = {"foo bar",  "foo\tbar", "foo\rbar",
                                              "foo\nbar", "foo.bar ", " foo",
                                              "foo.\t",   "a\r\n",    std::string("nul\0byte", 8)};

TEST(PublishSubject, AcceptsLiteralSubjects) {
  for (std::string_view s : {"foo", "foo.bar", "foo.bar.baz", "_INBOX.abc123.1", "$JS.API.INFO",
                             "a-b_c.d~e", "1.2.3", "UPPER.lower", "\xc3\xa9t\xc3\xa9"}) {
    expect_accepted(validate_publish_subject, s);
  }
}

TEST(PublishSubject, RefusesEmptySubjectsAndTokens) {
  expect_refused(validate_publish_subject, "", Errc::invalid_subject);
  for (const std::string &s : kEmptyTokens) {
    expect_refused(validate_publish_subject, s, Errc::invalid_subject);
  }
}

TEST(PublishSubject, RefusesWhitespace) {
  for (const std::string &s : kWhitespace) {
    expect_refused(validate_publish_subject, s, Errc::invalid_subject);
  }
}

TEST(PublishSubject, RefusesWildcards) {
  for (std::string_view s : {"*", ">", "foo.*", "foo.>", "*.bar", "foo.*.bar"}) {
    expect_refused(validate_publish_subject, s, Errc::invalid_subject);
  }
}

TEST(SubscribeSubject, AcceptsLiteralsAndWholeTokenWildcards) {
  for (std::string_view s : {"foo", "foo.bar", "*", ">", "foo.*", "foo.>", "*.bar", "foo.*.bar",
                             "*.*.*", "*.>", "foo.*.>", "_INBOX.abc.*"}) {
    expect_accepted(validate_subscribe_subject, s);
  }
}

TEST(SubscribeSubject, WildcardCharactersInsideATokenAreLiteral) {
  // As in nats-server: only a whole token is a wildcard.
  for (std::string_view s : {"foo.*bar", "foo.bar*", "foo.>bar", "a>.b", "foo.**", "foo.>>"}) {
    expect_accepted(validate_subscribe_subject, s);
  }
}

TEST(SubscribeSubject, FullWildcardMustBeTheLastToken) {
  for (std::string_view s : {">.foo", "foo.>.bar", ">.>", "a.>.*"}) {
    expect_refused(validate_subscribe_subject, s, Errc::invalid_subject);
  }
}

TEST(SubscribeSubject, RefusesEmptySubjectsAndTokens) {
  expect_refused(validate_subscribe_subject, "", Errc::invalid_subject);
  for (const std::string &s : kEmptyTokens) {
    expect_refused(validate_subscribe_subject, s, Errc::invalid_subject);
  }
  for (std::string_view s : {"*.", ".>", "foo..>", "*..*"}) {
    expect_refused(validate_subscribe_subject, s, Errc::invalid_subject);
  }
}

TEST(SubscribeSubject, RefusesWhitespace) {
  for (const std::string &s : kWhitespace) {
    expect_refused(validate_subscribe_subject, s, Errc::invalid_subject);
  }
  expect_refused(validate_subscribe_subject, "foo.> ", Errc::invalid_subject);
  expect_refused(validate_subscribe_subject, "foo.* .bar", Errc::invalid_subject);
}

TEST(Queue, AcceptsNames) {
  for (std::string_view q : {"workers", "q1", "a.b", "my-queue_2", "$G"}) {
    expect_accepted(validate_queue, q);
  }
}

TEST(Queue, RefusesEmptyAndWhitespace) {
  expect_refused(validate_queue, "", Errc::invalid_queue);
  for (std::string_view q : {"a b", "a\tb", "a\rb", "a\nb", " q", "q ", "q\r\n"}) {
    expect_refused(validate_queue, q, Errc::invalid_queue);
  }
}

}  // namespace
}  // namespace nats
