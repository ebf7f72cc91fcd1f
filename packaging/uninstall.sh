#!/bin/sh
# Remove what Workbench's install.sh installed for the current user, and nothing else.
#
# It reads $XDG_DATA_HOME/Workbench/install-manifest.txt and removes each entry only while it
# is still what was installed: the link still points where install.sh pointed it, the file
# still has the bytes install.sh wrote; a folder only if install.sh created it and it is empty
# now. Your libraries (by default in $XDG_DATA_HOME/Workbench/library), settings and logs are
# never touched. The unpacked Workbench folder itself is yours to delete.
set -eu

say() { printf '%s\n' "$*"; }
die() { printf 'uninstall.sh: %s\n' "$*" >&2; exit 1; }

[ -n "${HOME:-}" ] || die "HOME is not set"
case "${XDG_DATA_HOME:-}" in
    /*) data=$XDG_DATA_HOME ;;
    *) data=$HOME/.local/share ;;
esac
state=$data/Workbench
manifest=$state/install-manifest.txt
tab=$(printf '\t')

if [ ! -f "$manifest" ]; then
    say "Workbench is not installed for this user (no $manifest): nothing to remove."
    exit 0
fi
head -n 1 "$manifest" | grep -q '^# Workbench install manifest' \
    || die "$manifest is not a Workbench install manifest; nothing was removed"

sha() { sha256sum -- "$1" | cut -d' ' -f1; }

# Only paths under the home folder or the data folder are ever considered.
ours_to_touch() {
    case "$1" in
        "$HOME"/*|"$data"/*) case "$1" in */../*|*/..) return 1 ;; esac; return 0 ;;
        *) return 1 ;;
    esac
}

changed() { say "Kept: $1 has changed since Workbench was installed"; }

uninstaller=""
while IFS="$tab" read -r kind path extra; do
    case "$kind" in build|dir|"#"*|"") continue ;; esac
    ours_to_touch "$path" || { say "Skipped: $path is outside $HOME"; continue; }
    case "$kind" in
        link)
            if [ -L "$path" ] && [ "$(readlink -- "$path")" = "$extra" ]; then
                rm -f -- "$path" && say "Removed $path"
            elif [ -e "$path" ] || [ -L "$path" ]; then
                changed "$path"
            fi ;;
        file)
            if [ "$path" = "$state/uninstall.sh" ]; then
                uninstaller=$extra  # this very script, perhaps: removed last
            elif [ -f "$path" ] && [ ! -L "$path" ] && [ "$(sha "$path")" = "$extra" ]; then
                rm -f -- "$path" && say "Removed $path"
            elif [ -e "$path" ] || [ -L "$path" ]; then
                changed "$path"
            fi ;;
    esac
done < "$manifest"

# Folders install.sh created, deepest first, each only if now empty.
dirs=$(awk -F "$tab" '$1 == "dir" { n = gsub("/", "/", $2); print n "\t" $2 }' "$manifest" \
       | sort -rn | cut -f2-)

rm -f -- "$manifest"
copy=$state/uninstall.sh
if [ -n "$uninstaller" ] && [ -f "$copy" ] && [ ! -L "$copy" ]; then
    if [ "$(sha "$copy")" = "$uninstaller" ]; then rm -f -- "$copy"; else changed "$copy"; fi
fi

printf '%s\n' "$dirs" | while IFS= read -r dir; do
    [ -n "$dir" ] && ours_to_touch "$dir" && [ -d "$dir" ] && [ ! -L "$dir" ] \
        && rmdir -- "$dir" 2>/dev/null || true
done

# Caches that exist are refreshed so they no longer name Workbench.
apps=$data/applications
icons=$data/icons/hicolor
if [ -f "$apps/mimeinfo.cache" ] && command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$apps" || true
fi
if [ -f "$icons/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -f -t "$icons" || true
fi

say "Workbench is uninstalled for this user."
if [ -d "$state" ]; then
    say "Kept: $state (your libraries: the default one is $state/library)."
fi
say "Also kept: settings in ${XDG_CONFIG_HOME:-$HOME/.config}/Workbench and logs in \
${XDG_STATE_HOME:-$HOME/.local/state}/Workbench. Delete the unpacked Workbench folder yourself."
say "${XDG_CACHE_HOME:-$HOME/.cache}/Workbench holds only copies Workbench derives (the language \
model, about 65 MB): it is safe to delete."
