'use strict';
// swarmpress does not use the Qode binary: NodeGui runs on the stock `node` that runs this
// file. The three symbols NodeGui's addon needs from Qode are defined by swarmpress's own
// runtime module (native/src/runtime/qode_shims.cpp and glib_loop.cpp), which is loaded before @nodegui/nodegui.
module.exports = { qodePath: process.execPath, version: process.versions.node };
