// The control socket's server over real Unix sockets in a temporary folder: round trips,
// errors, garbage that costs its connection only, limits, and a second service.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <exam/core/site.hpp>
#include <exam/service/control_socket.hpp>
#include <exam/service/service_client.hpp>

#include "support/background_process.hpp"
#include "support/control_socket.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::eventually;
using exam::testing::RawClient;
using exam::testing::send_and_read_all;
using exam::testing::ServingControlServer;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr gid_t k_control_group = 4242;  // needs no name: the kernel only compares numbers

const std::string k_status = R"({"v": 1, "command": "status"})";

// Answers every command with three progress lines and the command and caller it saw.
void echo_handler(const exam::Caller& caller, const std::string& command,
                  const std::string& request, exam::ReplyStream& reply) {
    for (int step = 1; step <= 3; ++step) {
        reply.progress(json{{"progress", {{"step", step}}}}.dump());
    }
    reply.finish(json{{"ok", true},
                      {"command", command},
                      {"request", request},
                      {"uid", caller.uid},
                      {"pid", caller.pid},
                      {"user", caller.user},
                      {"display", caller.display()}}
                     .dump());
}

// The error reply in `text`, the one line a garbage request gets before its connection ends.
json only_error_reply(const std::optional<std::string>& text) {
    EXPECT_TRUE(text.has_value());
    if (!text) {
        return {};
    }
    EXPECT_EQ(std::count(text->begin(), text->end(), '\n'), 1) << *text;
    const json reply = json::parse(*text);
    EXPECT_EQ(reply["ok"], false);
    return reply["error"];
}

class ControlSocketTest : public exam::testing::TempDirTest {
protected:
    std::filesystem::path socket = temp / "exam-camera.sock";
    exam::ControlAccess access{0, k_control_group, "examkit"};
    std::atomic<int> calls{0};

    exam::ControlHandler counting(exam::ControlHandler handler) {
        return [this, handler](const exam::Caller& caller, const std::string& command,
                               const std::string& request, exam::ReplyStream& reply) {
            ++calls;
            handler(caller, command, request, reply);
        };
    }

    // The next good client is served: every garbage test ends with this.
    void expect_served() {
        const json reply = json::parse(exam::ask_service(socket, k_status));
        EXPECT_EQ(reply["command"], "status");
    }
};

TEST(ControlSocketPath, IsTheDataFoldersExamCameraSock) {
    const exam::Site site{.timezone = *exam::TimeZone::find("Europe/Moscow"),
                          .paths = {.data = "/var/lib/examkit/data"}};
    EXPECT_EQ(exam::control_socket_path(site), "/var/lib/examkit/data/exam-camera.sock");
}

TEST_F(ControlSocketTest, RoundTripCarriesProgressLinesThenTheFinalReply) {
    ServingControlServer serving(socket, access, echo_handler);
    std::vector<json> progress;
    const std::string final_reply = exam::ask_service(
        socket, k_status, [&](const std::string& line) { progress.push_back(json::parse(line)); });
    ASSERT_EQ(progress.size(), 3U);
    EXPECT_EQ(progress[2]["progress"]["step"], 3);
    const json reply = json::parse(final_reply);
    EXPECT_EQ(reply["ok"], true);
    EXPECT_EQ(reply["command"], "status");
    EXPECT_EQ(reply["request"], k_status);
}

TEST_F(ControlSocketTest, HandlerSeesTheCallerTheKernelNames) {
    ServingControlServer serving(socket, access, echo_handler);
    const json reply = json::parse(exam::ask_service(socket, k_status));
    EXPECT_EQ(reply["uid"], ::getuid());
    EXPECT_EQ(reply["pid"], ::getpid());
    EXPECT_EQ(reply["user"], "root");  // tests run as root (docs/ARCHITECTURE.md, Tests)
}

TEST_F(ControlSocketTest, SocketIsMode0660AndBelongsToTheControlGroup) {
    ServingControlServer serving(socket, access, echo_handler);
    struct stat info {};
    ASSERT_EQ(::stat(socket.c_str(), &info), 0);
    EXPECT_TRUE(S_ISSOCK(info.st_mode));
    EXPECT_EQ(info.st_mode & 07777, 0660U);
    EXPECT_EQ(info.st_gid, k_control_group);
}

TEST_F(ControlSocketTest, SocketFileIsRemovedWhenTheServerEnds) {
    {
        ServingControlServer serving(socket, access, echo_handler);
        EXPECT_TRUE(exam::service_running(socket));
    }
    EXPECT_FALSE(std::filesystem::exists(socket));
}

TEST_F(ControlSocketTest, HandlerErrorsReachTheClientAsTheirOwnTypes) {
    ServingControlServer serving(socket, access,
                                 [](const exam::Caller&, const std::string&,
                                    const std::string& request, exam::ReplyStream& reply) {
                                     const std::string kind = json::parse(request)["throw"];
                                     reply.progress(R"({"progress": "about to fail"})");
                                     if (kind == "usage")
                                         throw exam::UsageError("inside the window: give --force");
                                     if (kind == "input")
                                         throw exam::InputError("bad time");
                                     if (kind == "device")
                                         throw exam::DeviceError("camera 0101-1 failed");
                                     if (kind == "storage")
                                         throw exam::StorageError("disk full");
                                     if (kind == "permission")
                                         throw exam::PermissionError("not you");
                                     if (kind == "config")
                                         throw exam::ConfigError("bad site");
                                     if (kind == "other")
                                         throw std::runtime_error("boom");
                                     // "silent": returns without a final reply
                                 });
    const auto ask = [&](const std::string& kind) {
        exam::ask_service(socket, json{{"v", 1}, {"command", "x"}, {"throw", kind}}.dump());
    };
    EXPECT_THROW(ask("usage"), exam::UsageError);
    EXPECT_THROW(ask("input"), exam::InputError);
    EXPECT_THROW(ask("device"), exam::DeviceError);
    EXPECT_THROW(ask("storage"), exam::StorageError);
    EXPECT_THROW(ask("permission"), exam::PermissionError);
    EXPECT_THROW(ask("config"), exam::ConfigError);
    EXPECT_THROW(ask("other"), exam::InternalError);
    EXPECT_THROW(ask("silent"), exam::InternalError);
    try {
        ask("usage");
        FAIL() << "no error";
    } catch (const exam::UsageError& error) {
        EXPECT_STREQ(error.what(), "inside the window: give --force");
        EXPECT_EQ(error.exit_code(), exam::ExitCode::usage);
    }
    try {
        ask("other");
    } catch (const exam::InternalError& error) {
        EXPECT_NE(std::string{error.what()}.find("boom"), std::string::npos) << error.what();
    }
}

TEST_F(ControlSocketTest, GarbageRequestsCostTheirConnectionOnly) {
    ServingControlServer serving(socket, access, counting(echo_handler));
    const std::vector<std::pair<std::string, std::string>> garbage = {
        {"not json\n", "not JSON"},
        {"[1, 2]\n", "not a JSON object"},
        {"\"status\"\n", "not a JSON object"},
        {R"({"command": "status"})"
         "\n",
         "no protocol version"},
        {R"({"v": 2, "command": "status"})"
         "\n",
         "version 2"},
        {R"({"v": "1", "command": "status"})"
         "\n",
         "protocol version"},
        {R"({"v": 1})"
         "\n",
         "no \"command\""},
        {R"({"v": 1, "command": 7})"
         "\n",
         "no \"command\""},
        {std::string("\x00\xff\xfe{\"v\":\x01}\n", 12), "not JSON"},
        {"{\"v\": 1, \"command\": \"\xff\xfe\"}\n", "not JSON"},
    };
    for (const auto& [bytes, said] : garbage) {
        const json error = only_error_reply(send_and_read_all(socket, bytes));
        EXPECT_EQ(error["code"], 65) << bytes;
        EXPECT_NE(error["message"].get<std::string>().find(said), std::string::npos)
            << bytes << " -> " << error["message"];
    }
    EXPECT_EQ(calls, 0);
    expect_served();
}

TEST_F(ControlSocketTest, OverlongLineCostsItsConnectionOnly) {
    ServingControlServer serving(socket, access, counting(echo_handler));
    RawClient client(socket);
    client.send(std::string(64 * 1024 + 1, 'a'));
    const json error = only_error_reply(client.read_to_end(20s));
    EXPECT_EQ(error["code"], 65);
    EXPECT_NE(error["message"].get<std::string>().find("longer than 65536 bytes"),
              std::string::npos);
    EXPECT_EQ(calls, 0);
    expect_served();
}

TEST_F(ControlSocketTest, ClientThatSaysNothingIsCutOffAndItsThreadEnds) {
    ServingControlServer serving(socket, access, counting(echo_handler),
                                 {.request_timeout = 300ms});
    RawClient silent(socket);
    RawClient half_a_line(socket);
    half_a_line.send(R"({"v": 1, "comm)");
    for (RawClient* client : {&silent, &half_a_line}) {
        const json error = only_error_reply(client->read_to_end(20s));
        EXPECT_NE(error["message"].get<std::string>().find("no request came within 300 ms"),
                  std::string::npos);
    }
    EXPECT_TRUE(eventually([&] { return serving.server().live_connections() == 0; }, 20s));
    EXPECT_EQ(calls, 0);
    expect_served();
}

TEST_F(ControlSocketTest, ClientThatHangsUpMidReplyCostsNothing) {
    std::atomic<bool> handler_done{false};
    ServingControlServer serving(
        socket, access,
        [&](const exam::Caller&, const std::string&, const std::string&, exam::ReplyStream& reply) {
            for (int step = 0; step < 2000; ++step) {
                reply.progress(json{{"progress", step}}.dump());
            }
            reply.finish(R"({"ok": true})");
            handler_done = true;
        });
    {
        RawClient client(socket);
        client.send(k_status + "\n");
        ASSERT_TRUE(client.read_line(20s).has_value());
    }  // gone, with progress lines still coming: the server writes into a closed socket
    EXPECT_TRUE(eventually([&] { return handler_done.load(); }, 20s));
    const json reply = json::parse(exam::ask_service(socket, k_status));
    EXPECT_EQ(reply["ok"], true);
}

TEST_F(ControlSocketTest, ClientThatStopsReadingIsCutOff) {
    std::atomic<bool> handler_done{false};
    ServingControlServer serving(
        socket, access,
        [&](const exam::Caller&, const std::string&, const std::string&, exam::ReplyStream& reply) {
            const std::string big(60 * 1024, 'x');
            for (int step = 0; step < 200; ++step) {  // ~12 MB: far more than a socket buffers
                reply.progress(json{{"progress", big}}.dump());
            }
            reply.finish(R"({"ok": true})");
            handler_done = true;
        },
        {.write_timeout = 300ms});
    RawClient client(socket);
    client.send(k_status + "\n");  // and never reads
    EXPECT_TRUE(eventually([&] { return handler_done.load(); }, 30s));
    EXPECT_TRUE(eventually([&] { return serving.server().live_connections() == 0; }, 20s));
}

TEST_F(ControlSocketTest, ConnectionsBeyondTheCapGetBusyAndLaterClientsAreServed) {
    ServingControlServer serving(socket, access, counting(echo_handler));
    std::vector<std::unique_ptr<RawClient>> idle;
    for (int n = 0; n < 32; ++n) {
        idle.push_back(std::make_unique<RawClient>(socket));
    }
    ASSERT_TRUE(eventually([&] { return serving.server().live_connections() == 32; }, 20s));
    const json error = only_error_reply(send_and_read_all(socket, k_status + "\n"));
    EXPECT_EQ(error["code"], 69);
    EXPECT_NE(error["message"].get<std::string>().find("busy"), std::string::npos);
    EXPECT_THROW(exam::ask_service(socket, k_status), exam::DeviceError);
    idle.clear();
    EXPECT_TRUE(eventually([&] { return serving.server().live_connections() == 0; }, 20s));
    expect_served();
}

TEST_F(ControlSocketTest, ServeReturnsSoonAfterStopEvenWithAClientConnected) {
    std::optional<ServingControlServer> serving;
    serving.emplace(socket, access, echo_handler);
    RawClient silent(socket);  // held by the default 10 s request timeout otherwise
    ASSERT_TRUE(eventually([&] { return serving->server().live_connections() == 1; }, 20s));
    EXPECT_LT(serving->stop(), 1s);  // serve() polls its flag every 100 ms
    const auto asked = std::chrono::steady_clock::now();
    serving.reset();  // joins the connection's thread, which sees the stop too
    EXPECT_LT(std::chrono::steady_clock::now() - asked, 5s);
}

TEST_F(ControlSocketTest, StaleSocketFileOfACrashIsReplaced) {
    {  // a socket bound and never removed: what a kill -9 leaves
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, socket.c_str(), sizeof(address.sun_path) - 1);
        ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
        ::close(fd);
    }
    ASSERT_TRUE(std::filesystem::is_socket(socket));
    EXPECT_THROW(exam::ask_service(socket, k_status), exam::ServiceNotRunning);
    ServingControlServer serving(socket, access, echo_handler);
    expect_served();
}

TEST_F(ControlSocketTest, SecondServiceIsRefusedAndNamesTheRunningOnesPid) {
    ServingControlServer serving(socket, access, echo_handler);
    try {
        exam::ControlServer second(socket, access, echo_handler);
        FAIL() << "a second service bound the socket";
    } catch (const exam::UsageError& error) {
        EXPECT_NE(std::string{error.what()}.find("a recording service is already running (pid " +
                                                 std::to_string(::getpid()) + ")"),
                  std::string::npos)
            << error.what();
    }
    expect_served();  // the first one's socket is untouched
}

TEST_F(ControlSocketTest, FileInTheWayThatIsNoSocketIsKept) {
    temp.write("exam-camera.sock", "someone's notes");
    EXPECT_THROW(exam::ControlServer(socket, access, echo_handler), exam::StorageError);
    EXPECT_EQ(exam::testing::read_file(socket), "someone's notes");
}

TEST_F(ControlSocketTest, PathTooLongForAUnixSocketIsAConfigErrorNamingIt) {
    const std::filesystem::path deep = temp / std::string(120, 'd') / "exam-camera.sock";
    try {
        exam::ControlServer server(deep, access, echo_handler);
        FAIL() << "bound a path longer than sun_path";
    } catch (const exam::ConfigError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find(deep.string()), std::string::npos) << message;
        EXPECT_NE(message.find("at most 107"), std::string::npos) << message;
        EXPECT_NE(message.find("[paths] data"), std::string::npos) << message;
    }
    EXPECT_THROW(exam::ask_service(deep, k_status), exam::ConfigError);
}

}  // namespace
