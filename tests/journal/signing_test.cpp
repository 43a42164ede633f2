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

TEST(Signing, FingerprintIsTheKeysSha256InEightGroupsOfFourHexDigits) {
    // The key bytes 00 01 … 1f; the value is what the shell recipe of docs/journal-format.md
    // gives (base64 -d | tail -c 32 | sha256sum).
    const auto key = exam::VerifierKey::parse(
        "examkit/ppe/77/0001+f8a0e0e8+AQABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f");
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->fingerprint(), "630d-cd29-66c4-3366-9112-5448-bbb2-5b4f");
    const auto other = exam::SigningKey::generate("examkit/ppe/77/0001").verifier();
    EXPECT_NE(other.fingerprint(), key->fingerprint());
}

namespace {

std::string crlf(const std::string& text) {
    std::string out;
    for (const char c : text) {
        out += c == '\n' ? std::string{"\r\n"} : std::string{c};
    }
    return out;
}

}  // namespace

TEST(SignedNote, ACopyOfANoteIsLaidOutAgainAndOpens) {
    const auto key = exam::SigningKey::generate("examkit/ppe/77/0001");
    const std::string note = exam::sign_note("examkit/ppe/77/0001\n3\nAAAA\n", key);
    const std::string text = note.substr(0, note.find("\n\n") + 1);
    const std::string signature = note.substr(note.find("\u2014 ") + 4);  // "name base64\n"
    const std::string name = signature.substr(0, signature.find(' '));
    const std::string base64 =
        signature.substr(signature.find(' ') + 1, signature.size() - signature.find(' ') - 2);
    const std::vector<std::string> copies{
        note,
        crlf(note),
        "\n\n  " + note + "\n\f\n",
        text + "\u2014 " + name + " " + base64 + "   \n",           // no blank line
        text + "\n- " + name + " " + base64.substr(0, 20) + "\n" +  // wrapped, hyphen
            base64.substr(20) + "\n",
        text + "\n\u2013 " + name + "\n" + base64 + "\n",  // wrapped after the name
        text + "\n-- " + name + "\xC2\xA0" + base64,       // no end of line, no-break space
    };
    for (const std::string& copy : copies) {
        EXPECT_EQ(exam::note_from_copy(copy), note) << copy;
        EXPECT_TRUE(exam::open_note(exam::note_from_copy(copy), key.verifier())) << copy;
    }
    EXPECT_TRUE(exam::note_has_signature(note));
    // Only the layout is repaired: a changed text still fails.
    std::string changed = note;
    changed[20] = '4';
    EXPECT_FALSE(exam::open_note(exam::note_from_copy(changed), key.verifier()));
    // Three lines without a signature stay three lines.
    EXPECT_EQ(exam::note_from_copy(crlf(text) + "\r\n"), text);
    EXPECT_FALSE(exam::note_has_signature(exam::note_from_copy(text)));
}
