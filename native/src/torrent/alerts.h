// libtorrent alerts as plain frozen JS objects with a `type` discriminant (alert::what()).
#pragma once
#include <napi.h>

#include <libtorrent/alert.hpp>
#include <libtorrent/torrent_status.hpp>

#include <functional>
#include <string>

namespace swarmpress {
// The id by which JS knows a torrent: the one addTorrent returned, even after a magnet's
// metadata added the other info hash.
using IdResolver = std::function<std::string(lt::info_hash_t const&)>;

Napi::Object alert_to_object(Napi::Env env, lt::alert const* alert, const IdResolver& id_of);
Napi::Object status_to_object(Napi::Env env, lt::torrent_status const& status, const IdResolver& id_of);
}  // namespace swarmpress
