#!/usr/bin/env bash
# Install the system packages recon needs, where they are missing.
# Idempotent. Uses apt-get as root, or through sudo; otherwise it says what to install.
set -euo pipefail

# command-to-check:debian-package
NEEDED=(
  "tesseract:tesseract-ocr"
  "tesseract-eng:tesseract-ocr-eng"
  "tesseract-deu:tesseract-ocr-deu"
  "tesseract-fra:tesseract-ocr-fra"
  "tesseract-osd:tesseract-ocr-osd"
  "pdftoppm:poppler-utils"
  # The IMAP server the mailbox tests deliver mail to (started by the tests
  # on a loopback port with a throwaway config; the system service is not used).
  "dovecot-imap:dovecot-imapd"
)

missing=()
for entry in "${NEEDED[@]}"; do
  cmd=${entry%%:*}; pkg=${entry#*:}
  case "$cmd" in
    tesseract-*) lang=${cmd#tesseract-}
      ls /usr/share/tesseract-ocr/*/tessdata/"$lang".traineddata >/dev/null 2>&1 || missing+=("$pkg") ;;
    dovecot-imap)
      { [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ]; } || missing+=("$pkg") ;;
    *) command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg") ;;
  esac
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "recon needs these system packages (Debian names): ${missing[*]}" >&2
  echo "Install them with your package manager, then run 'make setup' again." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
  else
    echo "recon needs: ${missing[*]}" >&2
    echo "Run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
