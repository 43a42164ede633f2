// The `http` check over libcurl: HTTP and HTTPS (certificates checked against the system's
// store unless `verify_tls = false`), redirects followed (at most 5, to http or https only)
// unless `follow_redirects = false`, the whole exchange within the check's budget. The body is
// read and thrown away; only the final status counts.
#include <mutex>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <exam/util/duration.hpp>
#include <exam/util/translate.hpp>

#include "precheck/check_values.hpp"
#include "precheck/exam_point_probes.hpp"

namespace exam {
namespace {

constexpr long k_most_redirects = 5;

// curl_global_init() must run once, before any thread uses libcurl.
void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t discard_body(char*, std::size_t size, std::size_t count, void*) {
    return size * count;
}

CheckResult error_result(std::string message) {
    CheckResult result;
    result.status = CheckStatus::error;
    result.message = std::move(message);
    return result;
}

}  // namespace

CheckResult probe_http(const nlohmann::json& parameters, const ProbeContext& context) {
    const std::string url = parameters["url"];
    const int expected_status = parameters.value("expect_status", 200);
    const bool follow = parameters.value("follow_redirects", true);
    const bool verify_tls = parameters.value("verify_tls", true);
    if (!check_values::parse_http_url(url)) {  // checked when the suite loaded
        return error_result(_f("\"{}\" is not an http:// or https:// address", url));
    }
    init_curl_once();
    const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl{curl_easy_init(),
                                                                   &curl_easy_cleanup};
    if (!curl) {
        return error_result(_("libcurl could not start a transfer (out of memory?)"));
    }
    const auto budget = static_cast<long>(context.budget().count());
    char problem[CURL_ERROR_SIZE] = {};
    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, follow ? 1L : 0L);
    curl_easy_setopt(handle, CURLOPT_MAXREDIRS, k_most_redirects);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, verify_tls ? 1L : 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, verify_tls ? 2L : 0L);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, budget);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // checks run on threads
    curl_easy_setopt(handle, CURLOPT_USERAGENT, "exam-precheck");
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, problem);
    const CURLcode code = curl_easy_perform(handle);

    CheckResult result;
    result.expected = _f("HTTP status {}", expected_status);
    const std::string why = problem[0] != '\0' ? problem : curl_easy_strerror(code);
    curl_off_t connected_us = 0;
    curl_easy_getinfo(handle, CURLINFO_CONNECT_TIME_T, &connected_us);
    switch (code) {
        case CURLE_OK: break;
        case CURLE_OPERATION_TIMEDOUT:
            if (connected_us > 0) {
                return error_result(_f("{} accepted the connection but did not answer within {}",
                                       url, format_duration(context.timeout)));
            }
            result.status = CheckStatus::fail;
            result.message =
                _f("cannot connect to {} within {}", url, format_duration(context.timeout));
            return result;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
            result.status = CheckStatus::fail;
            result.message = _f("cannot connect to {}: {}", url, why);
            return result;
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
            result.status = CheckStatus::fail;
            result.message =
                _f("{}: the server's certificate is not trusted ({}); if the server uses a "
                   "certificate of its own, install its CA on this machine, or set "
                   "verify_tls = false in the check",
                   url, why);
            return result;
        case CURLE_TOO_MANY_REDIRECTS:
            return error_result(
                _f("{} redirected more than {} times: {}", url, k_most_redirects, why));
        default: return error_result(_f("{} did not answer with HTTP: {}", url, why));
    }
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    char* final_url = nullptr;
    curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &final_url);
    result.observed = Observed{static_cast<double>(status), "HTTP status"};
    result.status = status == expected_status ? CheckStatus::pass : CheckStatus::fail;
    result.message = final_url != nullptr && url != final_url
                         ? _f("{} answered {} (redirected to {})", url, status, final_url)
                         : _f("{} answered {}", url, status);
    return result;
}

}  // namespace exam
