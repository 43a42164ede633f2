// The printer check: asks CUPS over IPP whether a queue exists, is enabled (not stopped) and
// accepts jobs. The answer is CUPS's own state, not lpstat's localised text.
#include <cups/cups.h>

#include <exam/util/text.hpp>
#include <exam/util/translate.hpp>

#include "devices/devices_api.hpp"

namespace exam {
namespace {

struct HttpConnection {
    http_t* http = nullptr;
    ~HttpConnection() {
        if (http != nullptr) {
            httpClose(http);
        }
    }
};

struct IppMessage {
    ipp_t* ipp = nullptr;
    ~IppMessage() {
        if (ipp != nullptr) {
            ippDelete(ipp);
        }
    }
};

struct Server {
    std::string host;  // a host name, or a socket path
    int port = 631;
    [[nodiscard]] std::string text() const {
        return host.starts_with('/') ? host : host + ":" + std::to_string(port);
    }
};

// "host:port", "host", or a socket path; empty: CUPS's own default (CUPS_SERVER, client.conf).
Server server_from(const std::string& written) {
    Server server{written.empty() ? cupsServer() : written, ippPort()};
    if (server.host.starts_with('/')) {
        return server;
    }
    const auto colon = server.host.rfind(':');
    if (colon != std::string::npos && server.host.find(']', colon) == std::string::npos) {
        server.port = std::stoi(server.host.substr(colon + 1));
        server.host.resize(colon);
    }
    return server;
}

std::vector<std::string> printer_names(http_t* http) {
    IppMessage request{ippNewRequest(IPP_OP_CUPS_GET_PRINTERS)};
    ippAddString(request.ipp, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", nullptr,
                 "printer-name");
    IppMessage response{cupsDoRequest(http, request.ipp, "/")};
    request.ipp = nullptr;  // cupsDoRequest frees the request
    std::vector<std::string> names;
    if (response.ipp == nullptr) {
        return names;
    }
    for (ipp_attribute_t* attribute = ippFindAttribute(response.ipp, "printer-name", IPP_TAG_NAME);
         attribute != nullptr;
         attribute = ippFindNextAttribute(response.ipp, "printer-name", IPP_TAG_NAME)) {
        names.emplace_back(ippGetString(attribute, 0, nullptr));
    }
    return names;
}

std::string listed(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) {
        text += (text.empty() ? "" : ", ") + name;
    }
    return text.empty() ? _("none") : text;
}

}  // namespace
}  // namespace exam

exam::CheckResult exam_devices_probe_printer(const nlohmann::json& parameters,
                                             const exam::ProbeContext& context) {
    using namespace exam;
    const std::string name = parameters["name"];
    const Server server = server_from(parameters.value("server", std::string{}));
    CheckResult result;
    result.expected = _f("printer {} enabled and accepting jobs", name);

    HttpConnection connection{httpConnect2(server.host.c_str(), server.port, nullptr, AF_UNSPEC,
                                           HTTP_ENCRYPTION_IF_REQUESTED, 1,
                                           static_cast<int>(context.budget().count()), nullptr)};
    if (connection.http == nullptr) {
        // Neither errno nor CUPS's own text ("Host is down") says reliably why; the address
        // and the likely cause do.
        result.status = CheckStatus::error;
        result.message =
            _f("nothing answers at the print server {}; is cupsd running and "
               "listening there?",
               server.text());
        return result;
    }
    char uri[HTTP_MAX_URI];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", 0,
                     "/printers/%s", name.c_str());
    IppMessage request{ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES)};
    ippAddString(request.ipp, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri);
    static const char* const k_attributes[] = {"printer-state", "printer-is-accepting-jobs",
                                               "printer-state-message"};
    ippAddStrings(request.ipp, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  std::size(k_attributes), nullptr, k_attributes);
    IppMessage response{cupsDoRequest(connection.http, request.ipp, "/")};
    request.ipp = nullptr;
    const ipp_status_t status = cupsLastError();
    if (status == IPP_STATUS_ERROR_NOT_FOUND) {
        const std::vector<std::string> names = printer_names(connection.http);
        result.status = CheckStatus::fail;
        result.observed = Observed{_("missing"), ""};
        result.message =
            _f("no printer {} on {}; its printers: {}", name, server.text(), listed(names)) +
            did_you_mean(name, names);
        return result;
    }
    if (response.ipp == nullptr || status > IPP_STATUS_OK_EVENTS_COMPLETE) {
        result.status = CheckStatus::error;
        result.message = _f("the print server {} did not describe printer {}: {}", server.text(),
                            name, cupsLastErrorString());
        return result;
    }
    ipp_attribute_t* state_attribute =
        ippFindAttribute(response.ipp, "printer-state", IPP_TAG_ENUM);
    ipp_attribute_t* accepting_attribute =
        ippFindAttribute(response.ipp, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
    ipp_attribute_t* message_attribute =
        ippFindAttribute(response.ipp, "printer-state-message", IPP_TAG_TEXT);
    const int state = state_attribute ? ippGetInteger(state_attribute, 0) : IPP_PSTATE_STOPPED;
    const bool accepting = accepting_attribute && ippGetBoolean(accepting_attribute, 0) != 0;
    const bool enabled = state != IPP_PSTATE_STOPPED;
    const std::string state_text = !enabled                   ? _("disabled")
                                   : state == IPP_PSTATE_IDLE ? _("idle")
                                                              : _("printing");
    result.observed = Observed{
        _f("{}, {}", state_text, accepting ? _("accepting jobs") : _("rejecting jobs")), ""};
    result.status = enabled && accepting ? CheckStatus::pass : CheckStatus::fail;
    result.message = _f("printer {} on {} is {}", name, server.text(),
                        std::get<std::string>(result.observed.value));
    if (const char* why = message_attribute ? ippGetString(message_attribute, 0, nullptr) : nullptr;
        why != nullptr && *why != '\0') {
        result.message += _f(" ({})", why);
    }
    return result;
}
