#include <exam/service/recording_request.hpp>
#include <exam/util/error.hpp>
#include <exam/util/translate.hpp>

namespace exam {

Milliseconds heartbeat_interval(const std::string& written, bool terminal) {
    if (written.empty()) {
        // A person watching a terminal wants to see that it lives; a log file does not.
        return terminal ? std::chrono::minutes{1} : Milliseconds{0};
    }
    const auto every = written == "0" ? std::optional<Milliseconds>{0} : parse_duration(written);
    if (!every) {
        throw UsageError(
            _f("--heartbeat {}: expected {}, or 0 for none", written, duration_syntax()));
    }
    return *every;
}

}  // namespace exam
