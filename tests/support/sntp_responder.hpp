// An SNTP server on a free loopback UDP port, on its own thread: a good one whose clock runs
// `skew` ahead of ours, a silent one, or a hostile one whose replies are damaged on purpose.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <exam/precheck/sntp.hpp>

namespace exam::testing {

class SntpResponder {
public:
    // Changes a good reply before it is sent.
    using Damage = std::function<void(NtpPacket& reply)>;

    // With `answer` false it reads requests and never replies; with `stray_first`, each answer
    // comes after a reply to somebody else's request.
    SntpResponder(std::chrono::milliseconds skew, bool answer, bool stray_first = false);
    explicit SntpResponder(Damage damage);
    ~SntpResponder();
    SntpResponder(const SntpResponder&) = delete;
    SntpResponder& operator=(const SntpResponder&) = delete;

    [[nodiscard]] std::string address() const { return "127.0.0.1:" + std::to_string(m_port); }

private:
    void start();
    void serve();

    std::chrono::milliseconds m_skew{0};
    bool m_answer = true;
    bool m_stray_first = false;
    Damage m_damage;
    int m_fd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

// A good server's reply to `request`: version 4, stratum 1, synchronised 16 s ago, received and
// sent at `server_time`.
NtpPacket good_sntp_reply(const NtpPacket& request,
                          std::chrono::system_clock::time_point server_time);

// Big-endian writes into a packet, for damaging it.
void put_u32(NtpPacket& packet, std::size_t at, std::uint32_t value);
void put_u64(NtpPacket& packet, std::size_t at, std::uint64_t value);
std::uint64_t get_u64(const NtpPacket& packet, std::size_t at);

}  // namespace exam::testing
