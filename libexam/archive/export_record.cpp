#include <exam/archive/export_record.hpp>

#include <nlohmann/json.hpp>

#include <exam/util/error.hpp>
#include <exam/util/filesystem.hpp>
#include <exam/util/translate.hpp>

namespace exam {

namespace {
constexpr int k_record_version = 1;
}

const VerifiedFile* ExportRecord::find(std::string_view path) const {
    for (const auto& file : files) {
        if (file.path == path) {
            return &file;
        }
    }
    return nullptr;
}

std::optional<ExportRecord> read_export_record(const std::filesystem::path& package_folder) {
    const auto file = package_folder / k_export_record_name;
    std::error_code error;
    if (!std::filesystem::exists(file, error)) {
        return std::nullopt;
    }
    const std::string text = read_text_file(file, _("the export's progress record"));
    try {
        const auto json = nlohmann::json::parse(text);
        if (json.at("version").get<int>() != k_record_version) {
            throw std::invalid_argument("version");
        }
        ExportRecord record;
        record.request = json.at("request").get<std::string>();
        for (const auto& entry : json.at("files")) {
            record.files.push_back({entry.at("path").get<std::string>(),
                                    entry.at("bytes").get<std::uint64_t>(),
                                    entry.at("sha256").get<std::string>()});
        }
        return record;
    } catch (const std::exception&) {
        throw InputError(
            _f("\"{}\" is not an export progress record this version of examkit "
               "wrote; remove it and export into an empty folder",
               file.string()));
    }
}

void write_export_record(const std::filesystem::path& package_folder, const ExportRecord& record) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& file : record.files) {
        files.push_back({{"path", file.path}, {"bytes", file.bytes}, {"sha256", file.sha256}});
    }
    const nlohmann::json json{
        {"version", k_record_version}, {"request", record.request}, {"files", files}};
    write_file_atomically(package_folder / k_export_record_name, json.dump(2) + "\n", 0644,
                          Overwrite::allow);
}

}  // namespace exam
