// message_filter.cpp: drops the one Qt warning every start of the window prints by design.
#pragma once

namespace swarmpress {
// Installs the filter in front of Qt's message handler (once per process).
void install_message_filter();
}  // namespace swarmpress
