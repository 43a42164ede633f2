// The client's side: nobody listening, a service that hangs, hangs up or talks nonsense.
#include <cstring>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <exam/service/control_socket.hpp>
#include <exam/service/service_client.hpp>

#include "support/background_process.hpp"
#include "support/control_socket.hpp"
#include "support/temp_dir.hpp"

namespace {

using exam::testing::ServingControlServer;
using namespace std::chrono_literals;

const std::string k_status = R"({"v": 1, "command": "status"})";

// A listener that accepts one connection, reads the request line and answers `reply` (raw
// bytes) before hanging up: a service that misbehaves.
class OneShotServer {
public:
    OneShotServer(const std::filesystem::path& socket, std::string reply) {
        m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, socket.c_str(), sizeof(address.sun_path) - 1);
        if (::bind(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
            ::listen(m_fd, 1) != 0) {
            throw std::runtime_error("cannot listen on " + socket.string());
        }
        m_thread = std::thread([this, reply = std::move(reply)] {
            const int connection = ::accept(m_fd, nullptr, nullptr);
            char byte = 0;
            while (::read(connection, &byte, 1) == 1 && byte != '\n') {
            }
            if (!reply.empty()) {
                ::send(connection, reply.data(), reply.size(), MSG_NOSIGNAL);
            }
            ::close(connection);
        });
    }
    ~OneShotServer() {
        m_thread.join();
        ::close(m_fd);
    }

private:
    int m_fd = -1;
    std::thread m_thread;
};

class ServiceClientTest : public exam::testing::TempDirTest {
protected:
    std::filesystem::path socket = temp / "exam-camera.sock";
};

TEST_F(ServiceClientTest, NothingAtThePathIsServiceNotRunningWithHowToStartOne) {
    EXPECT_FALSE(exam::service_running(socket));
    try {
        exam::ask_service(socket, k_status);
        FAIL() << "no error";
    } catch (const exam::ServiceNotRunning& error) {
        EXPECT_EQ(error.exit_code(), exam::ExitCode::unavailable);
        const std::string message = error.what();
        EXPECT_NE(message.find(socket.string()), std::string::npos) << message;
        EXPECT_NE(message.find("`exam-camera service`"), std::string::npos) << message;
    }
}

TEST_F(ServiceClientTest, ServiceRunningWhileOneServes) {
    ServingControlServer serving(socket, {0, std::nullopt, "examkit"},
                                 [](const exam::Caller&, const std::string&, const std::string&,
                                    exam::ReplyStream& reply) { reply.finish(R"({"ok": true})"); });
    EXPECT_TRUE(exam::service_running(socket));
}

TEST_F(ServiceClientTest, NoReplyWithinTheTimeoutIsADeviceError) {
    std::atomic<bool> release{false};
    ServingControlServer serving(
        socket, {0, std::nullopt, "examkit"},
        [&](const exam::Caller&, const std::string&, const std::string&, exam::ReplyStream& reply) {
            exam::testing::eventually([&] { return release.load(); }, 30s);
            reply.finish(R"({"ok": true})");
        });
    try {
        exam::ask_service(socket, k_status, {}, 300ms);
        FAIL() << "no error";
    } catch (const exam::DeviceError& error) {
        EXPECT_NE(std::string{error.what()}.find("no reply from the recording service within"),
                  std::string::npos)
            << error.what();
    }
    release = true;
}

TEST_F(ServiceClientTest, ServiceThatHangsUpWithoutAReplyIsADeviceError) {
    OneShotServer server(socket, R"({"progress": "starting"})"
                                 "\n");
    int progress_lines = 0;
    try {
        exam::ask_service(socket, k_status, [&](const std::string&) { ++progress_lines; });
        FAIL() << "no error";
    } catch (const exam::DeviceError& error) {
        EXPECT_NE(std::string{error.what()}.find("hung up without a reply"), std::string::npos);
    }
    EXPECT_EQ(progress_lines, 1);
}

TEST_F(ServiceClientTest, LineThatIsNoReplyIsAnInternalError) {
    OneShotServer server(socket, "hello\n");
    EXPECT_THROW(exam::ask_service(socket, k_status), exam::InternalError);
}

TEST_F(ServiceClientTest, UnknownErrorCodeIsAnInternalError) {
    OneShotServer server(socket, R"({"ok": false, "error": {"code": 99, "message": "odd"}})"
                                 "\n");
    EXPECT_THROW(exam::ask_service(socket, k_status), exam::InternalError);
}

TEST_F(ServiceClientTest, RequestWithANewlineIsNotSent) {
    EXPECT_THROW(exam::ask_service(socket, "{\"v\": 1,\n\"command\": \"status\"}"),
                 exam::InternalError);
}

}  // namespace
