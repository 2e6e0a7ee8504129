// One libtorrent session, as a JS object (class Session).
//
// Threading: libtorrent runs its own network and disk threads. Its alert-notify callback
// only wakes the JS thread through a libuv async handle; JS then calls popAlerts() and
// gets plain frozen objects. Calls from JS into libtorrent go through the thread-safe
// session and torrent handles; BEP 10 sends are posted to the network thread. No JS ever
// runs on a libtorrent thread.
//
// Ownership: the Session owns the lt::session, the libuv async handle and the extension
// hub. close() aborts the session and joins its threads off the JS thread; a Session that
// is garbage collected (or alive at exit) is torn down in its destructor.
#include <libtorrent/alert_types.hpp>
#include <libtorrent/bdecode.hpp>
#include <libtorrent/bencode.hpp>
#include <libtorrent/hex.hpp>
#include <libtorrent/kademlia/item.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/posix_disk_io.hpp>
#include <libtorrent/read_resume_data.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/session_params.hpp>
#include <libtorrent/torrent_info.hpp>
#include <libtorrent/torrent_status.hpp>
#include <uv.h>

#include <boost/asio/post.hpp>

#include <cctype>
#include <memory>
#include <unordered_map>

#include "alerts.h"
#include "bindings.h"
#include "common.h"
#include "extension.h"

namespace swarmpress {

class Session;

namespace {

constexpr size_t kMaxPathBytes = 4096;
constexpr size_t kMaxMagnetBytes = 16 * 1024;
constexpr size_t kMaxTorrentBytes = 10 * 1024 * 1024;
constexpr size_t kMaxResumeBytes = 64 * 1024 * 1024;
constexpr size_t kMaxStateBytes = 64 * 1024 * 1024;
constexpr size_t kMaxExtensionName = 32;
constexpr size_t kMaxSaltBytes = 64;          // BEP 44
constexpr size_t kMaxDhtValueBytes = 1000;    // BEP 44: bencoded v
constexpr int64_t kMaxDeadlineMs = 24 * 3600 * 1000;

// Sessions whose libtorrent session has not been torn down yet (JS thread only).
int live_sessions = 0;

// What the async handle's callback reaches; `session` is cleared when the Session dies.
struct AsyncTarget {
  Session* session = nullptr;
};

lt::tcp::endpoint parse_endpoint(Napi::Env env, const std::string& address, int64_t port, const char* what) {
  lt::error_code ec;
  lt::address ip = lt::make_address(address, ec);
  if (ec) throw_type_error(env, what, "an IP address (not a host name)");
  return lt::tcp::endpoint(ip, static_cast<std::uint16_t>(port));
}

// A seq from JS: a BigInt or a safe-integer number, never rounded (BEP 44 seq is int64).
int64_t seq_from_value(Napi::Env env, Napi::Value value, const char* what) {
  if (value.IsBigInt()) {
    bool lossless = false;
    int64_t seq = value.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless || seq < 0) throw_range_error(env, what, "a non-negative 64-bit integer");
    return seq;
  }
  if (value.IsNumber()) {
    double number = value.As<Napi::Number>().DoubleValue();
    if (!(number >= 0 && number <= 9007199254740991.0) || static_cast<double>(static_cast<int64_t>(number)) != number) {
      throw_range_error(env, what, "a non-negative safe integer or a BigInt");
    }
    return static_cast<int64_t>(number);
  }
  throw_type_error(env, what, "a BigInt or a number");
}

lt::entry decode_value(Napi::Env env, const std::string& bytes, const char* what) {
  lt::error_code ec;
  lt::bdecode_node node = lt::bdecode(lt::span<char const>(bytes.data(), static_cast<std::ptrdiff_t>(bytes.size())), ec);
  if (ec) throw_native_error(env, ec, std::string("decode ") + what);
  return lt::entry(node);
}

}  // namespace

class Session : public Napi::ObjectWrap<Session> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Session",
                       {
                           InstanceMethod<&Session::ApplySettings>("applySettings"),
                           InstanceMethod<&Session::PopAlerts>("popAlerts"),
                           InstanceMethod<&Session::DrainExtensionEvents>("drainExtensionEvents"),
                           InstanceMethod<&Session::AddTorrent>("addTorrent"),
                           InstanceMethod<&Session::RemoveTorrent>("removeTorrent"),
                           InstanceMethod<&Session::PauseTorrent>("pauseTorrent"),
                           InstanceMethod<&Session::ResumeTorrent>("resumeTorrent"),
                           InstanceMethod<&Session::SetUploadMode>("setUploadMode"),
                           InstanceMethod<&Session::SaveResumeData>("saveResumeData"),
                           InstanceMethod<&Session::TorrentStatus>("torrentStatus"),
                           InstanceMethod<&Session::TorrentFiles>("torrentFiles"),
                           InstanceMethod<&Session::TorrentIds>("torrentIds"),
                           InstanceMethod<&Session::PostTorrentUpdates>("postTorrentUpdates"),
                           InstanceMethod<&Session::HavePiece>("havePiece"),
                           InstanceMethod<&Session::SetPieceDeadline>("setPieceDeadline"),
                           InstanceMethod<&Session::ReadPiece>("readPiece"),
                           InstanceMethod<&Session::MapFile>("mapFile"),
                           InstanceMethod<&Session::ConnectPeer>("connectPeer"),
                           InstanceMethod<&Session::AddDhtNode>("addDhtNode"),
                           InstanceMethod<&Session::DhtPutImmutable>("dhtPutImmutable"),
                           InstanceMethod<&Session::DhtGetImmutable>("dhtGetImmutable"),
                           InstanceMethod<&Session::DhtGetMutable>("dhtGetMutable"),
                           InstanceMethod<&Session::DhtPutMutable>("dhtPutMutable"),
                           InstanceMethod<&Session::DhtAnnounce>("dhtAnnounce"),
                           InstanceMethod<&Session::DhtGetPeers>("dhtGetPeers"),
                           InstanceMethod<&Session::SendExtension>("sendExtension"),
                           InstanceMethod<&Session::SaveState>("saveState"),
                           InstanceMethod<&Session::ListenPort>("listenPort"),
                           InstanceMethod<&Session::IsDhtRunning>("isDhtRunning"),
                           InstanceMethod<&Session::Close>("close"),
                       });
  }

  // new Session(settings, onWake, options?: { extension?: string, state?: Uint8Array })
  explicit Session(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Session>(info) {
    Napi::Env env = info.Env();
    Napi::Object settings = arg_object(info, 0, "settings");
    if (info.Length() < 2 || !info[1].IsFunction()) throw_type_error(env, "onWake", "a function");
    Napi::Object options = info.Length() > 2 && !info[2].IsUndefined() ? arg_object(info, 2, "options") : Napi::Object::New(env);
    std::string extension = opt_string(options, "extension", "", kMaxExtensionName);
    for (char c : extension) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) {
        throw_type_error(env, "options.extension", "a name of letters, digits, '_' and '.'");
      }
    }
    lt::session_params params;
    Napi::Value state = options.Get("state");
    if (!state.IsUndefined()) {
      if (!state.IsTypedArray() || state.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
        throw_type_error(env, "options.state", "a Uint8Array");
      }
      auto bytes = state.As<Napi::Uint8Array>();
      if (bytes.ByteLength() > kMaxStateBytes) throw_range_error(env, "options.state", "at most 64 MiB");
      lt::error_code ec;
      lt::bdecode_node node = lt::bdecode(
          lt::span<char const>(reinterpret_cast<const char*>(bytes.Data()), static_cast<std::ptrdiff_t>(bytes.ByteLength())), ec);
      if (ec) throw_native_error(env, ec, "read_session_params");
      params = lt::read_session_params(node, lt::session_handle::save_dht_state);
    }
    // Settings given now win over saved ones. Everything is checked before any resource
    // is created: a constructor that throws runs no destructor.
    apply_settings_object(params.settings, settings);
    wake_ = std::make_shared<AsyncTarget>();
    wake_->session = this;
    async_ = new uv_async_t;
    uv_loop_t* loop = nullptr;
    napi_get_uv_event_loop(env, &loop);
    uv_async_init(loop, async_, &Session::OnAsync);
    async_->data = new std::shared_ptr<AsyncTarget>(wake_);
    uv_async_t* async = async_;
    on_wake_ = Napi::Persistent(info[1].As<Napi::Function>());
    async_context_ = std::make_unique<Napi::AsyncContext>(env, "swarmpress:torrent-alerts");
    params.disk_io_constructor = lt::posix_disk_io_constructor;
    if (!extension.empty()) {
      hub_ = std::make_shared<ExtensionHub>(extension, [async]() { uv_async_send(async); });
      plugin_ = std::make_shared<ExtensionPlugin>(hub_);
      params.extensions.push_back(plugin_);
    }
    session_ = std::make_unique<lt::session>(std::move(params));
    live_sessions++;
    session_->set_alert_notify([async]() { uv_async_send(async); });
  }

  ~Session() override { Teardown(); }

 private:
  // Wakes JS on the loop thread: call onWake inside a callback scope (microtasks drain).
  static void OnAsync(uv_async_t* handle) {
    auto* target = static_cast<std::shared_ptr<AsyncTarget>*>(handle->data);
    Session* self = (*target)->session;
    if (self == nullptr || self->on_wake_.IsEmpty()) return;
    Napi::Env env = self->Env();
    Napi::HandleScope scope(env);
    try {
      self->on_wake_.MakeCallback(env.Global(), {}, *self->async_context_);
    } catch (const Napi::Error& error) {
      // An exception in the JS handler: report it like any uncaught exception.
      napi_fatal_exception(env, error.Value());
    }
  }

  static void OnAsyncClosed(uv_handle_t* handle) {
    delete static_cast<std::shared_ptr<AsyncTarget>*>(handle->data);
    delete reinterpret_cast<uv_async_t*>(handle);
  }

  void CloseAsync() {
    if (async_ == nullptr) return;
    wake_->session = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(async_), &Session::OnAsyncClosed);
    async_ = nullptr;
  }

  void Teardown() {
    if (session_) {
      session_->set_alert_notify([] {});
      if (hub_) hub_->set_wake({});
      session_.reset();  // blocks until libtorrent's threads have stopped
      live_sessions--;
    }
    CloseAsync();
  }

  lt::session& Live(Napi::Env env) {
    if (!session_) {
      throw_state_error(env, "ERR_SESSION_CLOSED", "session", "the session is closed");
    }
    return *session_;
  }

  lt::torrent_handle Torrent(const Napi::CallbackInfo& info, size_t index) {
    Live(info.Env());
    std::string id = arg_string(info, index, "id", 64);
    auto found = torrents_.find(id);
    if (found == torrents_.end() || !found->second.is_valid()) {
      throw_state_error(info.Env(), "ERR_NO_TORRENT", "find_torrent", "no torrent " + id + " in this session");
    }
    return found->second;
  }

  Napi::Value ApplySettings(const Napi::CallbackInfo& info) {
    lt::session& session = Live(info.Env());
    session.apply_settings(settings_from_object(arg_object(info, 0, "settings")));
    return info.Env().Undefined();
  }

  Napi::Value PopAlerts(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!session_) return Napi::Array::New(env);
    std::vector<lt::alert*> alerts;
    session_->pop_alerts(&alerts);
    Napi::Array out = Napi::Array::New(env, alerts.size());
    IdResolver id_of = [this](lt::info_hash_t const& hashes) { return IdOf(hashes); };
    std::vector<std::string> removed;
    for (size_t i = 0; i < alerts.size(); i++) {
      if (auto const* gone = lt::alert_cast<lt::torrent_removed_alert>(alerts[i])) removed.push_back(IdOf(gone->info_hashes));
      out.Set(static_cast<uint32_t>(i), alert_to_object(env, alerts[i], id_of));
    }
    for (const std::string& id : removed) torrents_.erase(id);
    return out;
  }

  // The id a torrent was added under (see alerts.h).
  std::string IdOf(lt::info_hash_t const& hashes) const {
    if (hashes.has_v1()) {
      std::string v1 = to_hex(hashes.v1.data(), hashes.v1.size());
      if (torrents_.count(v1) > 0) return v1;
    }
    if (hashes.has_v2()) {
      std::string v2 = to_hex(hashes.v2.data(), hashes.v2.size());
      if (torrents_.count(v2) > 0) return v2;
    }
    return torrent_id(hashes);
  }

  Napi::Value DrainExtensionEvents(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object out = Napi::Object::New(env);
    uint64_t dropped = 0;
    std::vector<ExtensionEvent> events;
    if (hub_) events = hub_->drain(&dropped);
    Napi::Array list = Napi::Array::New(env, events.size());
    for (size_t i = 0; i < events.size(); i++) {
      const ExtensionEvent& e = events[i];
      Napi::Object event = Napi::Object::New(env);
      event.Set("type", Napi::String::New(env, e.kind == ExtensionEvent::Kind::message ? "message"
                                                : e.kind == ExtensionEvent::Kind::peer  ? "peer"
                                                                                         : "sent"));
      event.Set("torrent", Napi::String::New(env, e.torrent));
      event.Set("address", Napi::String::New(env, e.address));
      event.Set("port", Napi::Number::New(env, e.port));
      if (e.kind == ExtensionEvent::Kind::message) event.Set("payload", copy_buffer(env, e.payload.data(), e.payload.size()));
      if (e.kind == ExtensionEvent::Kind::sent) event.Set("count", Napi::Number::New(env, e.count));
      event.Freeze();
      list.Set(static_cast<uint32_t>(i), event);
    }
    out.Set("events", list);
    out.Set("dropped", Napi::Number::New(env, static_cast<double>(dropped)));
    return out;
  }

  // addTorrent({ savePath, torrent?, magnet?, infoHash?, resumeData?, paused?, seedMode?, uploadMode? })
  Napi::Value AddTorrent(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    lt::session& session = Live(env);
    Napi::Object p = arg_object(info, 0, "params");
    lt::add_torrent_params atp;
    lt::error_code ec;
    int sources = 0;
    Napi::Value resume = p.Get("resumeData");
    if (!resume.IsUndefined()) {
      sources++;
      std::string bytes = BytesProperty(env, p, "resumeData", kMaxResumeBytes);
      atp = lt::read_resume_data(lt::span<char const>(bytes.data(), static_cast<std::ptrdiff_t>(bytes.size())), ec);
      if (ec) throw_native_error(env, ec, "read_resume_data");
    }
    if (!p.Get("torrent").IsUndefined()) {
      sources++;
      std::string bytes = BytesProperty(env, p, "torrent", kMaxTorrentBytes);
      auto ti = std::make_shared<lt::torrent_info>(lt::span<char const>(bytes.data(), static_cast<std::ptrdiff_t>(bytes.size())), ec, lt::from_span);
      if (ec) throw_native_error(env, ec, "parse_torrent");
      atp.ti = ti;
    }
    std::string magnet = opt_string(p, "magnet", "", kMaxMagnetBytes);
    if (!magnet.empty()) {
      sources++;
      lt::parse_magnet_uri(magnet, atp, ec);
      if (ec) throw_native_error(env, ec, "parse_magnet_uri");
    }
    std::string hash = opt_string(p, "infoHash", "", 64);
    if (!hash.empty()) {
      sources++;
      if (hash.size() == 40 && from_hex(hash, atp.info_hashes.v1.data(), 20)) {
      } else if (hash.size() == 64 && from_hex(hash, atp.info_hashes.v2.data(), 32)) {
      } else {
        throw_range_error(env, "params.infoHash", "40 (v1) or 64 (v2) hex digits");
      }
    }
    if (sources != 1) throw_type_error(env, "params", "an object with exactly one of torrent, magnet, infoHash and resumeData");
    std::string save_path = opt_string(p, "savePath", "", kMaxPathBytes);
    if (save_path.empty() && atp.save_path.empty()) throw_type_error(env, "params.savePath", "a folder path");
    if (!save_path.empty()) atp.save_path = save_path;
    atp.flags &= ~lt::torrent_flags::auto_managed;
    atp.flags |= lt::torrent_flags::duplicate_is_error;
    if (opt_bool(p, "paused", false)) atp.flags |= lt::torrent_flags::paused;
    else atp.flags &= ~lt::torrent_flags::paused;
    if (opt_bool(p, "seedMode", false)) atp.flags |= lt::torrent_flags::seed_mode;
    // Upload mode: peers are connected (BEP 10 handshakes happen) but no piece is requested.
    if (opt_bool(p, "uploadMode", false)) atp.flags |= lt::torrent_flags::upload_mode;
    lt::torrent_handle handle = session.add_torrent(std::move(atp), ec);
    if (ec) throw_native_error(env, ec, "add_torrent");
    lt::info_hash_t hashes = handle.info_hashes();
    torrents_[torrent_id(hashes)] = handle;
    return info_hashes_object(env, hashes);  // its id is the one used from now on
  }

  std::string BytesProperty(Napi::Env env, Napi::Object p, const char* key, size_t max) {
    Napi::Value value = p.Get(key);
    std::string what = std::string("params.") + key;
    if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      throw_type_error(env, what, "a Uint8Array or Buffer");
    }
    auto bytes = value.As<Napi::Uint8Array>();
    if (bytes.ByteLength() > max) throw_range_error(env, what, "at most " + std::to_string(max) + " bytes");
    return std::string(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength());
  }

  Napi::Value RemoveTorrent(const Napi::CallbackInfo& info) {
    lt::torrent_handle handle = Torrent(info, 0);
    bool delete_files = info.Length() > 1 && info[1].IsBoolean() && info[1].As<Napi::Boolean>().Value();
    if (info.Length() > 1 && !info[1].IsBoolean() && !info[1].IsUndefined()) throw_type_error(info.Env(), "deleteFiles", "of type boolean");
    session_->remove_torrent(handle, delete_files ? lt::session_handle::delete_files : lt::remove_flags_t{});
    return info.Env().Undefined();
  }

  Napi::Value PauseTorrent(const Napi::CallbackInfo& info) {
    Torrent(info, 0).pause(lt::torrent_handle::graceful_pause);
    return info.Env().Undefined();
  }

  Napi::Value ResumeTorrent(const Napi::CallbackInfo& info) {
    Torrent(info, 0).resume();
    return info.Env().Undefined();
  }

  // setUploadMode(id, on): on, no piece is requested (see addTorrent's uploadMode).
  Napi::Value SetUploadMode(const Napi::CallbackInfo& info) {
    lt::torrent_handle handle = Torrent(info, 0);
    if (info.Length() < 2 || !info[1].IsBoolean()) throw_type_error(info.Env(), "on", "a boolean");
    if (info[1].As<Napi::Boolean>().Value()) handle.set_flags(lt::torrent_flags::upload_mode);
    else handle.unset_flags(lt::torrent_flags::upload_mode);
    return info.Env().Undefined();
  }

  Napi::Value SaveResumeData(const Napi::CallbackInfo& info) {
    Torrent(info, 0).save_resume_data(lt::torrent_handle::save_info_dict);
    return info.Env().Undefined();
  }

  Napi::Value TorrentStatus(const Napi::CallbackInfo& info) {
    IdResolver id_of = [this](lt::info_hash_t const& hashes) { return IdOf(hashes); };
    return status_to_object(info.Env(), Torrent(info, 0).status(), id_of);
  }

  Napi::Value TorrentIds(const Napi::CallbackInfo& info) {
    Live(info.Env());
    Napi::Array out = Napi::Array::New(info.Env());
    uint32_t n = 0;
    for (auto const& entry : torrents_) out.Set(n++, Napi::String::New(info.Env(), entry.first));
    return out;
  }

  // torrentFiles(id): null before the metadata is known, else the files with progress.
  Napi::Value TorrentFiles(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    lt::torrent_handle handle = Torrent(info, 0);
    std::shared_ptr<const lt::torrent_info> ti = handle.torrent_file();
    if (!ti) return env.Null();
    std::vector<std::int64_t> progress = handle.file_progress(lt::torrent_handle::piece_granularity);
    Napi::Object out = Napi::Object::New(env);
    out.Set("pieceLength", Napi::Number::New(env, ti->piece_length()));
    out.Set("numPieces", Napi::Number::New(env, ti->num_pieces()));
    out.Set("name", Napi::String::New(env, ti->name()));
    out.Set("files", files_array(env, ti->files(), &progress));
    out.Freeze();
    return out;
  }

  Napi::Value PostTorrentUpdates(const Napi::CallbackInfo& info) {
    Live(info.Env()).post_torrent_updates();
    return info.Env().Undefined();
  }

  // The torrent's metadata; ERR_NO_METADATA while a magnet's is still being fetched.
  static std::shared_ptr<const lt::torrent_info> Metadata(Napi::Env env, lt::torrent_handle const& handle) {
    std::shared_ptr<const lt::torrent_info> ti = handle.torrent_file();
    if (!ti) {
      throw_state_error(env, "ERR_NO_METADATA", "torrent_file", "the torrent's metadata is not known yet");
    }
    return ti;
  }

  int PieceArg(const Napi::CallbackInfo& info, size_t index, lt::torrent_handle const& handle) {
    std::shared_ptr<const lt::torrent_info> ti = Metadata(info.Env(), handle);
    return static_cast<int>(arg_integer(info, index, "piece", 0, ti->num_pieces() - 1));
  }

  Napi::Value HavePiece(const Napi::CallbackInfo& info) {
    lt::torrent_handle handle = Torrent(info, 0);
    return Napi::Boolean::New(info.Env(), handle.have_piece(lt::piece_index_t(PieceArg(info, 1, handle))));
  }

  // setPieceDeadline(id, piece, deadlineMs, alertWhenAvailable): the piece is fetched first,
  // and with alertWhenAvailable its data arrives as a read_piece alert.
  Napi::Value SetPieceDeadline(const Napi::CallbackInfo& info) {
    lt::torrent_handle handle = Torrent(info, 0);
    int piece = PieceArg(info, 1, handle);
    auto deadline = static_cast<int>(arg_integer(info, 2, "deadlineMs", 0, kMaxDeadlineMs));
    bool alert = info.Length() > 3 && info[3].IsBoolean() && info[3].As<Napi::Boolean>().Value();
    handle.set_piece_deadline(lt::piece_index_t(piece), deadline, alert ? lt::torrent_handle::alert_when_available : lt::deadline_flags_t{});
    return info.Env().Undefined();
  }

  Napi::Value ReadPiece(const Napi::CallbackInfo& info) {
    lt::torrent_handle handle = Torrent(info, 0);
    handle.read_piece(lt::piece_index_t(PieceArg(info, 1, handle)));
    return info.Env().Undefined();
  }

  // mapFile(id, fileIndex, offset, size) -> { piece, start, length }
  Napi::Value MapFile(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    lt::torrent_handle handle = Torrent(info, 0);
    std::shared_ptr<const lt::torrent_info> ti = Metadata(env, handle);
    auto file = static_cast<int>(arg_integer(info, 1, "fileIndex", 0, ti->num_files() - 1));
    std::int64_t file_size = ti->files().file_size(lt::file_index_t(file));
    int64_t offset = arg_integer(info, 2, "offset", 0, file_size);
    auto size = static_cast<int>(arg_integer(info, 3, "size", 0, std::min<int64_t>(file_size - offset, 0x7fffffff)));
    lt::peer_request request = ti->map_file(lt::file_index_t(file), offset, size);
    Napi::Object out = Napi::Object::New(env);
    out.Set("piece", Napi::Number::New(env, static_cast<int>(request.piece)));
    out.Set("start", Napi::Number::New(env, request.start));
    out.Set("length", Napi::Number::New(env, request.length));
    out.Freeze();
    return out;
  }

  Napi::Value ConnectPeer(const Napi::CallbackInfo& info) {
    lt::torrent_handle handle = Torrent(info, 0);
    std::string address = arg_string(info, 1, "address", 64);
    int64_t port = arg_integer(info, 2, "port", 1, 65535);
    // TCP, plain: a peer given by address is a LAN or test peer. libtorrent would try uTP
    // first, whose LEDBAT congestion control yields to other traffic by design — measured
    // on loopback: 1 GiB at 4.7 MB/s over uTP, 75-100 MB/s over TCP.
    handle.connect_peer(parse_endpoint(info.Env(), address, port, "address"), lt::peer_source_flags_t{}, lt::pex_flags_t{});
    return info.Env().Undefined();
  }

  Napi::Value AddDhtNode(const Napi::CallbackInfo& info) {
    lt::session& session = Live(info.Env());
    std::string host = arg_string(info, 0, "host", 253);
    auto port = static_cast<int>(arg_integer(info, 1, "port", 1, 65535));
    session.add_dht_node({host, port});
    return info.Env().Undefined();
  }

  // dhtPutImmutable(bencodedValue) -> target (hex)
  Napi::Value DhtPutImmutable(const Napi::CallbackInfo& info) {
    lt::session& session = Live(info.Env());
    std::string bytes = arg_bytes(info, 0, "value", kMaxDhtValueBytes);
    lt::sha1_hash target = session.dht_put_item(decode_value(info.Env(), bytes, "value"));
    return Napi::String::New(info.Env(), to_hex(target.data(), target.size()));
  }

  Napi::Value DhtGetImmutable(const Napi::CallbackInfo& info) {
    lt::session& session = Live(info.Env());
    std::string target = arg_hex(info, 0, "target", 20);
    session.dht_get_item(lt::sha1_hash(target.data()));
    return info.Env().Undefined();
  }

  // dhtGetMutable(publicKey hex, salt bytes): results arrive as dht_mutable_item alerts,
  // one per better response and a last one with authoritative = true.
  Napi::Value DhtGetMutable(const Napi::CallbackInfo& info) {
    lt::session& session = Live(info.Env());
    std::string key = arg_hex(info, 0, "publicKey", 32);
    std::string salt = info.Length() > 1 && !info[1].IsUndefined() ? arg_bytes(info, 1, "salt", kMaxSaltBytes) : std::string();
    std::array<char, 32> k;
    std::copy(key.begin(), key.end(), k.begin());
    session.dht_get_item(k, salt);
    return info.Env().Undefined();
  }

  // dhtPutMutable(publicKey hex, salt, seq, bencodedValue, signature hex, cas?)
  // The record was signed by the caller (src/core); libtorrent's callback only copies it.
  // libtorrent does not send BEP 44's `cas`, but it reads the current record before it
  // puts, and hands it to the callback: when the network's seq is not `cas`, or is already
  // at or above ours, the network's own signed record is re-put unchanged, and the
  // dht_put alert then carries that seq instead of ours, so the caller sees the conflict.
  Napi::Value DhtPutMutable(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    lt::session& session = Live(env);
    std::string key = arg_hex(info, 0, "publicKey", 32);
    std::string salt = arg_bytes(info, 1, "salt", kMaxSaltBytes);
    if (info.Length() < 3) throw_type_error(env, "seq", "a BigInt or a number");
    int64_t seq = seq_from_value(env, info[2], "seq");
    std::string value_bytes = arg_bytes(info, 3, "value", kMaxDhtValueBytes);
    lt::entry value = decode_value(env, value_bytes, "value");
    std::string sig = arg_hex(info, 4, "signature", 64);
    bool has_cas = info.Length() > 5 && !info[5].IsUndefined();
    int64_t cas = has_cas ? seq_from_value(env, info[5], "cas") : 0;
    if (has_cas && cas >= seq) throw_range_error(env, "cas", "lower than seq");
    std::array<char, 32> k;
    std::copy(key.begin(), key.end(), k.begin());
    std::array<char, 64> signature;
    std::copy(sig.begin(), sig.end(), signature.begin());
    session.dht_put_item(
        k,
        [value, signature, seq, has_cas, cas](lt::entry& current, std::array<char, 64>& current_sig, std::int64_t& current_seq,
                                               std::string const&) {
          bool network_has_value = current.type() != lt::entry::undefined_t;
          bool cas_conflict = has_cas && network_has_value && current_seq != cas;
          bool outdated = network_has_value && current_seq >= seq;
          if (cas_conflict || outdated) return;  // keep (and re-put) the network's record
          current = value;
          current_sig = signature;
          current_seq = seq;
        },
        salt);
    return env.Undefined();
  }

  Napi::Value DhtAnnounce(const Napi::CallbackInfo& info) {
    lt::session& session = Live(info.Env());
    std::string target = arg_hex(info, 0, "target", 20);
    auto port = static_cast<int>(arg_integer(info, 1, "port", 0, 65535));
    bool seed = info.Length() > 2 && info[2].IsBoolean() && info[2].As<Napi::Boolean>().Value();
    session.dht_announce(lt::sha1_hash(target.data()), port, seed ? lt::dht::announce::seed : lt::dht::announce_flags_t{});
    return info.Env().Undefined();
  }

  Napi::Value DhtGetPeers(const Napi::CallbackInfo& info) {
    lt::session& session = Live(info.Env());
    std::string target = arg_hex(info, 0, "target", 20);
    session.dht_get_peers(lt::sha1_hash(target.data()));
    return info.Env().Undefined();
  }

  // sendExtension(id, payload, address?, port?): posts the send to the network thread; a
  // `sent` extension event reports how many peers it reached.
  Napi::Value SendExtension(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    lt::session& session = Live(env);
    if (!plugin_) {
      throw_state_error(env, "ERR_NO_EXTENSION", "send_extension", "this session was created without an extension name");
    }
    std::string id = arg_string(info, 0, "id", 64);
    std::string payload = arg_bytes(info, 1, "payload", kMaxExtensionPayload);
    std::string address;
    int port = 0;
    if (info.Length() > 2 && !info[2].IsUndefined()) {
      address = arg_string(info, 2, "address", 64);
      port = static_cast<int>(arg_integer(info, 3, "port", 1, 65535));
      parse_endpoint(env, address, port, "address");
    }
    std::shared_ptr<ExtensionPlugin> plugin = plugin_;
    boost::asio::post(session.get_context(), [plugin, id, payload, address, port]() { plugin->send(id, address, port, payload); });
    return env.Undefined();
  }

  // saveState(): the session's settings and DHT state (routing table, node id), bencoded.
  Napi::Value SaveState(const Napi::CallbackInfo& info) {
    lt::session& session = Live(info.Env());
    std::vector<char> bytes = lt::write_session_params_buf(session.session_state(lt::session_handle::save_dht_state | lt::session_handle::save_settings));
    return copy_buffer(info.Env(), bytes.data(), bytes.size());
  }

  Napi::Value ListenPort(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), Live(info.Env()).listen_port()); }

  Napi::Value IsDhtRunning(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), Live(info.Env()).is_dht_running()); }

  class CloseWorker : public Napi::AsyncWorker {
   public:
    CloseWorker(Napi::Env env, lt::session_proxy proxy, Session* session)
        : Napi::AsyncWorker(env, "swarmpress:closeSession"),
          deferred_(Napi::Promise::Deferred::New(env)),
          proxy_(std::make_unique<lt::session_proxy>(std::move(proxy))),
          session_(session) {
      session_->Ref();  // keep the JS object alive until the threads have stopped
    }
    Napi::Promise Promise() { return deferred_.Promise(); }

   protected:
    // The proxy's destructor joins libtorrent's threads (assigning over it would not).
    void Execute() override { proxy_.reset(); }
    void OnOK() override {
      session_->CloseAsync();
      session_->Unref();
      deferred_.Resolve(Env().Undefined());
    }

   private:
    Napi::Promise::Deferred deferred_;
    std::unique_ptr<lt::session_proxy> proxy_;
    Session* session_;
  };

  // close(): Promise<void> — idempotent; resolves when libtorrent's threads have stopped.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!session_) {
      if (closing_.IsEmpty()) {
        auto deferred = Napi::Promise::Deferred::New(env);
        deferred.Resolve(env.Undefined());
        return deferred.Promise();
      }
      return closing_.Value();
    }
    session_->set_alert_notify([] {});
    if (hub_) hub_->set_wake({});
    lt::session_proxy proxy = session_->abort();
    session_.reset();
    live_sessions--;
    torrents_.clear();
    auto* worker = new CloseWorker(env, std::move(proxy), this);
    Napi::Promise promise = worker->Promise();
    closing_ = Napi::Persistent(promise.As<Napi::Object>());
    worker->Queue();
    return promise;
  }

  std::unique_ptr<lt::session> session_;
  std::shared_ptr<AsyncTarget> wake_;
  uv_async_t* async_ = nullptr;
  Napi::FunctionReference on_wake_;
  std::unique_ptr<Napi::AsyncContext> async_context_;
  std::shared_ptr<ExtensionHub> hub_;
  std::shared_ptr<ExtensionPlugin> plugin_;
  std::unordered_map<std::string, lt::torrent_handle> torrents_;
  Napi::ObjectReference closing_;
};

void bind_session(Napi::Env env, Napi::Object exports) {
  exports.Set("Session", Session::Define(env));
  // liveSessions(): sessions created and neither closed nor garbage collected (tests).
  exports.Set("liveSessions", Napi::Function::New(env, [](const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), live_sessions); }));
}

}  // namespace swarmpress
