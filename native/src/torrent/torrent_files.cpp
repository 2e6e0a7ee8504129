// Making and reading .torrent files.
// - createTorrent(folder, options) -> Promise: hashes a folder off the JS thread into a
//   hybrid v1+v2 torrent (BEP 52), so v1-only clients (aria2, Transmission) can fetch it.
//   Names that are not portable (control characters, backslashes, Windows device names,
//   over-long) are refused with a clear error instead of being published or skipped.
// - parseTorrent(bytes) -> description, or a NativeError with libtorrent's category and
//   value for malformed data. libtorrent sanitizes file paths while parsing; the paths
//   returned are the ones that would be written, relative to the save folder.
#include <libtorrent/bencode.hpp>
#include <libtorrent/create_torrent.hpp>
#include <libtorrent/torrent_info.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iterator>

#include "bindings.h"
#include "common.h"

namespace swarmpress {
namespace {

/** Largest .torrent file accepted (libtorrent's own default limit is 10 MiB). */
constexpr size_t kMaxTorrentBytes = 10 * 1024 * 1024;
constexpr size_t kMaxNameBytes = 255;

bool is_device_name(std::string stem) {
  std::transform(stem.begin(), stem.end(), stem.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  static const char* devices[] = {"CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
                                  "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"};
  for (const char* device : devices) {
    if (stem == device) return true;
  }
  return false;
}

// Empty string when `name` (one path element) is portable, else why not.
std::string unsafe_reason(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return "is empty or a dot name";
  if (name.size() > kMaxNameBytes) return "is longer than 255 bytes";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "contains a control character";
    if (c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|') {
      return "contains a character that is not allowed in file names on every system";
    }
  }
  if (name.back() == ' ' || name.back() == '.') return "ends in a space or a dot";
  if (is_device_name(name.substr(0, name.find('.')))) return "is a device name on Windows";
  return "";
}

}  // namespace

Napi::Array files_array(Napi::Env env, const lt::file_storage& files, const std::vector<std::int64_t>* done) {
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (lt::file_index_t i : files.file_range()) {
    if (files.pad_file_at(i)) continue;
    Napi::Object file = Napi::Object::New(env);
    file.Set("index", Napi::Number::New(env, static_cast<int>(i)));
    file.Set("path", Napi::String::New(env, files.file_path(i)));
    file.Set("size", Napi::Number::New(env, static_cast<double>(files.file_size(i))));
    file.Set("offset", Napi::Number::New(env, static_cast<double>(files.file_offset(i))));
    if (done != nullptr) file.Set("done", Napi::Number::New(env, static_cast<double>((*done)[static_cast<std::size_t>(static_cast<int>(i))])));
    file.Freeze();
    out.Set(n++, file);
  }
  out.Freeze();
  return out;
}

namespace {

Napi::Object describe(Napi::Env env, const lt::torrent_info& ti) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("infoHashes", info_hashes_object(env, ti.info_hashes()));
  out.Set("name", Napi::String::New(env, ti.name()));
  out.Set("pieceLength", Napi::Number::New(env, ti.piece_length()));
  out.Set("numPieces", Napi::Number::New(env, ti.num_pieces()));
  out.Set("totalSize", Napi::Number::New(env, static_cast<double>(ti.total_size())));
  out.Set("files", files_array(env, ti.files(), nullptr));
  return out;
}

class CreateTorrentWorker : public Napi::AsyncWorker {
 public:
  CreateTorrentWorker(Napi::Env env, std::string folder, int piece_size, bool skip_hidden, std::string creator, lt::create_flags_t flags)
      : Napi::AsyncWorker(env, "swarmpress:createTorrent"),
        deferred_(Napi::Promise::Deferred::New(env)),
        folder_(std::move(folder)),
        piece_size_(piece_size),
        skip_hidden_(skip_hidden),
        creator_(std::move(creator)),
        flags_(flags) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    namespace fs = std::filesystem;
    std::error_code fs_error;
    fs::path root = fs::absolute(folder_, fs_error);
    if (fs_error || !fs::is_directory(root, fs_error)) {
      code_ = "ERR_NOT_A_FOLDER";
      SetError(folder_ + " is not a folder");
      return;
    }
    root = root.lexically_normal();
    if (root.has_filename() == false) root = root.parent_path();
    bool skip_hidden = skip_hidden_;
    std::string bad;
    lt::file_storage storage;
    lt::add_files(
        storage, root.string(),
        [&bad, skip_hidden](std::string const& path) {
          std::string name = fs::path(path).filename().string();
          if (skip_hidden && !name.empty() && name[0] == '.') return false;
          std::string reason = unsafe_reason(name);
          if (!reason.empty() && bad.empty()) bad = "the name '" + name + "' " + reason;
          return true;
        },
        lt::create_flags_t{});
    if (!bad.empty()) {
      code_ = "ERR_UNSAFE_NAME";
      SetError(bad + "; rename it to publish this folder");
      return;
    }
    if (storage.num_files() == 0) {
      code_ = "ERR_EMPTY_FOLDER";
      SetError(folder_ + " has no files to publish");
      return;
    }
    lt::create_torrent torrent(storage, piece_size_, flags_);
    torrent.set_creator(creator_.c_str());
    lt::error_code ec;
    lt::set_piece_hashes(torrent, root.parent_path().string(), ec);
    if (ec) {
      code_ = "ERR_LIBTORRENT";
      error_ = ec;
      SetError("hashing " + folder_ + ": " + ec.message());
      return;
    }
    lt::bencode(std::back_inserter(bytes_), torrent.generate());
    info_ = std::make_shared<lt::torrent_info>(lt::span<char const>(bytes_.data(), static_cast<std::ptrdiff_t>(bytes_.size())), ec, lt::from_span);
    if (ec) {
      code_ = "ERR_LIBTORRENT";
      error_ = ec;
      SetError("reading the torrent just made: " + ec.message());
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object out = describe(env, *info_);
    out.Set("torrent", copy_buffer(env, bytes_.data(), bytes_.size()));
    out.Freeze();
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error& error) override {
    Napi::Env env = Env();
    Napi::Object value = error_ ? native_error_object(env, error_, "create_torrent") : state_error_object(env, code_, "create_torrent", error.Message());
    deferred_.Reject(value);
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::string folder_;
  int piece_size_;
  bool skip_hidden_;
  std::string creator_;
  lt::create_flags_t flags_;
  std::string code_ = "ERR_CREATE_TORRENT";
  lt::error_code error_;
  std::vector<char> bytes_;
  std::shared_ptr<lt::torrent_info> info_;
};

// createTorrent(folder, options: {pieceSize?, skipHidden?, creator?, format?: 'hybrid' | 'v1' | 'v2'}): Promise<...>
Napi::Value CreateTorrent(const Napi::CallbackInfo& info) {
  std::string folder = arg_string(info, 0, "folder", 4096);
  Napi::Object options = info.Length() > 1 && !info[1].IsUndefined() ? arg_object(info, 1, "options") : Napi::Object::New(info.Env());
  auto piece_size = static_cast<int>(opt_integer(options, "pieceSize", 0, 0, 16 * 1024 * 1024));
  if (piece_size != 0 && (piece_size < 16 * 1024 || (piece_size & (piece_size - 1)) != 0)) {
    throw_range_error(info.Env(), "options.pieceSize", "0 (automatic) or a power of two of at least 16384");
  }
  bool skip_hidden = opt_bool(options, "skipHidden", true);
  std::string creator = opt_string(options, "creator", "swarmpress", 128);
  std::string format = opt_string(options, "format", "hybrid", 16);
  lt::create_flags_t flags{};
  if (format == "v1") {
    flags = lt::create_torrent::v1_only;
  } else if (format == "v2") {
    flags = lt::create_torrent::v2_only;
  } else if (format != "hybrid") {
    throw_range_error(info.Env(), "options.format", "'hybrid', 'v1' or 'v2'");
  }
  auto* worker = new CreateTorrentWorker(info.Env(), folder, piece_size, skip_hidden, creator, flags);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// parseTorrent(bytes: Uint8Array): description; NativeError for malformed data.
Napi::Value ParseTorrent(const Napi::CallbackInfo& info) {
  std::string bytes = arg_bytes(info, 0, "bytes", kMaxTorrentBytes);
  lt::error_code ec;
  lt::torrent_info ti(lt::span<char const>(bytes.data(), static_cast<std::ptrdiff_t>(bytes.size())), ec, lt::from_span);
  if (ec) throw_native_error(info.Env(), ec, "parse_torrent");
  Napi::Object out = describe(info.Env(), ti);
  out.Freeze();
  return out;
}

}  // namespace

void bind_torrent_files(Napi::Env env, Napi::Object exports) {
  exports.Set("createTorrent", Napi::Function::New(env, CreateTorrent, "createTorrent"));
  exports.Set("parseTorrent", Napi::Function::New(env, ParseTorrent, "parseTorrent"));
}

}  // namespace swarmpress
