#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <exam/util/error.hpp>
#include <exam/util/subprocess.hpp>
#include <exam/util/translate.hpp>

namespace exam {
namespace {

using Clock = std::chrono::steady_clock;

class Pipe {
public:
    Pipe() {
        if (::pipe2(m_fds.data(), O_CLOEXEC) != 0) {
            throw InternalError(_f("cannot create a pipe: {}", std::strerror(errno)));
        }
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;

    int read_end() const { return m_fds[0]; }
    int write_end() const { return m_fds[1]; }
    void close_read() { close_fd(m_fds[0]); }
    void close_write() { close_fd(m_fds[1]); }

private:
    static void close_fd(int& fd) {
        if (fd >= 0) {
            ::close(fd);
            fd = -1;
        }
    }
    std::array<int, 2> m_fds{-1, -1};
};

// Runs in the child between fork and exec: only async-signal-safe calls from here on.
[[noreturn]] void exec_child(const SubprocessRequest& request, const std::string& program,
                             std::vector<char*>& argv, std::vector<char*>& environment, Pipe& input,
                             Pipe& output, Pipe& error, Pipe& exec_status) {
    ::setpgid(0, 0);
    ::dup2(input.read_end(), STDIN_FILENO);
    ::dup2(output.write_end(), STDOUT_FILENO);
    ::dup2(error.write_end(), STDERR_FILENO);
    // The parent may ignore or block signals; the child starts with the defaults.
    sigset_t all;
    sigemptyset(&all);
    ::sigprocmask(SIG_SETMASK, &all, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    if (request.working_directory && ::chdir(request.working_directory->c_str()) != 0) {
        const int code = errno;
        (void)!::write(exec_status.write_end(), &code, sizeof code);
        ::_exit(127);
    }
    ::execve(program.c_str(), argv.data(), environment.data());
    const int code = errno;
    (void)!::write(exec_status.write_end(), &code, sizeof code);
    ::_exit(127);
}

// The child's environment, built in the parent: this process's own environment is never
// touched, so other threads reading it are safe. Unset first, so that a variable both unset
// and set ends up set.
std::vector<std::string> child_environment(const SubprocessRequest& request) {
    std::vector<std::string> environment;
    const auto overridden = [&request](std::string_view name) {
        return std::find(request.unset_environment.begin(), request.unset_environment.end(),
                         name) != request.unset_environment.end() ||
               std::any_of(request.set_environment.begin(), request.set_environment.end(),
                           [name](const auto& pair) { return pair.first == name; });
    };
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view text{*entry};
        if (!overridden(text.substr(0, text.find('=')))) {
            environment.emplace_back(text);
        }
    }
    for (const auto& [name, value] : request.set_environment) {
        environment.push_back(name + "=" + value);
    }
    return environment;
}

// A program name without a slash is looked up in the child's PATH, as a shell would.
std::string find_program(const std::string& name, const std::vector<std::string>& environment) {
    if (name.find('/') != std::string::npos) {
        return name;
    }
    std::string_view path = "/usr/local/bin:/usr/bin:/bin";
    for (const std::string& entry : environment) {
        if (entry.rfind("PATH=", 0) == 0) {
            path = std::string_view{entry}.substr(5);
        }
    }
    while (true) {
        const auto colon = path.find(':');
        const std::string_view folder = path.substr(0, colon);
        const std::string candidate =
            (folder.empty() ? std::string{"."} : std::string{folder}) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        if (colon == std::string_view::npos) {
            return name;  // execve then fails with ENOENT, reported as "cannot run"
        }
        path.remove_prefix(colon + 1);
    }
}

void kill_group(pid_t pid) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
}

}  // namespace

SubprocessResult run_subprocess(const SubprocessRequest& request) {
    if (request.argv.empty()) {
        throw InternalError("run_subprocess called without a program");
    }
    std::vector<char*> argv;
    for (const std::string& arg : request.argv) {
        argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);

    Pipe input, output, error, exec_status;
    const auto started = Clock::now();
    std::vector<std::string> environment_text = child_environment(request);
    std::vector<char*> environment;
    for (std::string& entry : environment_text) {
        environment.push_back(entry.data());
    }
    environment.push_back(nullptr);
    const std::string program = find_program(request.argv[0], environment_text);
    const pid_t pid = ::fork();
    if (pid == 0) {
        exec_child(request, program, argv, environment, input, output, error, exec_status);
    }
    if (pid < 0) {
        throw InternalError(_f("cannot fork: {}", std::strerror(errno)));
    }
    ::setpgid(pid, pid);  // also here, so a kill right after fork reaches the group
    input.close_read();
    output.close_write();
    error.close_write();
    exec_status.close_write();

    int exec_errno = 0;
    ssize_t got = 0;
    do {
        got = ::read(exec_status.read_end(), &exec_errno, sizeof exec_errno);
    } while (got < 0 && errno == EINTR);
    if (got == sizeof exec_errno) {
        ::waitpid(pid, nullptr, 0);
        throw DeviceError(_f("cannot run \"{}\": {}", request.argv[0], std::strerror(exec_errno)));
    }

    if (request.on_started) {
        request.on_started();
    }

    SubprocessResult result;
    std::size_t input_written = 0;
    if (request.standard_input.empty()) {
        input.close_write();
    } else {
        ::fcntl(input.write_end(), F_SETFL, O_NONBLOCK);
    }
    const auto deadline = started + request.timeout;
    std::array<char, 65536> buffer{};
    while (output.read_end() >= 0 || error.read_end() >= 0) {
        std::array<pollfd, 3> fds{};
        nfds_t count = 0;
        for (const int fd : {output.read_end(), error.read_end()}) {
            if (fd >= 0) {
                fds[count++] = pollfd{fd, POLLIN, 0};
            }
        }
        if (input.write_end() >= 0) {
            fds[count++] = pollfd{input.write_end(), POLLOUT, 0};
        }
        const auto remaining =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (remaining.count() <= 0) {
            result.timed_out = true;
            break;
        }
        const int ready = ::poll(fds.data(), count, static_cast<int>(remaining.count()) + 1);
        if (ready < 0 && errno != EINTR) {
            break;
        }
        for (nfds_t i = 0; i < count; ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            if (fds[i].fd == input.write_end()) {
                const ssize_t n = ::write(fds[i].fd, request.standard_input.data() + input_written,
                                          request.standard_input.size() - input_written);
                if (n > 0) {
                    input_written += static_cast<std::size_t>(n);
                }
                if (n < 0 || input_written == request.standard_input.size()) {
                    input.close_write();
                }
                continue;
            }
            const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
            const bool is_output = fds[i].fd == output.read_end();
            if (n > 0) {
                (is_output ? result.standard_output : result.standard_error)
                    .append(buffer.data(), static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                is_output ? output.close_read() : error.close_read();
            }
        }
    }
    // The child may close its output and still run on: the deadline holds for it too.
    int status = 0;
    while (!result.timed_out) {
        const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
        if (reaped == pid || (reaped < 0 && errno != EINTR)) {
            break;
        }
        if (Clock::now() >= deadline) {
            result.timed_out = true;
            break;
        }
        ::poll(nullptr, 0, 5);
    }
    if (result.timed_out) {
        kill_group(pid);
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    // Whatever the child left running in its group goes with it.
    ::kill(-pid, SIGKILL);
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    if (!result.timed_out) {
        if (WIFEXITED(status)) {
            result.exit_code = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            result.signal = WTERMSIG(status);
        }
    }
    return result;
}

}  // namespace exam
