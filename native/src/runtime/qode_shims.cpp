// NodeGui's addon was written for Qode (a forked Node). It needs three symbols from the
// executable: qode::qode_argc, qode::qode_argv and qode::InjectCustomRunLoop. This file
// defines them with default visibility; JS loads the runtime with RTLD_NOW | RTLD_GLOBAL
// *before* @nodegui/nodegui, so the dynamic linker resolves NodeGui's undefined symbols
// here. InjectCustomRunLoop only records the function: Node's own libuv loop stays the
// main loop of the process (glib_loop.cpp runs Qt's events from it).

#include "qode_shims.h"

#define QODE_EXPORT __attribute__((visibility("default")))

namespace qode {
static char qode_arg0[] = "swarmpress";
static char* qode_argv_storage[] = {qode_arg0, nullptr};
// Read by NodeGui when it creates the QApplication; QApplication keeps a reference to argc,
// so both must live for the whole process.
QODE_EXPORT int qode_argc = 1;
QODE_EXPORT char** qode_argv = qode_argv_storage;
typedef int (*QodeCustomRunLoopFunc)();
static QodeCustomRunLoopFunc injected_run_loop = nullptr;
// NodeGui hands over a function that would block in QApplication::exec(). Stock Node keeps
// running libuv instead, and this module integrates Qt into it; the function is recorded
// only so that tests can see that NodeGui initialised through this module.
QODE_EXPORT void InjectCustomRunLoop(QodeCustomRunLoopFunc run_loop) { injected_run_loop = run_loop; }
}  // namespace qode

namespace swarmpress {
bool qode_run_loop_injected() { return qode::injected_run_loop != nullptr; }
}  // namespace swarmpress
