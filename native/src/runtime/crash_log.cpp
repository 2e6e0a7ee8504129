// A window that dies leaves a trace (issue #22: the reader's window once vanished with no
// output). installCrashLog(path) installs handlers for the signals of a crash (SIGSEGV,
// SIGBUS, SIGILL, SIGFPE, SIGABRT) and V8's fatal-error hook; each appends to `path` one
// line saying what happened, then the native stack (glibc's backtrace), then lets the
// process die as it would have (the default action: a core dump where enabled).
//
// The signal handler runs on an alternate stack (a stack overflow leaves no room on the
// thread's own) and calls only async-signal-safe functions: open, write, close, and
// backtrace/backtrace_symbols_fd, which are safe once libgcc is loaded — backtrace() is
// called once at install time for that. Symbols are what the dynamic symbol tables give
// (function+offset in the shared library); addr2line turns the rest into lines.
//
// crashForTest(kind) crashes on purpose ('segv' or 'abort'), for the test that the log is
// written; the app calls it only when a test asks through its environment.
//
// Threading: installed from the JS thread; the handlers run on whichever thread crashed.

#include "crash_log.h"

#include <execinfo.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <v8.h>

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

// V8's WebAssembly trap handler (v8-wasm-trap-handler-posix.h, which Debian's Node headers
// leave out; Node exports the function). Node's own SIGSEGV handler asks it first: an
// out-of-bounds access of WebAssembly code (undici's llhttp) is an exception, not a crash.
namespace v8 {
bool TryHandleWebAssemblyTrapPosix(int sig_code, siginfo_t* info, void* context);
}  // namespace v8

namespace swarmpress {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
constexpr size_t kMaxPath = 4096;
constexpr int kMaxFrames = 64;
// glibc's SIGSTKSZ is no longer a constant; 64 KiB holds the handler and backtrace.
constexpr size_t kAltStackBytes = 64 * 1024;

char log_path[kMaxPath];
bool installed = false;
// Set once a crash was logged: abort() after a V8 fatal error must not log it twice.
volatile sig_atomic_t logged = 0;
char alt_stack[kAltStackBytes];

void write_text(int fd, const char* text) {
  size_t left = strlen(text);
  while (left > 0) {
    ssize_t wrote = write(fd, text, left);
    if (wrote <= 0) return;
    text += wrote;
    left -= static_cast<size_t>(wrote);
  }
}

// Decimal or hexadecimal digits of `value` into `out` (async-signal-safe; no printf).
void write_number(int fd, unsigned long value, unsigned base) {
  char digits[32];
  size_t at = sizeof(digits);
  digits[--at] = '\0';
  do {
    unsigned digit = static_cast<unsigned>(value % base);
    digits[--at] = static_cast<char>(digit < 10 ? '0' + digit : 'a' + digit - 10);
    value /= base;
  } while (value != 0 && at > 0);
  write_text(fd, digits + at);
}

const char* signal_name(int signal) {
  switch (signal) {
    case SIGSEGV: return "SIGSEGV (invalid memory access)";
    case SIGBUS: return "SIGBUS (bus error)";
    case SIGILL: return "SIGILL (illegal instruction)";
    case SIGFPE: return "SIGFPE (arithmetic error)";
    case SIGABRT: return "SIGABRT (aborted)";
    default: return "a fatal signal";
  }
}

// Appends "swarmpress crashed: <reason>" (+ detail, + the faulting address when
// `has_address`) and the native stack to the log.
void log_crash(const char* reason, const char* detail, bool has_address, const void* address) {
  if (logged != 0 || log_path[0] == '\0') return;
  logged = 1;
  int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return;
  write_text(fd, "swarmpress crashed: ");
  write_text(fd, reason);
  if (detail != nullptr && detail[0] != '\0') {
    write_text(fd, ": ");
    write_text(fd, detail);
  }
  if (has_address) {
    write_text(fd, " at address 0x");
    write_number(fd, reinterpret_cast<unsigned long>(address), 16);
  }
  write_text(fd, " (pid ");
  write_number(fd, static_cast<unsigned long>(getpid()), 10);
  write_text(fd, ", unix time ");
  write_number(fd, static_cast<unsigned long>(time(nullptr)), 10);
  write_text(fd, ")\nnative stack:\n");
  void* frames[kMaxFrames];
  int count = backtrace(frames, kMaxFrames);
  backtrace_symbols_fd(frames, count, fd);
  write_text(fd, "end of native stack\n");
  close(fd);
}

void on_signal(int signal, siginfo_t* info, void* context) {
  // This handler replaced Node's, which lets V8 turn WebAssembly's memory traps into exceptions.
  if ((signal == SIGSEGV || signal == SIGBUS) && v8::TryHandleWebAssemblyTrapPosix(signal, info, context)) return;
  bool fault = signal != SIGABRT && info != nullptr && info->si_code > 0;
  log_crash(signal_name(signal), nullptr, fault, fault ? info->si_addr : nullptr);
  // The default action now: a fault returns to the faulting instruction and faults again;
  // a signal sent or raised is raised again once this handler returns.
  struct sigaction fallback;
  memset(&fallback, 0, sizeof(fallback));
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  sigaction(signal, &fallback, nullptr);
  if (!fault) raise(signal);
}

void on_v8_fatal(const char* location, const char* message) {
  std::string detail = std::string(location == nullptr ? "" : location) + ": " + (message == nullptr ? "" : message);
  log_crash("V8 fatal error", detail.c_str(), false, nullptr);
  // What Node's own handler prints, which this one replaces.
  write_text(STDERR_FILENO, "FATAL ERROR: ");
  write_text(STDERR_FILENO, detail.c_str());
  write_text(STDERR_FILENO, "\n");
  abort();
}

bool read_string(napi_env env, napi_value value, char* out, size_t capacity) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, nullptr, 0, &length) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a string");
    return false;
  }
  if (length + 1 > capacity) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "the string is too long");
    return false;
  }
  napi_get_value_string_utf8(env, value, out, capacity, &length);
  return true;
}

napi_value InstallCrashLog(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  char path[kMaxPath];
  if (argc < 1 || !read_string(env, argv[0], path, sizeof(path))) {
    if (argc < 1) napi_throw_type_error(env, "ERR_INVALID_ARG_COUNT", "installCrashLog(path) needs the log's path");
    return nullptr;
  }
  if (path[0] != '/') {
    napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE", "the crash log's path must be absolute");
    return nullptr;
  }
  memcpy(log_path, path, sizeof(log_path));
  if (installed) return nullptr;
  installed = true;
  // Loads libgcc's unwinder now: the first backtrace() may allocate, which a signal handler must not.
  void* warm[2];
  backtrace(warm, 2);
  stack_t stack;
  memset(&stack, 0, sizeof(stack));
  stack.ss_sp = alt_stack;
  stack.ss_size = sizeof(alt_stack);
  sigaltstack(&stack, nullptr);
  struct sigaction action;
  memset(&action, 0, sizeof(action));
  action.sa_sigaction = on_signal;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  for (int signal : kSignals) sigaction(signal, &action, nullptr);
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (isolate != nullptr) isolate->SetFatalErrorHandler(on_v8_fatal);
  return nullptr;
}

napi_value CrashForTest(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  char kind[16];
  if (argc < 1 || !read_string(env, argv[0], kind, sizeof(kind))) return nullptr;
  if (strcmp(kind, "segv") == 0) {
    volatile int* nowhere = nullptr;
    *nowhere = 1;
  } else if (strcmp(kind, "abort") == 0) {
    abort();
  }
  napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE", "crashForTest takes 'segv' or 'abort'");
  return nullptr;
}

}  // namespace

void bind_crash_log(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"installCrashLog", nullptr, InstallCrashLog, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"crashForTest", nullptr, CrashForTest, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

}  // namespace swarmpress
