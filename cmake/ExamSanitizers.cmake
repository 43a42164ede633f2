# ASan + UBSan for the whole build (the `asan` preset). UBSan does not recover, so undefined
# behaviour fails the test that hit it instead of scrolling past in the log. Line tables only
# (-g1): the sanitizers' reports name every frame's file and line, and the build is a fifth
# quicker than with full debug information (use the `dev` preset to debug in gdb).
if(EXAM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
    -g1)
  add_link_options(-fsanitize=address,undefined)
endif()
