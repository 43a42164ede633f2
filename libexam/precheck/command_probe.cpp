#include "precheck/command_probe.hpp"

#include <exam/precheck/script_report.hpp>
#include <exam/util/subprocess.hpp>
#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "precheck/check_values.hpp"

namespace exam {
namespace {

using nlohmann::json;

// Enough of a failing command's output to say why; the rest is in the script's own logs.
constexpr std::size_t k_shown_output_bytes = 300;

CheckResult outcome(CheckStatus status, std::string message) {
    CheckResult result;
    result.status = status;
    result.message = std::move(message);
    return result;
}

std::string shortened(std::string output) {
    if (output.size() <= k_shown_output_bytes) {
        return output;
    }
    std::size_t cut = k_shown_output_bytes;
    while (cut > 0 && (static_cast<unsigned char>(output[cut]) & 0xC0) == 0x80) {
        --cut;  // not inside a UTF-8 character
    }
    return output.substr(0, cut) + "…";
}

SubprocessRequest command_request(const json& parameters, const ProbeContext& context) {
    SubprocessRequest request;
    if (parameters.contains("run")) {
        request.argv = {"/bin/sh", "-c", parameters["run"].get<std::string>()};
    } else {
        request.argv = parameters["argv"].get<std::vector<std::string>>();
        // A relative program is the site's own script in the suite's folder; a bare name
        // that is not there (lpstat, systemctl) is looked up in PATH.
        const std::string& program = request.argv[0];
        std::error_code ignored;
        if (!program.empty() && program.front() != '/' &&
            (program.find('/') != std::string::npos ||
             std::filesystem::exists(context.suite_folder / program, ignored))) {
            request.argv[0] = (context.suite_folder / program).string();
        }
    }
    request.working_directory = context.suite_folder;
    request.timeout = context.budget();
    return request;
}

}  // namespace

CheckResult probe_command(const json& parameters, const ProbeContext& context) {
    const SubprocessResult run = run_subprocess(command_request(parameters, context));
    if (run.timed_out) {
        return outcome(CheckStatus::error,
                       _f("the command did not finish within {}", format_span(context.timeout)));
    }
    if (!run.exited()) {
        return outcome(CheckStatus::error, _f("the command was ended by signal {}", run.signal));
    }
    if (auto report = read_script_report(run.standard_output)) {
        return std::move(*report);
    }
    const int expected_exit = parameters.value("expect_exit", 0);
    CheckResult result;
    result.observed = Observed{static_cast<double>(run.exit_code), "exit code"};
    result.expected = _f("exit code {}", expected_exit);
    if (run.exit_code != expected_exit) {
        const std::string output = shortened(std::string{
            trim_spaces(run.standard_error.empty() ? run.standard_output : run.standard_error)});
        result.status = CheckStatus::fail;
        result.message = _f("the command exited with {}, expected {}{}", run.exit_code,
                            expected_exit, output.empty() ? "" : ": " + output);
        return result;
    }
    if (parameters.contains("expect_output")) {
        const std::string pattern = parameters["expect_output"].get<std::string>();
        result.expected += _f(" and output matching /{}/", pattern);
        std::string error;
        const auto compiled = check_values::compile_output_pattern(pattern, error);
        if (!compiled) {
            return outcome(CheckStatus::error, _f("\"expect_output\" cannot be used: {}", error));
        }
        if (!std::regex_search(run.standard_output, *compiled)) {
            result.status = CheckStatus::fail;
            result.message = _f("the output does not match /{}/", pattern);
            return result;
        }
    }
    result.status = CheckStatus::pass;
    result.message = _f("the command exited with {}", run.exit_code);
    return result;
}

}  // namespace exam
