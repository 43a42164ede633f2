// One RTSP reply's text on its own (faster than a session): its length in a stream, its status
// and headers, the Session header, a Basic or Digest challenge and the answer to it.
#include <stdexcept>

#include "fuzz_support.hpp"
#include "recording/rtsp_connection.hpp"
#include "recording/rtsp_message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = exam::fuzz::text_of(data, size);
    try {
        (void)exam::rtsp_reply_length(text);
    } catch (const std::invalid_argument&) {  // not a reply: the connection says so
    } catch (const exam::RtspReplyTooLong&) {
    }
    try {
        const exam::RtspReply reply = exam::parse_rtsp_reply(text);
        const exam::RtspSession session = exam::parse_session_header(reply.header("session"));
        (void)exam::keep_alive_interval(session);
        (void)exam::interleaved_channel(reply.header("transport"));
        (void)exam::interleaved_control_channel(reply.header("transport"));
        exam::RtspAuthenticator authenticator{"admin", "secret"};
        if (authenticator.accept_challenge(reply)) {
            (void)authenticator.authorization("DESCRIBE", "rtsp://127.0.0.1/cam");
        }
    } catch (const std::invalid_argument&) {
    }
    (void)exam::parse_rtsp_address(std::string{text});
    return 0;
}
