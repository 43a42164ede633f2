#include <gtest/gtest.h>

#include <exam/core/signing.hpp>
#include <exam/journal/checkpoint.hpp>
#include <exam/util/error.hpp>

TEST(Signing, VerifierKeyTextRoundTrips) {
    const auto key = exam::SigningKey::generate("examkit/ppe/77/0001");
    const std::string text = key.verifier().to_text();
    EXPECT_EQ(text.rfind("examkit/ppe/77/0001+", 0), 0u);
    const auto parsed = exam::VerifierKey::parse(text);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->to_text(), text);
}

TEST(Signing, SignerKeyTextRoundTrips) {
    const auto key = exam::SigningKey::generate("examkit/ppe/77/0001");
    const auto reread = exam::SigningKey::parse(key.to_text(), "test");
    EXPECT_EQ(reread.verifier().to_text(), key.verifier().to_text());
    EXPECT_THROW(exam::SigningKey::parse("PRIVATE+KEY+broken", "test"), exam::ConfigError);
}

TEST(Signing, VerifierKeyRejectsAWrongKeyId) {
    const std::string text = exam::SigningKey::generate("a").verifier().to_text();
    std::string tampered = text;
    tampered[2] = tampered[2] == '0' ? '1' : '0';
    EXPECT_FALSE(exam::VerifierKey::parse(tampered).has_value());
    EXPECT_FALSE(exam::VerifierKey::parse("not a key").has_value());
}

TEST(SignedNote, OpensWithTheRightKeyOnly) {
    const auto key = exam::SigningKey::generate("examkit/ppe/77/0001");
    const auto other = exam::SigningKey::generate("examkit/ppe/77/0001");
    const std::string note = exam::sign_note("examkit/ppe/77/0001\n3\nAAAA\n", key);
    EXPECT_NE(note.find("\n\n\u2014 examkit/ppe/77/0001 "), std::string::npos);
    EXPECT_EQ(exam::open_note(note, key.verifier()), "examkit/ppe/77/0001\n3\nAAAA\n");
    EXPECT_FALSE(exam::open_note(note, other.verifier()).has_value());
    std::string changed = note;
    changed[20] = '4';  // the tree size line
    EXPECT_FALSE(exam::open_note(changed, key.verifier()).has_value());
}

TEST(Checkpoint, TextRoundTripsAndIsStrict) {
    exam::Checkpoint checkpoint{"examkit/ppe/77/0001", 12, {}};
    checkpoint.root_hash[0] = 0xab;
    const auto parsed = exam::parse_checkpoint_text(exam::checkpoint_text(checkpoint));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->tree_size, 12u);
    EXPECT_EQ(parsed->root_hash, checkpoint.root_hash);
    EXPECT_FALSE(exam::parse_checkpoint_text("origin\n012\nAAAA\n").has_value());
    EXPECT_FALSE(exam::parse_checkpoint_text("origin\n12\n").has_value());
}
