# What `cmake --install` puts where, besides the tools and libraries (their own CMakeLists say
# those), and the Debian package `cpack -G DEB` makes of it (scripts/package.sh, docs/install.md).
# Configured with CMAKE_INSTALL_PREFIX=/usr, as the `package` preset is.
set(EXAM_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)

# The recording service: its unit, its user and group, its folders.
install(FILES ${EXAM_PACKAGING_DIR}/exam-camera.service DESTINATION lib/systemd/system)
install(FILES ${EXAM_PACKAGING_DIR}/sysusers.conf DESTINATION lib/sysusers.d RENAME examkit.conf)
install(FILES ${EXAM_PACKAGING_DIR}/tmpfiles.conf DESTINATION lib/tmpfiles.d RENAME examkit.conf)

# The example site, for an installed exam point: docs/examples/site.toml (which the tests load)
# with its folders where the package makes them. An example to copy to /etc/examkit, never a
# conffile: a purge must not remove a site file.
set(example_site ${PROJECT_SOURCE_DIR}/docs/examples/site.toml)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${example_site})
file(READ ${example_site} site_text)
string(REGEX MATCH "\\[paths\\][^[]*\n\n" relative_paths "${site_text}")
if(NOT relative_paths)
  message(FATAL_ERROR "docs/examples/site.toml: no [paths] table followed by an empty line")
endif()
string(REPLACE "${relative_paths}" "[paths]
data = \"/var/lib/examkit/data\"             # journal, indexes, reports (copied for auditors)
recordings = \"/var/lib/examkit/recordings\" # video segments (copied for the commission)
journal = \"/var/lib/examkit/data/journal.sqlite\"
keys = \"/etc/examkit/keys\"                 # signing key and secrets: never inside data or recordings

" site_text "${site_text}")
string(REPLACE "# Paths are relative to this file's folder, so a copy of the folder works anywhere."
  "# The installed example (docs/install.md): copy it to /etc/examkit/site.toml and edit it."
  site_text "${site_text}")
file(WRITE ${PROJECT_BINARY_DIR}/packaging/site.toml "${site_text}")
install(FILES ${PROJECT_BINARY_DIR}/packaging/site.toml DESTINATION ${CMAKE_INSTALL_DATADIR}/examkit)

# The documentation: the guides, the formats, the examples (with their check scripts).
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
  USE_SOURCE_PERMISSIONS)
install(FILES ${EXAM_PACKAGING_DIR}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
configure_file(${EXAM_PACKAGING_DIR}/changelog.in ${PROJECT_BINARY_DIR}/packaging/changelog @ONLY)
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/packaging/changelog.gz
  COMMAND gzip -9nc ${PROJECT_BINARY_DIR}/packaging/changelog > ${PROJECT_BINARY_DIR}/packaging/changelog.gz
  DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog)
add_custom_target(exam-package-changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
install(FILES ${PROJECT_BINARY_DIR}/packaging/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The Debian package. Its dependencies are the libraries the binaries really link, as
# dpkg-shlibdeps finds them (our private ones are in the package itself).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME examkit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "examkit maintainers <maintainers@users.noreply.h-seed-59aedbce.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "exam point toolkit: readiness checks, camera recording, access journal")
# CPack puts the summary first and indents these lines itself.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "examkit is for the people who run an exam point of a national school-leaving
exam: the technician who checks every station before the start and runs the
cameras, the commission that takes away the video archive, and the auditors
who read the access journal.
.
exam-precheck runs declarative readiness checks in parallel and prints the
readiness protocol; exam-camera records every room's cameras by stream copy
into crash-tolerant segments and exports a signed, verifiable archive;
exam-journal keeps the tamper-evident journal of access and of every action
on the equipment (an RFC 6962 Merkle tree with signed checkpoints).")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/libexam)
# What the tools run at times: dpkg-query and systemctl (the software and service checks; both
# on every Debian system), /bin/sh (the command check), passwd's useradd (postinst, where
# systemd-sysusers is missing). The font snapshots' labels and contact sheets are drawn in
# (DejaVu Sans, read at run time, Cyrillic included).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "chromium, poppler-utils")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${EXAM_PACKAGING_DIR}/postinst ${EXAM_PACKAGING_DIR}/prerm ${EXAM_PACKAGING_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_STRIP_FILES TRUE)
include(CPack)
