# Native modules of swarmpress, built with node-gyp against Node's own headers
# (npm_config_nodedir=/usr on Debian) and Debian's Qt 6, GLib and libtorrent-rasterbar.
{
  "target_defaults": {
    "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter"],
    "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"]
  },
  "targets": [
    {
      "target_name": "swarmpress_preload",
      "sources": ["src/preload/preload.cpp"]
    },
    {
      "target_name": "swarmpress_qt_runtime",
      "sources": ["src/runtime/qt_runtime.cpp", "src/runtime/qode_shims.cpp", "src/runtime/glib_loop.cpp", "src/runtime/window_watcher.cpp",
                  "src/runtime/memory_policy.cpp", "src/runtime/message_filter.cpp", "src/runtime/text_cursor.cpp",
                  "src/runtime/widget_ids.cpp", "src/runtime/widget_look.cpp", "src/runtime/widget_geometry.cpp",
                  "src/runtime/crash_log.cpp", "src/runtime/user_input.cpp", "src/runtime/image_decode.cpp"],
      "cflags_cc": ["<!@(pkg-config --cflags Qt6Widgets glib-2.0)", "-fPIC"],
      "libraries": ["<!@(pkg-config --libs Qt6Widgets glib-2.0)"]
    },
    {
      "target_name": "swarmpress_torrent",
      "sources": ["src/torrent/addon.cpp", "src/torrent/alerts.cpp", "src/torrent/common.cpp", "src/torrent/extension.cpp", "src/torrent/peer_credentials.cpp",
                  "src/torrent/session.cpp", "src/torrent/settings.cpp", "src/torrent/torrent_files.cpp", "src/torrent/version.cpp"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_CPP_EXCEPTIONS", "NAPI_VERSION=8"],
      "cflags_cc": ["<!@(pkg-config --cflags libtorrent-rasterbar)"],
      "libraries": ["<!@(pkg-config --libs libtorrent-rasterbar)"]
    }
  ]
}
