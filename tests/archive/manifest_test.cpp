#include <gtest/gtest.h>

#include <exam/archive/manifest.hpp>
#include <exam/core/signing.hpp>
#include <exam/util/error.hpp>

namespace {

using namespace std::chrono_literals;

exam::TimePoint at(const char* text) {
    return *exam::parse_utc(text);
}

exam::Manifest sample_manifest() {
    exam::Manifest manifest;
    manifest.region = "77";
    manifest.ppe = "0001";
    manifest.site_name = "Школа № 1";
    manifest.timezone = "Europe/Moscow";
    manifest.exam = exam::ManifestExam{.id = "math",
                                       .subject = "Математика",
                                       .date = "2026-06-01",
                                       .start = at("2026-06-01T07:00:00.000Z")};
    manifest.range = {at("2026-06-01T06:00:00.000Z"), at("2026-06-01T11:00:00.000Z")};
    manifest.exported_by = "Technician";
    manifest.exported_at = at("2026-06-01T12:00:00.123Z");
    manifest.examkit_version = "0.1.0";
    manifest.public_key = "examkit/ppe/77/0001+00000000+AQ==";
    manifest.checkpoint = exam::ManifestCheckpoint{
        .note = "examkit/ppe/77/0001\n3\nAAAA\n\n— x y\n", .tree_size = 3, .root_hash = "AAAA"};
    exam::ManifestCamera camera;
    camera.id = "front";
    camera.label = "Передняя";
    camera.room = "0101";
    camera.room_label = "Аудитория 101";
    camera.room_kind = "exam";
    camera.folder = "77-0001/2026-06-01/0101/front";
    camera.range = manifest.range;
    exam::PackageFile segment;
    segment.path = camera.folder + "/20260601T060000Z.mp4";
    segment.kind = "segment";
    segment.start = at("2026-06-01T06:00:00.000Z");
    segment.end = at("2026-06-01T06:10:00.000Z");
    segment.bytes = 1234;
    segment.sha256 = std::string(64, 'a');
    segment.source = "0101/front/20260601T060000Z.mp4";
    segment.audio = "aac";
    segment.journal =
        exam::JournalProof{.seq = 1, .leaf = "{\"kind\":\"segment\"}", .proof = {"AAAA", "BBBB"}};
    exam::PackageFile sheet;
    sheet.path = camera.folder + "/contact-sheet.jpg";
    sheet.kind = "contact-sheet";
    sheet.bytes = 99;
    sheet.sha256 = std::string(64, 'b');
    camera.files = {segment, sheet};
    camera.gaps = {{.range = {at("2026-06-01T06:10:00.000Z"), at("2026-06-01T06:20:00.000Z")},
                    .reason = "the camera refused the connection"}};
    camera.damage = {{.range = {at("2026-06-01T06:05:00.000Z"), at("2026-06-01T06:05:01.000Z")},
                      .packets_lost = 7}};
    camera.coverage.camera = "front";
    camera.coverage.room = "0101";
    camera.coverage.window = manifest.range;
    camera.coverage.stretches = {
        {.range = {at("2026-06-01T06:00:00.000Z"), at("2026-06-01T06:10:00.000Z")},
         .state = exam::CoverageState::recorded},
        {.range = {at("2026-06-01T06:10:00.000Z"), at("2026-06-01T11:00:00.000Z")},
         .state = exam::CoverageState::gap,
         .reason = "the camera refused the connection"}};
    camera.coverage.recorded = 10min;
    camera.coverage.damaged = 1s;
    camera.coverage.gaps = 290min;
    manifest.cameras = {camera};
    return manifest;
}

}  // namespace

TEST(Manifest, RoundTripsThroughItsJsonByteForByte) {
    const std::string json = exam::manifest_json(sample_manifest());
    EXPECT_EQ(json.back(), '\n');
    EXPECT_EQ(json.rfind("{\n  \"version\": 1,\n  \"region\": \"77\",", 0), 0u) << json;
    EXPECT_NE(json.find("Школа № 1"), std::string::npos) << "UTF-8 kept as is";
    EXPECT_NE(json.find("\"recorded_ms\": 600000"), std::string::npos) << json;
    const exam::Manifest parsed = exam::parse_manifest(json, "manifest.json");
    EXPECT_EQ(exam::manifest_json(parsed), json);
    ASSERT_EQ(parsed.cameras.size(), 1u);
    const auto& files = parsed.cameras[0].files;
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].journal->proof.size(), 2u);
    EXPECT_FALSE(files[1].start.has_value());
    EXPECT_FALSE(files[1].journal.has_value());
    EXPECT_EQ(parsed.cameras[0].coverage.stretches[1].state, exam::CoverageState::gap);
    EXPECT_EQ(parsed.cameras[0].coverage.camera, "front");
}

TEST(Manifest, WithoutExamOrCheckpointOmitsThem) {
    exam::Manifest manifest = sample_manifest();
    manifest.exam.reset();
    manifest.checkpoint.reset();
    const std::string json = exam::manifest_json(manifest);
    EXPECT_EQ(json.find("\"exam\":"), std::string::npos);
    EXPECT_EQ(json.find("\"checkpoint\":"), std::string::npos);
    EXPECT_EQ(exam::manifest_json(exam::parse_manifest(json, "m")), json);
}

namespace {

std::string parse_error(const std::string& json) {
    try {
        (void)exam::parse_manifest(json, "USB/manifest.json");
    } catch (const exam::InputError& e) {
        return e.what();
    }
    return "no error";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST(Manifest, ParseNamesTheFileAndThePointerOfABadField) {
    const std::string json = exam::manifest_json(sample_manifest());
    const std::string bad_bytes =
        parse_error(replaced(json, "\"bytes\": 1234", "\"bytes\": \"1234\""));
    EXPECT_NE(bad_bytes.find("USB/manifest.json"), std::string::npos) << bad_bytes;
    EXPECT_NE(bad_bytes.find("/cameras/0/files/0/bytes"), std::string::npos) << bad_bytes;

    const std::string missing = parse_error(replaced(json, "\"ppe\": \"0001\",", ""));
    EXPECT_NE(missing.find("\"/ppe\""), std::string::npos) << missing;

    const std::string bad_time = parse_error(replaced(
        json, "\"exported_at\": \"2026-06-01T12:00:00.123Z\"", "\"exported_at\": \"yesterday\""));
    EXPECT_NE(bad_time.find("/exported_at"), std::string::npos) << bad_time;

    const std::string unknown = parse_error(
        replaced(json, "\"label\": \"Передняя\",", "\"label\": \"Передняя\", \"extra\": 1,"));
    EXPECT_NE(unknown.find("/cameras/0/extra"), std::string::npos) << unknown;

    const std::string not_json = parse_error(json.substr(0, 100));
    EXPECT_NE(not_json.find("not valid JSON"), std::string::npos) << not_json;
}

// Found by fuzz/manifest_fuzz.cpp: a number too large for a double escaped as nlohmann's
// out_of_range, which the tools would have reported as an internal error (70).
TEST(Manifest, ANumberPastADoublesRangeIsADamagedManifestNotACrash) {
    for (const char* json : {"4999e9999", "{\"version\": 1e999}"}) {
        const std::string message = parse_error(json);
        EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
    }
}

TEST(Manifest, AnotherVersionSaysWhichVersionThisExamkitReads) {
    const std::string json =
        replaced(exam::manifest_json(sample_manifest()), "\"version\": 1", "\"version\": 2");
    const std::string message = parse_error(json);
    EXPECT_NE(message.find("version 2"), std::string::npos) << message;
    EXPECT_NE(message.find("reads version 1"), std::string::npos) << message;
}

TEST(ManifestSignature, VerifiesAndATamperedByteFails) {
    const auto key = exam::SigningKey::generate("examkit/ppe/77/0001");
    const std::string json = exam::manifest_json(sample_manifest());
    const std::string signature = exam::sign_manifest(json, key);
    EXPECT_EQ(signature.rfind("examkit/ppe/77/0001 ", 0), 0u);
    EXPECT_EQ(signature.back(), '\n');
    EXPECT_TRUE(exam::manifest_signed_by(json, signature, key.verifier()));

    for (const std::size_t at : {std::size_t{0}, json.size() / 2, json.size() - 1}) {
        std::string tampered = json;
        tampered[at] = static_cast<char>(tampered[at] ^ 0x01);
        EXPECT_FALSE(exam::manifest_signed_by(tampered, signature, key.verifier())) << at;
    }
    const auto other = exam::SigningKey::generate("examkit/ppe/77/0001");
    EXPECT_FALSE(exam::manifest_signed_by(json, signature, other.verifier()));
    EXPECT_FALSE(exam::manifest_signed_by(json, signature + "x\n", key.verifier()));
    EXPECT_FALSE(exam::manifest_signed_by(json, "", key.verifier()));
}

TEST(ManifestSignature, ACheckpointNoteNeverPassesAsAManifestSignatureNorTheOtherWay) {
    const auto key = exam::SigningKey::generate("examkit/ppe/77/0001");
    // A checkpoint note's signature line, offered as manifest.sig over the note's text.
    const std::string text =
        "examkit/ppe/77/0001\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    const std::string note = exam::sign_note(text, key);
    const std::string line = note.substr(note.find("\n\n") + 2);
    const std::string as_manifest_sig = line.substr(line.find(' ') + 1);  // drop the em dash
    EXPECT_FALSE(exam::manifest_signed_by(text, as_manifest_sig, key.verifier()));

    // A manifest signature made into a note's signature line.
    const std::string manifest = text;  // the same bytes, signed as a manifest
    const std::string signature = exam::sign_manifest(manifest, key);
    EXPECT_FALSE(exam::open_note(manifest + "\n\u2014 " + signature, key.verifier()).has_value());
}
