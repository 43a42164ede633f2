# The libFuzzer build (the `fuzz` preset, scripts/fuzz.sh). Every file of ours is compiled with
# libFuzzer's coverage instrumentation and with ASan + UBSan, so that a fuzz target finds both
# new paths and memory errors in the parsers it drives; only the fuzz targets link libFuzzer's
# driver (fuzz/CMakeLists.txt). -O1, as libFuzzer recommends: quick to build, quick to run,
# assertions on. clang only: g++ has no libFuzzer. Warnings are judged by the g++ builds.
if(EXAM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "EXAM_FUZZ needs clang (found ${CMAKE_CXX_COMPILER_ID}): "
      "configure with the `fuzz` preset, or -DCMAKE_CXX_COMPILER=clang++")
  endif()
  add_compile_options(-O1 -gline-tables-only -fsanitize=fuzzer-no-link,address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
