#include <fmt/format.h>

#include <exam/util/error.hpp>

namespace exam {

// Anchors the vtable in the shared library so that catching by type works across it.
Error::~Error() = default;

RecordedText recorded_text(const std::exception& failure) {
    if (const auto* ours = dynamic_cast<const Error*>(&failure)) {
        return {ours->recorded(), ours->what()};
    }
    return {failure.what(), failure.what()};
}

ConfigError::ConfigError(const std::string& message) : Error(message) {}

ConfigError::ConfigError(const std::filesystem::path& file, int line, int column,
                         const std::string& message)
    : Error(fmt::format("{}:{}:{}: {}", file.string(), line, column, message)),
      m_line(line),
      m_column(column) {}

}  // namespace exam
