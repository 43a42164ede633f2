#include "core/devices_module.hpp"

#include <exam/util/loadable_module.hpp>

namespace exam {

void* devices_entry(const char* name, std::string& problem) {
    static LoadableModule module{EXAM_DEVICES_MODULE};
    void* symbol = module.entry(name);
    if (symbol == nullptr) {
        problem = module.problem(name);
    }
    return symbol;
}

}  // namespace exam
