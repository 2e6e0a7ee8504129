// What the window's process sets up before anything else (bin/swarmpress.js).
//
// Start-up read-ahead: on a cold page cache, loading Qt faulted its libraries in from disk
// a few pages at a time while the main thread waited (~80 ms of a cold start, against
// ~10 ms warm; measured). `readAhead(paths)` asks the kernel, from a thread of its own, to
// read those files into the page cache now (posix_fadvise WILLNEED queues the reads and
// returns), so that they arrive while Node still loads the program and loading Qt later
// finds them in memory. A file that cannot be opened is skipped: this only saves time.
//
// `limitArenas(n)`: the malloc arena limit (see LimitArenas); `mallocArenas()` counts them.
//
// The module links nothing but libc: it loads in well under a millisecond, before
// anything it helps.
#include <fcntl.h>
#include <malloc.h>
#include <node_api.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

void* read_ahead(void* arg) {
  auto* paths = static_cast<std::vector<std::string>*>(arg);
  for (const std::string& path : *paths) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
    close(fd);
  }
  delete paths;
  return nullptr;
}

napi_value ReadAhead(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value list;
  napi_get_cb_info(env, info, &argc, &list, nullptr, nullptr);
  bool is_array = false;
  if (argc < 1 || napi_is_array(env, list, &is_array) != napi_ok || !is_array) {
    napi_throw_type_error(env, nullptr, "readAhead expects an array of paths");
    return nullptr;
  }
  uint32_t length = 0;
  napi_get_array_length(env, list, &length);
  auto* paths = new std::vector<std::string>();
  for (uint32_t i = 0; i < length; i++) {
    napi_value item;
    size_t size = 0;
    if (napi_get_element(env, list, i, &item) != napi_ok || napi_get_value_string_utf8(env, item, nullptr, 0, &size) != napi_ok) continue;
    std::string path(size, '\0');
    napi_get_value_string_utf8(env, item, path.data(), size + 1, &size);
    paths->push_back(std::move(path));
  }
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attributes, 64 * 1024);
  pthread_t thread;
  bool started = pthread_create(&thread, &attributes, read_ahead, paths) == 0;
  pthread_attr_destroy(&attributes);
  if (!started) delete paths;
  napi_value result;
  napi_get_boolean(env, started, &result);
  return result;
}

// `limitArenas(n)`: glibc creates no more than n malloc arenas from now on (mallopt
// M_ARENA_MAX); threads that start later share those there are. Returns whether glibc
// took the setting.
napi_value LimitArenas(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value value;
  napi_get_cb_info(env, info, &argc, &value, nullptr, nullptr);
  int32_t arenas = 0;
  if (argc < 1 || napi_get_value_int32(env, value, &arenas) != napi_ok || arenas < 1) {
    napi_throw_range_error(env, nullptr, "limitArenas expects a positive number of arenas");
    return nullptr;
  }
  napi_value result;
  napi_get_boolean(env, mallopt(M_ARENA_MAX, arenas) == 1, &result);
  return result;
}

// `mallocArenas()`: how many arenas glibc's malloc has now (the <heap> elements of
// malloc_info), for tests and memory reports.
napi_value MallocArenas(napi_env env, napi_callback_info info) {
  char* text = nullptr;
  size_t size = 0;
  FILE* stream = open_memstream(&text, &size);
  int32_t heaps = -1;
  if (stream != nullptr) {
    bool written = malloc_info(0, stream) == 0;
    fclose(stream);
    if (written && text != nullptr) {
      heaps = 0;
      for (const char* at = strstr(text, "<heap nr="); at != nullptr; at = strstr(at + 1, "<heap nr=")) heaps++;
    }
    free(text);
  }
  napi_value result;
  napi_create_int32(env, heaps, &result);
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"readAhead", nullptr, ReadAhead, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"limitArenas", nullptr, LimitArenas, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"mallocArenas", nullptr, MallocArenas, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, 3, properties);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
