#!/usr/bin/env bash
# Installs the Debian packages examkit needs to build and test, and only those missing.
# Idempotent: when everything is present it touches nothing (no apt-get update).
# Runs as root, or through sudo when not root.
set -euo pipefail

# One package list, grouped by what needs it. Later features add their packages here.
readonly BUILD_PACKAGES=(
  cmake ninja-build g++ pkg-config gettext clang-format
  clang libclang-rt-14-dev  # the fuzz targets (scripts/fuzz.sh): libFuzzer, ASan and UBSan
)
readonly LIBRARY_PACKAGES=(
  libcli11-dev libfmt-dev libsqlitecpp-dev libsqlite3-dev libtomlplusplus-dev
  nlohmann-json3-dev libssl-dev libspdlog-dev libhowardhinnant-date-dev tzdata libicu-dev
  libopencv-dev  # the camera check's picture analysis (libexam/vision)
  libopencv-contrib-dev libfreetype-dev  # snapshots' labels: OpenCV's freetype module, FreeType
  fonts-dejavu-core  # the font of snapshots' labels (Cyrillic), read at run time
  libcups2-dev   # the printer check asks CUPS over IPP
  libcurl4-openssl-dev  # the http check: HTTP and HTTPS, redirects, timeouts
  libavformat-dev libavcodec-dev libavutil-dev  # the recorder's stream copy (FFmpeg)
  libavdevice-dev libswscale-dev  # USB cameras (V4L2): their pictures converted and encoded
)
readonly TEST_PACKAGES=(
  libgtest-dev libgmock-dev sqlite3 coreutils python3
  bc  # the benchmarks' arithmetic (scripts/bench/)
  time  # GNU time: the benchmarks' CPU of a reference command (scripts/bench/health-bench.sh)
  ffmpeg  # test videos (black, covered, frozen, blurred) and ffprobe as a judge
  # The RTSP camera fixture: GStreamer's RTSP server through python3-gi, run by /usr/bin/python3.
  python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-plugins-base
  python3-cryptography  # docs/export-format.md's package verifier, run by the tests
  gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly
  gstreamer1.0-plugins-bad  # x265enc: an H.265 camera
  cups-daemon cups-client  # a private cupsd with a file-backed printer for the printer check
  chromium poppler-utils   # the readiness protocol rendered to PDF, its pages counted by pdfinfo
  prometheus  # promtool judges the recording service's metrics file (text format 0.0.4)
  python3-fusepy  # a USB stick pulled out mid-export: a FUSE folder whose daemon dies (tests)
  zsh  # the generated zsh completions are checked with zsh -n (tests)
  lintian  # judges the .deb (tests/package/install_test.sh, scripts/package.sh)
  dpkg-dev file  # cpack -G DEB: dpkg-shlibdeps finds the package's dependencies, file tells ELF files
  man-db  # the installed manual pages are found with man -w (tests/package/install_test.sh)
  locales  # ru_RU.UTF-8 is generated below: the Russian catalogue's tests
)

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

missing=()
for package in "${BUILD_PACKAGES[@]}" "${LIBRARY_PACKAGES[@]}" "${TEST_PACKAGES[@]}"; do
  is_installed "$package" || missing+=("$package")
done

# The Russian locale (from `locales`), for the tests of the Russian catalogue.
locale_missing() { ! locale -a 2>/dev/null | grep -qix 'ru_RU\.utf-\?8'; }

if ((${#missing[@]} == 0)) && ! locale_missing; then
  exit 0
fi

if ((EUID == 0)); then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "install-deps: error: missing packages: ${missing[*]}; or the ru_RU.UTF-8 locale" >&2
  echo "install-deps: run this script as root or install sudo" >&2
  exit 77
fi

if ((${#missing[@]} > 0)); then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if locale_missing; then
  echo "install-deps: generating the ru_RU.UTF-8 locale" >&2
  if ! grep -q '^ru_RU.UTF-8 UTF-8' /etc/locale.gen; then
    echo 'ru_RU.UTF-8 UTF-8' | "${as_root[@]}" tee -a /etc/locale.gen >/dev/null
  fi
  "${as_root[@]}" locale-gen >/dev/null
fi
