#include <nlohmann/json.hpp>

#include <exam/util/json.hpp>

namespace exam {

void write_json(std::ostream& out, const Json& value) {
    out << value.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace exam
