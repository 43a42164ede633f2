// The recording service's control socket (docs/service-protocol.md), end to end: the input is
// what a client writes on a real Unix socket to a real ControlServer, which must answer each
// connection with reply lines of JSON (or close it) and live on. The input's lines are also
// read as the client reads the service's replies.
#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <exam/service/control_socket.hpp>

#include "fuzz_support.hpp"
#include "service/reply_lines.hpp"

namespace {

// A request answered as the service answers one it understands: progress, then the end.
class Service {
public:
    Service()
        : m_folder(std::filesystem::temp_directory_path() /
                   ("examkit-fuzz-" + std::to_string(::getpid()))),
          m_server((std::filesystem::create_directories(m_folder), m_folder / "exam-camera.sock"),
                   exam::control_access(::getuid(), "examkit-fuzz-nobody"),
                   [](const exam::Caller&, const std::string& command, const std::string&,
                      exam::ReplyStream& reply) {
                       reply.progress(R"({"progress": {"camera": "0101-front"}})");
                       reply.finish(R"({"ok": true, "command_length": )" +
                                    std::to_string(command.size()) + "}");
                   },
                   exam::ControlLimits{.max_connections = 4,
                                       .max_request_bytes = 4096,
                                       .request_timeout = std::chrono::milliseconds{500},
                                       .write_timeout = std::chrono::milliseconds{500}}),
          m_thread([this] { m_server.serve(m_stop); }) {}
    ~Service() {
        m_stop = true;
        m_thread.join();
        std::filesystem::remove_all(m_folder);
    }
    [[nodiscard]] const std::filesystem::path& path() const { return m_server.path(); }

private:
    std::filesystem::path m_folder;
    std::atomic<bool> m_stop{false};
    exam::ControlServer m_server;
    std::thread m_thread;
};

void talk(const std::filesystem::path& socket_path, std::string_view request) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    socket_path.string().copy(address.sun_path, sizeof address.sun_path - 1);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        std::perror("fuzz: connecting to the control socket");
        std::abort();
    }
    while (!request.empty()) {
        const ssize_t sent = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
        if (sent <= 0) {
            break;
        }
        request.remove_prefix(static_cast<std::size_t>(sent));
    }
    ::shutdown(fd, SHUT_WR);
    char reply[4096];
    pollfd readable{fd, POLLIN, 0};
    while (::poll(&readable, 1, 5000) > 0 && ::recv(fd, reply, sizeof reply, 0) > 0) {
    }
    ::close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto service = std::make_unique<Service>();
    const std::string_view text = exam::fuzz::text_of(data, size);
    talk(service->path(), text);
    std::size_t begin = 0;
    while (begin <= text.size()) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        const std::string line{text.substr(begin, end - begin)};
        (void)exam::reply_lines::parse_request(line);
        (void)exam::reply_lines::read_reply(line);
        begin = end + 1;
    }
    return 0;
}
