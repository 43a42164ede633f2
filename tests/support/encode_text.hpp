// Text in the encodings office software saves, made from UTF-8 literals with the C library's
// iconv, so that tests can write the bytes a Russian Excel would.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <iconv.h>

namespace exam::testing {

// `utf8` in `encoding` ("CP1251", "UTF-16LE"); throws when iconv cannot convert it.
inline std::string encode_text(std::string_view utf8, const char* encoding) {
    const iconv_t descriptor = ::iconv_open(encoding, "UTF-8");
    if (descriptor == reinterpret_cast<iconv_t>(-1)) {
        throw std::runtime_error(std::string{"iconv does not know "} + encoding);
    }
    const std::unique_ptr<void, int (*)(iconv_t)> closer{descriptor, ::iconv_close};
    std::string out(utf8.size() * 4 + 8, '\0');
    char* input = const_cast<char*>(utf8.data());
    std::size_t input_left = utf8.size();
    char* output = out.data();
    std::size_t output_left = out.size();
    if (::iconv(descriptor, &input, &input_left, &output, &output_left) ==
        static_cast<std::size_t>(-1)) {
        throw std::runtime_error(std::string{"cannot write this text in "} + encoding);
    }
    out.resize(out.size() - output_left);
    return out;
}

}  // namespace exam::testing
