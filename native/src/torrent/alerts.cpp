#include "alerts.h"

#include <libtorrent/alert_types.hpp>
#include <libtorrent/bencode.hpp>
#include <libtorrent/read_resume_data.hpp>
#include <libtorrent/torrent_status.hpp>
#include <libtorrent/write_resume_data.hpp>

#include <iterator>

#include "common.h"

namespace swarmpress {
namespace {

const char* state_name(lt::torrent_status::state_t state) {
  switch (state) {
    case lt::torrent_status::checking_files: return "checking";
    case lt::torrent_status::downloading_metadata: return "metadata";
    case lt::torrent_status::downloading: return "downloading";
    case lt::torrent_status::finished: return "finished";
    case lt::torrent_status::seeding: return "seeding";
    case lt::torrent_status::checking_resume_data: return "checking-resume";
    default: return "unknown";
  }
}

Napi::Buffer<char> entry_bytes(Napi::Env env, lt::entry const& entry) {
  std::vector<char> bytes;
  lt::bencode(std::back_inserter(bytes), entry);
  return copy_buffer(env, bytes.data(), bytes.size());
}

void set_error(Napi::Env env, Napi::Object out, lt::error_code const& ec, const char* operation) {
  if (ec) out.Set("error", native_error_object(env, ec, operation));
}

void set_endpoint(Napi::Env env, Napi::Object out, lt::tcp::endpoint const& endpoint) {
  out.Set("address", Napi::String::New(env, endpoint.address().to_string()));
  out.Set("port", Napi::Number::New(env, endpoint.port()));
}

}  // namespace

Napi::Object status_to_object(Napi::Env env, lt::torrent_status const& s, const IdResolver& id_of) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("id", Napi::String::New(env, id_of(s.info_hashes)));
  out.Set("name", Napi::String::New(env, s.name));
  out.Set("state", Napi::String::New(env, state_name(s.state)));
  out.Set("progress", Napi::Number::New(env, s.progress));
  out.Set("downloadRate", Napi::Number::New(env, s.download_payload_rate));
  out.Set("uploadRate", Napi::Number::New(env, s.upload_payload_rate));
  out.Set("peers", Napi::Number::New(env, s.num_peers));
  out.Set("seeds", Napi::Number::New(env, s.num_seeds));
  out.Set("totalDone", Napi::Number::New(env, static_cast<double>(s.total_done)));
  out.Set("totalWanted", Napi::Number::New(env, static_cast<double>(s.total_wanted)));
  out.Set("totalUpload", Napi::Number::New(env, static_cast<double>(s.all_time_upload)));
  out.Set("hasMetadata", Napi::Boolean::New(env, s.has_metadata));
  out.Set("isSeeding", Napi::Boolean::New(env, s.is_seeding));
  out.Set("isFinished", Napi::Boolean::New(env, s.is_finished));
  out.Set("paused", Napi::Boolean::New(env, static_cast<bool>(s.flags & lt::torrent_flags::paused)));
  out.Set("savePath", Napi::String::New(env, s.save_path));
  set_error(env, out, s.errc, "torrent");
  out.Freeze();
  return out;
}

Napi::Object alert_to_object(Napi::Env env, lt::alert const* a, const IdResolver& id_of) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("type", Napi::String::New(env, a->what()));
  out.Set("category", Napi::Number::New(env, static_cast<double>(static_cast<std::uint32_t>(a->category()))));
  out.Set("message", Napi::String::New(env, a->message()));
  if (auto const* t = dynamic_cast<lt::torrent_alert const*>(a)) {
    if (t->handle.is_valid()) out.Set("torrent", Napi::String::New(env, id_of(t->handle.info_hashes())));
  }
  if (auto const* p = dynamic_cast<lt::peer_alert const*>(a)) set_endpoint(env, out, p->endpoint);

  switch (a->type()) {
    case lt::add_torrent_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::add_torrent_alert>(a);
      out.Set("infoHashes", info_hashes_object(env, x->params.info_hashes));
      set_error(env, out, x->error, "add_torrent");
      break;
    }
    case lt::torrent_removed_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::torrent_removed_alert>(a);
      out.Set("torrent", Napi::String::New(env, id_of(x->info_hashes)));
      break;
    }
    case lt::torrent_deleted_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::torrent_deleted_alert>(a);
      out.Set("torrent", Napi::String::New(env, id_of(x->info_hashes)));
      break;
    }
    case lt::torrent_delete_failed_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::torrent_delete_failed_alert>(a);
      out.Set("torrent", Napi::String::New(env, id_of(x->info_hashes)));
      set_error(env, out, x->error, "delete_files");
      break;
    }
    case lt::state_update_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::state_update_alert>(a);
      Napi::Array statuses = Napi::Array::New(env, x->status.size());
      for (size_t i = 0; i < x->status.size(); i++) statuses.Set(static_cast<uint32_t>(i), status_to_object(env, x->status[i], id_of));
      statuses.Freeze();
      out.Set("statuses", statuses);
      break;
    }
    case lt::torrent_error_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::torrent_error_alert>(a);
      set_error(env, out, x->error, "torrent");
      out.Set("file", Napi::String::New(env, x->filename()));
      break;
    }
    case lt::file_error_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::file_error_alert>(a);
      set_error(env, out, x->error, lt::operation_name(x->op));
      out.Set("file", Napi::String::New(env, x->filename()));
      break;
    }
    case lt::read_piece_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::read_piece_alert>(a);
      out.Set("piece", Napi::Number::New(env, static_cast<int>(x->piece)));
      if (x->error) {
        set_error(env, out, x->error, "read_piece");
      } else {
        out.Set("data", copy_buffer(env, x->buffer.get(), static_cast<size_t>(x->size)));
      }
      break;
    }
    case lt::piece_finished_alert::alert_type:
      out.Set("piece", Napi::Number::New(env, static_cast<int>(lt::alert_cast<lt::piece_finished_alert>(a)->piece_index)));
      break;
    case lt::hash_failed_alert::alert_type:
      out.Set("piece", Napi::Number::New(env, static_cast<int>(lt::alert_cast<lt::hash_failed_alert>(a)->piece_index)));
      break;
    case lt::save_resume_data_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::save_resume_data_alert>(a);
      std::vector<char> bytes = lt::write_resume_data_buf(x->params);
      out.Set("data", copy_buffer(env, bytes.data(), bytes.size()));
      break;
    }
    case lt::save_resume_data_failed_alert::alert_type:
      set_error(env, out, lt::alert_cast<lt::save_resume_data_failed_alert>(a)->error, "save_resume_data");
      break;
    case lt::listen_succeeded_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::listen_succeeded_alert>(a);
      out.Set("address", Napi::String::New(env, x->address.to_string()));
      out.Set("port", Napi::Number::New(env, x->port));
      out.Set("socketType", Napi::String::New(env, x->socket_type == lt::socket_type_t::tcp ? "tcp" : x->socket_type == lt::socket_type_t::utp ? "utp" : "other"));
      break;
    }
    case lt::listen_failed_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::listen_failed_alert>(a);
      out.Set("address", Napi::String::New(env, x->address.to_string()));
      out.Set("port", Napi::Number::New(env, x->port));
      set_error(env, out, x->error, lt::operation_name(x->op));
      break;
    }
    case lt::lsd_peer_alert::alert_type:
      break;  // torrent + endpoint already set
    case lt::dht_mutable_item_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::dht_mutable_item_alert>(a);
      out.Set("publicKey", Napi::String::New(env, to_hex(x->key.data(), x->key.size())));
      out.Set("signature", Napi::String::New(env, to_hex(x->signature.data(), x->signature.size())));
      out.Set("seq", Napi::BigInt::New(env, x->seq));
      out.Set("salt", copy_buffer(env, x->salt.data(), x->salt.size()));
      out.Set("value", entry_bytes(env, x->item));
      out.Set("authoritative", Napi::Boolean::New(env, x->authoritative));
      break;
    }
    case lt::dht_immutable_item_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::dht_immutable_item_alert>(a);
      out.Set("target", Napi::String::New(env, to_hex(x->target.data(), x->target.size())));
      out.Set("value", entry_bytes(env, x->item));
      break;
    }
    case lt::dht_put_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::dht_put_alert>(a);
      out.Set("target", Napi::String::New(env, to_hex(x->target.data(), x->target.size())));
      out.Set("publicKey", Napi::String::New(env, to_hex(x->public_key.data(), x->public_key.size())));
      out.Set("signature", Napi::String::New(env, to_hex(x->signature.data(), x->signature.size())));
      out.Set("salt", copy_buffer(env, x->salt.data(), x->salt.size()));
      out.Set("seq", Napi::BigInt::New(env, x->seq));
      out.Set("successes", Napi::Number::New(env, x->num_success));
      break;
    }
    case lt::dht_get_peers_reply_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::dht_get_peers_reply_alert>(a);
      out.Set("target", Napi::String::New(env, to_hex(x->info_hash.data(), x->info_hash.size())));
      std::vector<lt::tcp::endpoint> peers = x->peers();
      Napi::Array list = Napi::Array::New(env, peers.size());
      for (size_t i = 0; i < peers.size(); i++) {
        Napi::Object peer = Napi::Object::New(env);
        set_endpoint(env, peer, peers[i]);
        peer.Freeze();
        list.Set(static_cast<uint32_t>(i), peer);
      }
      list.Freeze();
      out.Set("peers", list);
      break;
    }
    case lt::dht_announce_alert::alert_type: {
      auto const* x = lt::alert_cast<lt::dht_announce_alert>(a);
      out.Set("target", Napi::String::New(env, to_hex(x->info_hash.data(), x->info_hash.size())));
      out.Set("address", Napi::String::New(env, x->ip.to_string()));
      out.Set("port", Napi::Number::New(env, x->port));
      break;
    }
    case lt::dht_bootstrap_alert::alert_type:
      break;
    case lt::peer_disconnected_alert::alert_type:
      set_error(env, out, lt::alert_cast<lt::peer_disconnected_alert>(a)->error, "peer");
      break;
    case lt::session_error_alert::alert_type:
      set_error(env, out, lt::alert_cast<lt::session_error_alert>(a)->error, "session");
      break;
    case lt::metadata_failed_alert::alert_type:
      set_error(env, out, lt::alert_cast<lt::metadata_failed_alert>(a)->error, "metadata");
      break;
    default:
      break;
  }
  out.Freeze();
  return out;
}

}  // namespace swarmpress
