// The typed failures that reach the user, and the exit codes they map to.
//
// They live in util, the bottom layer, because util itself must report failures a user can
// cause (a database on a network filesystem, an unreadable file) and util includes nothing of
// ours. Everything above throws these same types; tools/common maps them to exit codes once.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include <exam/export.hpp>
#include <exam/util/recorded_text.hpp>

namespace exam {

// The documented exit codes (docs/exit-codes.md). Values are part of the interface.
enum class ExitCode : int {
    ok = 0,
    warnings = 1,         // pre-check: warnings only
    negative = 2,         // a check failed, a verification failed, a person was refused
    could_not_check = 3,  // a check errored, an origin could not be established
    usage = 64,
    bad_input = 65,
    unavailable = 69,  // a device or service: camera, recorder
    internal = 70,
    storage = 74,        // I/O or storage
    no_permission = 77,  // the caller may not do this (EX_NOPERM)
    config = 78,
    interrupted = 130,
};

class EXAM_EXPORT Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    // A failure that may also go into a record (a recording's gap, a journal entry): what() is
    // in the user's language, recorded() in English.
    explicit Error(const RecordedText& text)
        : std::runtime_error(text.shown), m_recorded(text.recorded) {}
    ~Error() override;
    [[nodiscard]] virtual ExitCode exit_code() const noexcept { return ExitCode::internal; }
    // The failure as a record keeps it: English when it was made so, else what() as it is.
    [[nodiscard]] std::string recorded() const { return m_recorded.empty() ? what() : m_recorded; }

private:
    std::string m_recorded;
};

// Any failure as a record keeps it and a person reads it (Error::recorded(), or what() twice).
EXAM_EXPORT RecordedText recorded_text(const std::exception& failure);

// The command line was used wrongly in a way the argument parser could not see.
class EXAM_EXPORT UsageError : public Error {
public:
    using Error::Error;
    [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::usage; }
};

// Data handed to us (a roster, a time, a document) is malformed.
class EXAM_EXPORT InputError : public Error {
public:
    using Error::Error;
    [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::bad_input; }
};

// A camera, recorder or other service did not answer.
class EXAM_EXPORT DeviceError : public Error {
public:
    using Error::Error;
    [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::unavailable; }
};

// Reading or writing storage failed: disk full, permissions, a corrupt or foreign database.
class EXAM_EXPORT StorageError : public Error {
public:
    using Error::Error;
    [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::storage; }
};

// The person running the command may not do it: a user outside the recording service's control
// group. Not a file's permissions (that is StorageError): a rule about people.
class EXAM_EXPORT PermissionError : public Error {
public:
    using Error::Error;
    [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::no_permission; }
};

// A configuration file is missing or wrong. When the place is known, the message starts with
// `FILE:LINE:COL: ` like a compiler's, so editors can jump to it.
class EXAM_EXPORT ConfigError : public Error {
public:
    explicit ConfigError(const std::string& message);
    ConfigError(const std::filesystem::path& file, int line, int column,
                const std::string& message);

    [[nodiscard]] ExitCode exit_code() const noexcept override { return ExitCode::config; }
    [[nodiscard]] int line() const noexcept { return m_line; }
    [[nodiscard]] int column() const noexcept { return m_column; }

private:
    int m_line = 0;
    int m_column = 0;
};

// A bug or an impossible state: the user can do nothing but report it.
class EXAM_EXPORT InternalError : public Error {
public:
    using Error::Error;
};

}  // namespace exam
