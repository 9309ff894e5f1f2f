#!/usr/bin/env bash
# git-lfs for the LFS tests (a ledger whose .gitattributes routes session files to Git LFS, with
# a local file:// remote that git-lfs serves itself). Installed from Debian packages when absent.
set -euo pipefail
if git lfs version >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "git-lfs is missing and apt-get is not available; install git-lfs to run the tests" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing git-lfs (apt-get)" >&2
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq git-lfs >&2
git lfs version >&2
