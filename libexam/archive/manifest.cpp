// manifest.json written and read (docs/export-format.md lists every field), and manifest.sig.
#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include <exam/archive/manifest.hpp>
#include <exam/util/base64.hpp>
#include <exam/util/error.hpp>
#include <exam/util/json.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

// The spellings of CoverageState in the manifest: frozen with the format.
constexpr std::array<std::pair<CoverageState, std::string_view>, 4> k_states{{
    {CoverageState::recorded, "recorded"},
    {CoverageState::gap, "gap"},
    {CoverageState::damaged, "damaged"},
    {CoverageState::missing, "missing"},
}};

std::string state_name(CoverageState state) {
    for (const auto& [known, name] : k_states) {
        if (known == state) {
            return std::string{name};
        }
    }
    throw InternalError("a coverage state without a name in the manifest");
}

Json range_json(const TimeRange& range) {
    return Json{{"from", format_utc(range.from)}, {"to", format_utc(range.to)}};
}

Json file_json(const PackageFile& file) {
    Json json;
    json["path"] = file.path;
    json["kind"] = file.kind;
    if (file.start) {
        json["start"] = format_utc(*file.start);
    }
    if (file.end) {
        json["end"] = format_utc(*file.end);
    }
    json["bytes"] = file.bytes;
    json["sha256"] = file.sha256;
    if (file.source) {
        json["source"] = *file.source;
    }
    json["source_sha256"] = file.source_sha256;
    json["recovered"] = file.recovered;
    json["partial"] = file.partial;
    if (file.audio) {
        json["audio"] = *file.audio;
    }
    if (file.journal) {
        json["journal"] = Json{{"seq", file.journal->seq},
                               {"leaf", file.journal->leaf},
                               {"proof", file.journal->proof}};
    }
    return json;
}

Json coverage_json(const CameraCoverage& coverage) {
    Json stretches = Json::array();
    for (const CoverageStretch& stretch : coverage.stretches) {
        Json json = range_json(stretch.range);
        json["state"] = state_name(stretch.state);
        json["reason"] = stretch.reason;
        stretches.push_back(std::move(json));
    }
    return Json{
        {"window", range_json(coverage.window)},  {"recorded_ms", coverage.recorded.count()},
        {"damaged_ms", coverage.damaged.count()}, {"gaps_ms", coverage.gaps.count()},
        {"missing_ms", coverage.missing.count()}, {"stretches", std::move(stretches)}};
}

Json camera_json(const ManifestCamera& camera) {
    Json files = Json::array();
    for (const PackageFile& file : camera.files) {
        files.push_back(file_json(file));
    }
    Json gaps = Json::array();
    for (const ManifestGap& gap : camera.gaps) {
        Json json = range_json(gap.range);
        json["reason"] = gap.reason;
        gaps.push_back(std::move(json));
    }
    Json damage = Json::array();
    for (const ManifestDamage& damaged : camera.damage) {
        Json json = range_json(damaged.range);
        json["packets_lost"] = damaged.packets_lost;
        damage.push_back(std::move(json));
    }
    return Json{{"id", camera.id},
                {"label", camera.label},
                {"room", camera.room},
                {"room_label", camera.room_label},
                {"room_kind", camera.room_kind},
                {"folder", camera.folder},
                {"range", range_json(camera.range)},
                {"files", std::move(files)},
                {"gaps", std::move(gaps)},
                {"damage", std::move(damage)},
                {"coverage", coverage_json(camera.coverage)}};
}

// One JSON object of the manifest being read: every field is asked for by name and type, an
// error names its JSON pointer, and fields nobody asked for are refused at the end (a manifest
// of this version has none).
class Fields {
public:
    Fields(const Json& object, std::string pointer, std::string_view where)
        : m_object(object), m_pointer(std::move(pointer)), m_where(where) {
        if (!m_object.is_object()) {
            fail(m_pointer, _("an object"));
        }
    }

    [[nodiscard]] const Json& field(const std::string& key, std::string_view expected) {
        m_read.insert(key);
        const auto found = m_object.find(key);
        if (found == m_object.end()) {
            throw InputError(
                _f("{}: the manifest has no \"{}\" (expected {}); it was not written "
                   "by examkit's export, or it was edited",
                   m_where, pointer(key), expected));
        }
        return *found;
    }
    [[nodiscard]] bool has(const std::string& key) const { return m_object.contains(key); }

    std::string text(const std::string& key) {
        const Json& value = field(key, _("a string"));
        if (!value.is_string()) {
            fail(pointer(key), _("a string"));
        }
        return value.get<std::string>();
    }
    std::optional<std::string> optional_text(const std::string& key) {
        return has(key) ? std::optional{text(key)} : std::nullopt;
    }
    std::uint64_t count(const std::string& key) {
        const Json& value = field(key, _("a whole number of at least 0"));
        if (!value.is_number_unsigned() &&
            !(value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
            fail(pointer(key), _("a whole number of at least 0"));
        }
        return value.get<std::uint64_t>();
    }
    Milliseconds milliseconds(const std::string& key) {
        return Milliseconds{static_cast<Milliseconds::rep>(count(key))};
    }
    bool flag(const std::string& key) {
        const Json& value = field(key, _("true or false"));
        if (!value.is_boolean()) {
            fail(pointer(key), _("true or false"));
        }
        return value.get<bool>();
    }
    TimePoint time(const std::string& key) {
        const std::string value = text(key);
        const auto parsed = parse_utc(value);
        if (!parsed) {
            fail(pointer(key), _("a UTC time such as \"2026-06-01T07:00:00.000Z\""));
        }
        return *parsed;
    }
    std::optional<TimePoint> optional_time(const std::string& key) {
        return has(key) ? std::optional{time(key)} : std::nullopt;
    }
    TimeRange range(const std::string& key) {
        Fields object = child(key);
        TimeRange range{.from = object.time("from"), .to = object.time("to")};
        object.done();
        return range;
    }
    Fields child(const std::string& key) {
        return Fields{field(key, _("an object")), pointer(key), m_where};
    }
    // The elements of an array, each with its pointer.
    std::vector<std::pair<const Json*, std::string>> items(const std::string& key) {
        const Json& value = field(key, _("an array"));
        if (!value.is_array()) {
            fail(pointer(key), _("an array"));
        }
        std::vector<std::pair<const Json*, std::string>> items;
        for (std::size_t i = 0; i < value.size(); ++i) {
            items.emplace_back(&value[i], pointer(key) + "/" + std::to_string(i));
        }
        return items;
    }
    std::vector<std::string> texts(const std::string& key) {
        std::vector<std::string> texts;
        for (const auto& [item, where] : items(key)) {
            if (!item->is_string()) {
                fail(where, _("a string"));
            }
            texts.push_back(item->get<std::string>());
        }
        return texts;
    }
    // Refuses fields that this version of the format does not have.
    void done() const {
        for (const auto& [key, value] : m_object.items()) {
            if (!m_read.contains(key)) {
                throw InputError(
                    _f("{}: the manifest has a field \"{}\" that format version {} "
                       "does not have; it was edited or written by another program",
                       m_where, pointer(key), k_manifest_format_version));
            }
        }
    }

    [[noreturn]] void fail(const std::string& at, const std::string& expected) const {
        throw InputError(_f("{}: \"{}\" in the manifest must be {}; it was edited or damaged",
                            m_where, at.empty() ? std::string{"/"} : at, expected));
    }

    [[nodiscard]] std::string pointer(const std::string& key) const {
        std::string escaped;  // RFC 6901: "~" and "/" inside a key
        for (const char c : key) {
            escaped += c == '~' ? std::string{"~0"} : c == '/' ? std::string{"~1"} : std::string{c};
        }
        return m_pointer + "/" + escaped;
    }

private:
    const Json& m_object;
    std::string m_pointer;
    std::string_view m_where;
    std::set<std::string> m_read;
};

JournalProof read_journal_proof(Fields fields) {
    JournalProof proof{
        .seq = fields.count("seq"), .leaf = fields.text("leaf"), .proof = fields.texts("proof")};
    fields.done();
    return proof;
}

PackageFile read_file(Fields fields) {
    PackageFile file;
    file.path = fields.text("path");
    file.kind = fields.text("kind");
    file.start = fields.optional_time("start");
    file.end = fields.optional_time("end");
    file.bytes = fields.count("bytes");
    file.sha256 = fields.text("sha256");
    file.source = fields.optional_text("source");
    file.source_sha256 = fields.texts("source_sha256");
    file.recovered = fields.flag("recovered");
    file.partial = fields.flag("partial");
    file.audio = fields.optional_text("audio");
    if (fields.has("journal")) {
        file.journal = read_journal_proof(fields.child("journal"));
    }
    fields.done();
    return file;
}

CoverageState read_state(Fields& fields) {
    const std::string name = fields.text("state");
    for (const auto& [state, known] : k_states) {
        if (known == name) {
            return state;
        }
    }
    fields.fail(fields.pointer("state"),
                _("one of \"recorded\", \"gap\", \"damaged\", \"missing\""));
}

CameraCoverage read_coverage(Fields fields, const ManifestCamera& camera, std::string_view where) {
    CameraCoverage coverage;
    coverage.camera = camera.id;
    coverage.room = camera.room;
    coverage.window = fields.range("window");
    coverage.recorded = fields.milliseconds("recorded_ms");
    coverage.damaged = fields.milliseconds("damaged_ms");
    coverage.gaps = fields.milliseconds("gaps_ms");
    coverage.missing = fields.milliseconds("missing_ms");
    for (const auto& [item, pointer] : fields.items("stretches")) {
        Fields stretch{*item, pointer, where};
        CoverageStretch read{.range = {.from = stretch.time("from"), .to = stretch.time("to")}};
        read.state = read_state(stretch);
        read.reason = stretch.text("reason");
        stretch.done();
        coverage.stretches.push_back(std::move(read));
    }
    fields.done();
    return coverage;
}

ManifestCamera read_camera(Fields fields, std::string_view where) {
    ManifestCamera camera;
    camera.id = fields.text("id");
    camera.label = fields.text("label");
    camera.room = fields.text("room");
    camera.room_label = fields.text("room_label");
    camera.room_kind = fields.text("room_kind");
    camera.folder = fields.text("folder");
    camera.range = fields.range("range");
    for (const auto& [item, pointer] : fields.items("files")) {
        camera.files.push_back(read_file(Fields{*item, pointer, where}));
    }
    for (const auto& [item, pointer] : fields.items("gaps")) {
        Fields gap{*item, pointer, where};
        camera.gaps.push_back(ManifestGap{.range = {.from = gap.time("from"), .to = gap.time("to")},
                                          .reason = gap.text("reason")});
        gap.done();
    }
    for (const auto& [item, pointer] : fields.items("damage")) {
        Fields damage{*item, pointer, where};
        camera.damage.push_back(
            ManifestDamage{.range = {.from = damage.time("from"), .to = damage.time("to")},
                           .packets_lost = damage.count("packets_lost")});
        damage.done();
    }
    camera.coverage = read_coverage(fields.child("coverage"), camera, where);
    fields.done();
    return camera;
}

// The format version comes first: a manifest of another version gets that said, not a list
// of fields it lacks.
void require_known_version(const Json& json, std::string_view where) {
    const auto version = json.find("version");
    if (version == json.end() || !version->is_number_integer()) {
        throw InputError(
            _f("{}: the manifest has no format \"/version\" number; it was not "
               "written by examkit's export, or it was edited",
               where));
    }
    if (version->get<std::int64_t>() != k_manifest_format_version) {
        throw InputError(
            _f("{}: the manifest is of format version {}, and this examkit reads "
               "version {}; check the package with the examkit that wrote it or a "
               "newer one",
               where, version->dump(), k_manifest_format_version));
    }
}

constexpr std::size_t k_signature_blob_size = 4 + 64;  // key id, then the Ed25519 signature

std::string signed_message(std::string_view manifest_bytes) {
    std::string message{k_manifest_signature_context};
    message += manifest_bytes;
    return message;
}

}  // namespace

std::string manifest_json(const Manifest& manifest) {
    Json json;
    json["version"] = manifest.version;
    json["region"] = manifest.region;
    json["ppe"] = manifest.ppe;
    json["site_name"] = manifest.site_name;
    json["timezone"] = manifest.timezone;
    if (manifest.exam) {
        json["exam"] = Json{{"id", manifest.exam->id},
                            {"subject", manifest.exam->subject},
                            {"date", manifest.exam->date},
                            {"start", format_utc(manifest.exam->start)}};
    }
    json["range"] = range_json(manifest.range);
    json["exported_by"] = manifest.exported_by;
    json["exported_at"] = format_utc(manifest.exported_at);
    json["examkit_version"] = manifest.examkit_version;
    json["public_key"] = manifest.public_key;
    if (manifest.checkpoint) {
        json["checkpoint"] = Json{{"note", manifest.checkpoint->note},
                                  {"tree_size", manifest.checkpoint->tree_size},
                                  {"root_hash", manifest.checkpoint->root_hash}};
    }
    Json cameras = Json::array();
    for (const ManifestCamera& camera : manifest.cameras) {
        cameras.push_back(camera_json(camera));
    }
    json["cameras"] = std::move(cameras);
    // Strict: a manifest's text must be valid UTF-8, or its bytes would depend on a repair.
    std::string text;
    try {
        text = json.dump(2, ' ', false, Json::error_handler_t::strict);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(
            _f("the manifest cannot be written: a text in it is not UTF-8 ({})", e.what()));
    }
    text += '\n';
    return text;
}

Manifest parse_manifest(std::string_view json_text, std::string_view where) {
    Json json;
    try {
        json = Json::parse(json_text);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(
            _f("{}: the manifest is not valid JSON (at byte {}); it was damaged or "
               "edited",
               where, e.byte));
    } catch (const nlohmann::json::exception& e) {
        // Well-formed but not storable, such as a number past a double's range (found by
        // fuzz/manifest_fuzz.cpp).
        throw InputError(_f("{}: the manifest is not valid JSON ({}); it was damaged or edited",
                            where, e.what()));
    }
    if (!json.is_object()) {
        throw InputError(
            _f("{}: the manifest must be a JSON object; it was damaged or edited", where));
    }
    require_known_version(json, where);
    Fields fields{json, "", where};
    Manifest manifest;
    manifest.version = static_cast<int>(fields.count("version"));
    manifest.region = fields.text("region");
    manifest.ppe = fields.text("ppe");
    manifest.site_name = fields.text("site_name");
    manifest.timezone = fields.text("timezone");
    if (fields.has("exam")) {
        Fields exam = fields.child("exam");
        manifest.exam = ManifestExam{.id = exam.text("id"),
                                     .subject = exam.text("subject"),
                                     .date = exam.text("date"),
                                     .start = exam.time("start")};
        exam.done();
    }
    manifest.range = fields.range("range");
    manifest.exported_by = fields.text("exported_by");
    manifest.exported_at = fields.time("exported_at");
    manifest.examkit_version = fields.text("examkit_version");
    manifest.public_key = fields.text("public_key");
    if (fields.has("checkpoint")) {
        Fields checkpoint = fields.child("checkpoint");
        manifest.checkpoint = ManifestCheckpoint{.note = checkpoint.text("note"),
                                                 .tree_size = checkpoint.count("tree_size"),
                                                 .root_hash = checkpoint.text("root_hash")};
        checkpoint.done();
    }
    for (const auto& [item, pointer] : fields.items("cameras")) {
        manifest.cameras.push_back(read_camera(Fields{*item, pointer, where}, where));
    }
    fields.done();
    return manifest;
}

std::string sign_manifest(std::string_view manifest_bytes, const SigningKey& key) {
    const auto signature = key.sign(signed_message(manifest_bytes));
    const VerifierKey verifier = key.verifier();
    const std::uint32_t id = verifier.key_id();
    std::vector<std::uint8_t> blob{
        static_cast<std::uint8_t>(id >> 24), static_cast<std::uint8_t>(id >> 16),
        static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)};
    blob.insert(blob.end(), signature.begin(), signature.end());
    return verifier.name() + " " + base64_encode(blob) + "\n";
}

bool manifest_signed_by(std::string_view manifest_bytes, std::string_view signature,
                        const VerifierKey& key) {
    // Exactly one line "<name> <base64>\n": nothing before, nothing after.
    if (signature.empty() || signature.back() != '\n') {
        return false;
    }
    signature.remove_suffix(1);
    const std::size_t space = signature.find(' ');
    if (space == std::string_view::npos || signature.substr(0, space) != key.name() ||
        signature.find_first_of(" \n\r", space + 1) != std::string_view::npos) {
        return false;
    }
    const auto blob = base64_decode(signature.substr(space + 1));
    if (!blob || blob->size() != k_signature_blob_size) {
        return false;
    }
    const std::uint32_t id = (std::uint32_t{(*blob)[0]} << 24) | (std::uint32_t{(*blob)[1]} << 16) |
                             (std::uint32_t{(*blob)[2]} << 8) | std::uint32_t{(*blob)[3]};
    return id == key.key_id() &&
           key.verify(signed_message(manifest_bytes), std::span{*blob}.subspan(4));
}

}  // namespace exam
