// One bind_<subsystem>() per file of this folder; addon.cpp calls each once.
#pragma once
#include <napi.h>

#include <libtorrent/file_storage.hpp>
#include <libtorrent/settings_pack.hpp>

#include <cstdint>
#include <vector>

namespace swarmpress {
void bind_version(Napi::Env env, Napi::Object exports);
void bind_session(Napi::Env env, Napi::Object exports);
void bind_torrent_files(Napi::Env env, Napi::Object exports);
void bind_peer_credentials(Napi::Env env, Napi::Object exports);

// torrent_files.cpp: the files of a torrent (pad files left out), with the bytes done of
// each when `done` (libtorrent's file_progress) is given.
Napi::Array files_array(Napi::Env env, const lt::file_storage& files, const std::vector<std::int64_t>* done);

// settings.cpp: a settings_pack from a JS object keyed by libtorrent's setting names.
lt::settings_pack settings_from_object(Napi::Object object);
void apply_settings_object(lt::settings_pack& pack, Napi::Object object);
}  // namespace swarmpress
