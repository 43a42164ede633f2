# ASan + UBSan for the whole build (the `asan` preset). UBSan does not recover, so undefined
# behaviour fails the test that hit it instead of scrolling past in the log.
if(EXAM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
