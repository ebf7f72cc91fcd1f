#!/bin/sh
# Install the unpacked Workbench build for the current user only; no root, nothing outside
# $HOME (or $XDG_DATA_HOME). Run it from the unpacked folder: ./install.sh
#
# It adds, and records in $XDG_DATA_HOME/Workbench/install-manifest.txt:
#   ~/.local/bin/workbench            a symbolic link to this folder's Workbench program
#   applications/workbench.desktop    the menu entry; offered for PDFs and zips, never default
#   icons/hicolor/scalable/apps/workbench.svg
#   Workbench/uninstall.sh            a copy of uninstall.sh, usable after this folder is gone
# Running it again is harmless; run it again after moving this folder. A file already there
# that an earlier run did not make is left alone, and said so.
set -eu

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P)
exe="$here/Workbench"
tab=$(printf '\t')
nl='
'
[ -f "$exe" ] && [ -x "$exe" ] || die "no Workbench program beside this script ($exe): run \
install.sh from the unpacked Workbench folder (Workbench-<version>/install.sh)"
[ -f "$here/workbench.desktop" ] || die "workbench.desktop is missing from $here: unpack the \
Workbench archive again"
case "$here" in *"$tab"*|*"$nl"*) die "the folder's name holds a tab or a line break; move \
the Workbench folder to a plainer name and run install.sh again" ;; esac
[ -n "${HOME:-}" ] || die "HOME is not set"
case "$HOME" in /*) ;; *) die "HOME is not an absolute path ($HOME)" ;; esac

# The XDG base directory spec: a relative XDG_DATA_HOME is invalid and ignored.
case "${XDG_DATA_HOME:-}" in
    /*) data=$XDG_DATA_HOME ;;
    *) data=$HOME/.local/share ;;
esac
bindir=$HOME/.local/bin
apps=$data/applications
icons=$data/icons/hicolor
state=$data/Workbench  # platformdirs' data folder for Workbench: the default library's parent
manifest=$state/install-manifest.txt
new_manifest=$state/.install-manifest.txt.new

sha() { sha256sum -- "$1" | cut -d' ' -f1; }

# What an earlier run recorded for a path ("" if nothing): a link's target or a file's hash.
recorded() {
    [ -f "$manifest" ] || return 0
    awk -F "$tab" -v k="$1" -v p="$2" '$1 == k && $2 == p { print $3; exit }' "$manifest"
}

entries=""
record() { entries="$entries$1$tab$2$tab${3:-}$nl"; }

# mkdir -p that records each folder it creates, outermost first, so uninstall can remove
# them again (only if empty then).
make_dir() {
    [ -d "$1" ] && return 0
    make_dir "$(dirname -- "$1")"
    mkdir -- "$1"
    record dir "$1"
}

# Folders earlier runs created are still ours to remove later.
if [ -f "$manifest" ]; then
    while IFS="$tab" read -r kind path _; do
        if [ "$kind" = dir ] && [ -d "$path" ]; then record dir "$path"; fi
    done < "$manifest"
fi

kept=0
keep() {
    say "Left alone: $1 already exists and was not installed by Workbench's install.sh$2"
    kept=1
}

# A regular file: written when absent, when an earlier run wrote it (unchanged since), or
# when it already holds exactly these bytes.
put_file() {  # source target mode
    if [ -e "$2" ] || [ -L "$2" ]; then
        if [ -L "$2" ] || [ ! -f "$2" ]; then keep "$2" ""; return 0; fi
        have=$(sha "$2")
        if [ "$have" != "$(sha "$1")" ] && [ "$have" != "$(recorded file "$2")" ]; then
            keep "$2" ""
            return 0
        fi
    fi
    make_dir "$(dirname -- "$2")"
    cp -- "$1" "$2.new.$$"
    chmod "$3" "$2.new.$$"
    mv -f -- "$2.new.$$" "$2"
    record file "$2" "$(sha "$2")"
}

# --- the launcher: ~/.local/bin/workbench -> this folder's Workbench ---
link=$bindir/workbench
if [ -L "$link" ]; then
    target=$(readlink -- "$link")
    if [ "$target" = "$exe" ]; then
        record link "$link" "$exe"
    elif [ "$target" = "$(recorded link "$link")" ]; then  # an earlier install, since moved
        rm -f -- "$link"
        ln -s -- "$exe" "$link"
        record link "$link" "$exe"
    else
        keep "$link" " (it points to $target); start Workbench as \"$exe\""
    fi
elif [ -e "$link" ]; then
    keep "$link" "; start Workbench as \"$exe\""
else
    make_dir "$bindir"
    ln -s -- "$exe" "$link"
    record link "$link" "$exe"
fi

# --- the menu entry, pointing at this folder ---
# Exec quoting (Desktop Entry spec): inside double quotes \ " ` $ take a backslash, then the
# value's own escaping doubles every backslash, and a literal % is written %%.
quoted=$(printf '%s' "$exe" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')
try=$(printf '%s' "$exe" | sed -e 's/\\/\\\\/g')
make_dir "$state"
tmp_entry=$state/.workbench.desktop.$$
EXEC_LINE="Exec=\"$quoted\" gui %F" TRY_LINE="TryExec=$try" awk '
    /^Exec=/ { print ENVIRON["EXEC_LINE"]; next }
    /^TryExec=/ { print ENVIRON["TRY_LINE"]; next }
    /^#/ { next }
    { print }' "$here/workbench.desktop" > "$tmp_entry"
put_file "$tmp_entry" "$apps/workbench.desktop" 644
rm -f -- "$tmp_entry"

# --- the icon ---
icon=$here/workbench.svg
if [ -f "$icon" ]; then
    put_file "$icon" "$icons/scalable/apps/workbench.svg" 644
else
    say "No icon in $here (workbench.svg): the menu entry shows a generic one."
fi

# --- a copy of uninstall.sh beside the manifest, for after this folder is deleted ---
if [ -f "$here/uninstall.sh" ]; then
    put_file "$here/uninstall.sh" "$state/uninstall.sh" 755
fi

{
    say "# Workbench install manifest: what install.sh created, for uninstall.sh. Do not edit."
    say "build$tab$here$tab"
    printf '%s' "$entries" | LC_ALL=C sort -u  # the same install, the same manifest
} > "$new_manifest"
mv -f -- "$new_manifest" "$manifest"

# Caches that already exist are refreshed; none is created (desktops read the files).
if [ -f "$apps/mimeinfo.cache" ] && command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$apps" || true
fi
if [ -f "$icons/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -f -t "$icons" || true
fi

say "Workbench is installed for $(id -un 2>/dev/null || echo this user):"
say "  menu entry: $apps/workbench.desktop (Office > Workbench)"
if [ "$(recorded link "$link")" = "$exe" ]; then
    say "  command:    $link"
    case ":${PATH:-}:" in
        *":$bindir:"*) ;;
        *) say "  ($bindir is not on your PATH: add it to run \`workbench\` in a terminal)" ;;
    esac
fi
say "To remove it: \"$state/uninstall.sh\" (your libraries are never touched)."
[ "$kept" = 0 ] || say "Some files were left alone (see above)."
