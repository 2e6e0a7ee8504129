#!/usr/bin/env bash
# Builds dist/deb/swarmpress_<version>_<arch>.deb (or in the folder given: tools/deb.sh DIR)
# from the built tree ('make build'), with
# dpkg-deb: no debhelper build of the whole project. What goes in is what the installed
# program runs, and nothing else:
#
#   /usr/bin/swarmpress                       -> /usr/lib/swarmpress/bin/swarmpress.js
#   /usr/lib/swarmpress/bin/                  the launcher (bin/swarmpress.js, CommonJS)
#   /usr/lib/swarmpress/package.json          read for --version
#   /usr/lib/swarmpress/dist/bundle/app/      the program, its layout worker, the launch bundle,
#                                             V8 code caches, the read-ahead list
#   /usr/lib/swarmpress/dist/vendor/          NodeGui's JavaScript (tools/bundle.js)
#   /usr/lib/swarmpress/native/build/Release/ swarmpress's own addons
#   /usr/lib/swarmpress/node_modules/         NodeGui's addon; better-sqlite3's JavaScript and
#                                             addon, and bindings + file-uri-to-path, which it loads them with
#   /usr/lib/swarmpress/assets/               the bundled pages (welcome, about, publishing)
#   desktop entry, hicolor icons (SVG + PNGs rendered here), AppStream metadata, the systemd
#   user unit, swarmpress(1) (tools/man.js, from the table --help is rendered from)
#
# Depends: what dpkg-shlibdeps finds for the .node files (Qt 6, libtorrent, libcrypto,
# glib, libstdc++...), plus what is loaded without being linked: nodejs (>= 20) runs it all,
# fonts-dejavu-core has the faces the theme names. Qt's xcb and offscreen platform plugins
# and its jpeg and gif readers are in libqt6gui6, which shlibdeps finds; SVG's reader is in
# libqt6svg6, found too (NodeGui links libQt6SvgWidgets).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

version=$(node -p "require('./package.json').version")
arch=$(dpkg --print-architecture)
out=${1:-dist/deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$out/stage
deb=$out/swarmpress_${version}_${arch}.deb
lib=$stage/usr/lib/swarmpress
# Who built it: $DEBFULLNAME and $DEBEMAIL, as Debian's tools take them, else the last commit's author.
maintainer="${DEBFULLNAME:-$(git log -1 --format=%an 2>/dev/null || echo swarmpress)} <${DEBEMAIL:-$(git log -1 --format=%ae 2>/dev/null)}>"

for file in dist/bundle/app/swarmpress.cjs dist/vendor/nodegui.cjs dist/src/app/usage.js \
  native/build/Release/swarmpress_torrent.node node_modules/@nodegui/nodegui/build/Release/nodegui_core.node \
  node_modules/better-sqlite3/build/Release/better_sqlite3.node; do
  [ -e "$file" ] || { echo "tools/deb.sh: $file is missing: build first (make build)" >&2; exit 1; }
done

rm -rf "$stage"
mkdir -p "$lib/bin" "$lib/dist/bundle/app" "$lib/dist/vendor" "$lib/native/build/Release" \
  "$lib/node_modules/@nodegui/nodegui/build/Release" "$lib/node_modules/better-sqlite3/build/Release" \
  "$stage/usr/bin" "$stage/DEBIAN"

# The program. The launcher runs the bundle whenever dist/src is absent, which it is here.
install -m 0755 bin/swarmpress.js "$lib/bin/swarmpress.js"
install -m 0644 bin/package.json "$lib/bin/package.json"
node -e "const p = require('./package.json'); process.stdout.write(JSON.stringify({ name: p.name, version: p.version, type: p.type, private: true }, null, 2) + '\n')" > "$lib/package.json"
cp dist/bundle/app/{swarmpress.cjs,swarmpress.cjs.v8cache,parse-worker.js,launch.cjs,package.json,preload.json} "$lib/dist/bundle/app/"
cp dist/vendor/{nodegui.cjs,nodegui.cjs.v8cache} "$lib/dist/vendor/"
mkdir -p "$lib/assets"
cp assets/*.md "$lib/assets/"
ln -s ../lib/swarmpress/bin/swarmpress.js "$stage/usr/bin/swarmpress"

# The native addons, stripped (their symbols are for debugging the build, not for running it).
install -m 0644 native/build/Release/{swarmpress_preload,swarmpress_qt_runtime,swarmpress_torrent}.node "$lib/native/build/Release/"
install -m 0644 node_modules/@nodegui/nodegui/build/Release/nodegui_core.node "$lib/node_modules/@nodegui/nodegui/build/Release/"
install -m 0644 node_modules/better-sqlite3/build/Release/better_sqlite3.node "$lib/node_modules/better-sqlite3/build/Release/"
find "$lib" -name '*.node' -exec strip --strip-unneeded --remove-section=.comment --remove-section=.note {} +
cp -r node_modules/better-sqlite3/lib node_modules/better-sqlite3/package.json "$lib/node_modules/better-sqlite3/"
for dep in bindings file-uri-to-path; do
  mkdir -p "$lib/node_modules/$dep"
  cp node_modules/$dep/package.json node_modules/$dep/*.js "$lib/node_modules/$dep/"
done

# Desktop integration.
share=$stage/usr/share
install -D -m 0644 packaging/swarmpress.desktop "$share/applications/swarmpress.desktop"
install -D -m 0644 packaging/swarmpress.svg "$share/icons/hicolor/scalable/apps/swarmpress.svg"
for size in 16 24 32 48 64 128 256; do
  mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
  rsvg-convert -w $size -h $size packaging/swarmpress.svg -o "$share/icons/hicolor/${size}x${size}/apps/swarmpress.png"
done
install -D -m 0644 packaging/org.swarmpress.swarmpress.metainfo.xml "$share/metainfo/org.swarmpress.swarmpress.metainfo.xml"
install -D -m 0644 packaging/swarmpress.service "$stage/usr/lib/systemd/user/swarmpress.service"
mkdir -p "$share/man/man1"
node tools/man.js "$out/swarmpress.1"
gzip -9n < "$out/swarmpress.1" > "$share/man/man1/swarmpress.1.gz"

# Documentation Debian asks for: copyright, and a changelog of the package.
doc=$share/doc/swarmpress
install -D -m 0644 packaging/copyright "$doc/copyright"
date=$(git log -1 --format=%cD 2>/dev/null || date -R)
printf 'swarmpress (%s) unstable; urgency=medium\n\n  * Built from the swarmpress tree (git %s).\n\n -- %s  %s\n' \
  "$version" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$maintainer" "$date" | gzip -9n > "$doc/changelog.gz"

# Depends, computed from the addons' dynamic sections and the shlibs files of the packages
# that hold those libraries (dpkg-shlibdeps needs a debian/control to read; a stand-in).
shlib=$out/shlibdeps
rm -rf "$shlib"
mkdir -p "$shlib/debian"
printf 'Source: swarmpress\n\nPackage: swarmpress\nArchitecture: any\n' > "$shlib/debian/control"
addons=()
while IFS= read -r file; do addons+=("-e$file"); done < <(find "$lib" -name '*.node' | sort)
linked=$(cd "$shlib" && dpkg-shlibdeps -O "${addons[@]}" 2>"$out/shlibdeps.log" | sed -n 's/^shlibs:Depends=//p')
[ -n "$linked" ] || { echo "tools/deb.sh: dpkg-shlibdeps found nothing (see $out/shlibdeps.log)" >&2; exit 1; }
depends="$linked, nodejs (>= 20), fonts-dejavu-core"

installed_kib=$(du -sk --apparent-size "$stage" --exclude=DEBIAN | cut -f1)
cat > "$stage/DEBIAN/control" <<EOF
Package: swarmpress
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_kib
Depends: $depends
Recommends: xdg-utils
Section: net
Priority: optional
Description: reader and author for Markdown sites in BitTorrent swarms
 A native desktop reader and author for Markdown sites that live in
 BitTorrent swarms (a blog, a wiki, a news page), with no server and no
 browser engine: pages are drawn by Qt widgets straight from Markdown.
 A site's address is an ed25519 public key (BEP 46); readers keep and
 re-seed what they read and follow. Includes a headless node
 (swarmpress serve) and a systemd user unit for it.
EOF

# Owned by root whoever builds, with the usual modes; md5sums for debsums and dpkg --verify.
find "$stage" -type d -exec chmod 0755 {} +
(cd "$stage" && find usr -type f -printf '%P\n' | sort | sed 's|^|usr/|' | xargs md5sum > DEBIAN/md5sums)
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
