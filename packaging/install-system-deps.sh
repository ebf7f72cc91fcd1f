#!/usr/bin/env bash
# Install the Debian packages of packaging/debian-packages.txt that are missing, when this user
# can: as root, or through sudo when it needs no password. Otherwise nothing is installed and
# what is missing is said: a missing [optional] package is a feature unavailable (setup carries
# on, exit 0); a missing [required] one stops setup (exit 1). Either way with the exact
# apt-get line to give an administrator. Also after a failed install (offline, no mirror).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# The list: kinds[g] and features[g] per group, pkgs[i] and group_of[i] per package.
kinds=() features=() pkgs=() group_of=()
while IFS= read -r line || [ -n "$line" ]; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  case $line in
    '' | '#'*) ;;
    '['*']'*)
      kind=${line%%]*}
      kinds+=("${kind#[}")
      feature=${line#*]}
      features+=("${feature# }") ;;
    *)
      [ ${#kinds[@]} -gt 0 ] || { echo "$here/debian-packages.txt: package $line is in no group" >&2; exit 1; }
      pkgs+=("$line")
      group_of+=($((${#kinds[@]} - 1))) ;;
  esac
done < "$here/debian-packages.txt"

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian system: install the equivalents of these Debian packages yourself." >&2
  for g in "${!kinds[@]}"; do
    names=()
    for i in "${!pkgs[@]}"; do [ "${group_of[$i]}" -eq "$g" ] && names+=("${pkgs[$i]}"); done
    echo "  [${kinds[$g]}] ${features[$g]}: ${names[*]}" >&2
  done
  exit 0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# missing_required, missing_optional: package names; lacking[g]: group g's missing packages.
find_missing() {
  missing_required=() missing_optional=() lacking=()
  local i g
  for i in "${!pkgs[@]}"; do
    installed "${pkgs[$i]}" && continue
    g=${group_of[$i]}
    lacking[$g]="${lacking[$g]:-}${lacking[$g]:+ }${pkgs[$i]}"
    if [ "${kinds[$g]}" = required ]; then missing_required+=("${pkgs[$i]}")
    else missing_optional+=("${pkgs[$i]}"); fi
  done
}

# Say what is missing, group by group, with the line for an administrator; exit 1 when a
# required package is missing.
report() {
  local g
  if [ ${#missing_optional[@]} -gt 0 ]; then
    echo "Optional system packages are missing; these features are unavailable until they are installed:"
    for g in "${!lacking[@]}"; do
      [ "${kinds[$g]}" = optional ] && echo "  - ${features[$g]} [missing: ${lacking[$g]}]"
    done
    echo "To add them, ask an administrator to run:"
    echo "  sudo apt-get install -y ${missing_optional[*]}"
  fi
  if [ ${#missing_required[@]} -gt 0 ]; then
    echo "Workbench needs these system packages, which are missing:"
    for g in "${!lacking[@]}"; do
      [ "${kinds[$g]}" = required ] && echo "  - ${features[$g]} [missing: ${lacking[$g]}]"
    done
    echo "Setup stops here. Ask an administrator to run:"
    echo "  sudo apt-get install -y ${missing_required[*]}"
    exit 1
  fi
  exit 0
}

find_missing
[ ${#missing_required[@]} -eq 0 ] && [ ${#missing_optional[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  report >&2
fi
all=("${missing_required[@]}" "${missing_optional[@]}")
echo "Installing system packages: ${all[*]}"
# An update that fails (offline, with a local mirror or cache) still lets the install try.
"${sudo[@]}" apt-get update -qq || true
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${all[@]}" >/dev/null \
  || echo "apt-get could not install them all." >&2
find_missing
report >&2
