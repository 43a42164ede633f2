# Warnings for examkit's own targets. Third-party headers come in through imported targets,
# which CMake marks as system includes, so -Werror judges only our code.
function(exam_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough
    # Designated initializers that leave fields at their defaults are the point of them.
    -Wno-missing-field-initializers
    # clang (the fuzz build): the loadable modules' entry points are extern "C" only to be
    # found by dlsym() unmangled, and are called from C++ alone.
    $<$<CXX_COMPILER_ID:Clang>:-Wno-return-type-c-linkage>)
  if(EXAM_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
