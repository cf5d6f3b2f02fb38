#!/usr/bin/env bash
# System packages the test suite needs beyond Python: headless Chromium (browser test of the HTML
# review report), a CJK font (so its screenshot shows Chinese) and LibreOffice Writer (reading
# legacy .doc/.wps plans). Installs them with apt-get when they are absent; does nothing when they
# are present.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -qi "cjk\|wqy\|noto sans sc" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "missing system packages: ${need[*]} (install them with apt-get as root)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
