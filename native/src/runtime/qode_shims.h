// qode_shims.cpp: the three symbols NodeGui's addon expects from Qode's executable.
#pragma once

namespace swarmpress {
// Whether NodeGui handed over its run loop (it initialised through these shims).
bool qode_run_loop_injected();
}  // namespace swarmpress
