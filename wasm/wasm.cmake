# The WebAssembly build (emcmake): an ES module + .wasm for browsers, Node.js
# and Pyodide. Included from the root CMakeLists.txt when EMSCRIPTEN is set.

# C++ exceptions never cross to JS (bindings catch them); wasm-native
# exception handling costs nothing on the happy path (TOOLCHAIN.md).
target_compile_options(nats_core PRIVATE -fwasm-exceptions)

# JetStream's request building and JSON handling run once per API call, not
# per message: size over speed there (they are most of the engine's code;
# -Oz took the .wasm from 177 to 155 KB gzipped). PubAcks, pulls and ack subjects
# (consumer.cpp) stay -O2.
set_source_files_properties(
  core/src/json.cpp
  core/src/url.cpp
  core/src/server_errors.cpp
  core/src/engine_auth.cpp
  core/src/nkeys.cpp
  core/src/micro/service.cpp
  core/src/micro/service_json.cpp
  core/src/jetstream/advisory.cpp
  core/src/jetstream/api.cpp
  core/src/jetstream/api_call.cpp
  core/src/jetstream/engine_ordered.cpp
  core/src/jetstream/offset.cpp
  core/src/jetstream/partitions.cpp
  core/src/jetstream/push.cpp
  wasm/abi.cpp
  wasm/auth_api.cpp
  wasm/consumers_api.cpp
  wasm/kv_api.cpp
  wasm/micro_api.cpp
  wasm/partitions_api.cpp
  wasm/probe.cpp
  DIRECTORY ${CMAKE_SOURCE_DIR}
  PROPERTIES COMPILE_OPTIONS "-Oz")

# Speed over size: -Oz kept string_view/string accessors out of line and
# halved publish throughput; -O2 costs about 8 KB gzipped (docs/benchmarks.md).
set(NATS_WASM_LINK_OPT "-O2" CACHE STRING "Binaryen/link optimisation level for the WASM engine")

add_executable(nats_wasm_core
  wasm/abi.cpp
  wasm/auth_api.cpp
  wasm/bindings.cpp
  wasm/boundary.cpp
  wasm/connection.cpp
  wasm/consumers_api.cpp
  wasm/exports.cpp
  wasm/headers_api.cpp
  wasm/inbox_api.cpp
  wasm/kv_api.cpp
  wasm/micro_api.cpp
  wasm/partitions_api.cpp
  wasm/pending_api.cpp
  wasm/pool_api.cpp
  wasm/probe.cpp
  wasm/consumer_sessions.cpp
  wasm/records.cpp
  wasm/stores_calls.cpp)
target_link_libraries(nats_wasm_core PRIVATE nats_core)
target_compile_options(nats_wasm_core PRIVATE ${NATS_WARNINGS} -fwasm-exceptions)
set_target_properties(nats_wasm_core PROPERTIES SUFFIX ".mjs")
target_link_options(nats_wasm_core PRIVATE
  --bind
  ${NATS_WASM_LINK_OPT}
  -fwasm-exceptions
  -sMODULARIZE=1
  -sEXPORT_ES6=1
  -sEXPORT_NAME=createNatsCore
  # Node gets the .wasm bytes from js/src/core.mjs (wasmBinary), so the glue
  # needs no Node-specific code (no require/__dirname in ESM).
  -sENVIRONMENT=web,worker
  -sALLOW_MEMORY_GROWTH=1
  -sINITIAL_MEMORY=4MB
  -sTOTAL_STACK=256KB
  -sNODEJS_CATCH_EXIT=0
  -sNODEJS_CATCH_REJECTION=0
  -sFILESYSTEM=0
  -sEXPORTED_RUNTIME_METHODS=[HEAPU8,HEAPU32]
  -sINCOMING_MODULE_JS_API=[wasmBinary,locateFile,instantiateWasm,print,printErr]
)
