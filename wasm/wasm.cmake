# The WebAssembly build (emcmake): an ES module + .wasm for browsers, Node.js
# and Pyodide. Included from the root CMakeLists.txt when EMSCRIPTEN is set.

# C++ exceptions never cross to JS (bindings catch them); wasm-native
# exception handling costs nothing on the happy path (TOOLCHAIN.md).
# _LIBCPP_DISABLE_EXTERN_TEMPLATE: emscripten's prebuilt libc++ is built for
# size, and std::string's members are extern templates compiled there, so
# every append/resize/push_back was an out-of-line call into code that calls
# even size() out of line. Instantiated in our files instead, they inline:
# publishes went from 2.2M to 3.5M msgs/s (128 B) for 7 KB gzipped.
target_compile_options(nats_core PRIVATE -fwasm-exceptions -D_LIBCPP_DISABLE_EXTERN_TEMPLATE)

# What runs once per call, not per message, is built for size: JSON, the
# JetStream/KV/object-store API calls, services, auth, reconnection and the
# server pool (-Oz took the .wasm from 177 to 155 KB gzipped when JetStream
# came; this list took it from 249 to 222 KB when it had fallen behind).
# Publishes, dispatch, PubAcks, pulls and acks stay -O2. A new file is -O2
# until it is added here: add it when it runs once per call.
# Why not -Oz by default with the hot files -O2: emcc adds
# -fno-inline-functions to every compile that has -Oz or -Os anywhere on its
# command line, so a later -O2 still did not inline: publishes ran at 0.6x
# (measured). And -Os with -finline-functions for the cold files was larger
# than this list.
set_source_files_properties(
  core/src/base64.cpp
  core/src/engine_auth.cpp
  core/src/engine_reconnect.cpp
  core/src/engine_server_ops.cpp
  core/src/json.cpp
  core/src/nkeys.cpp
  core/src/server_errors.cpp
  core/src/server_pool.cpp
  core/src/url.cpp
  core/src/micro/service.cpp
  core/src/micro/service_json.cpp
  core/src/jetstream/advisory.cpp
  core/src/jetstream/api.cpp
  core/src/jetstream/api_call.cpp
  core/src/jetstream/api_call_read.cpp
  core/src/jetstream/api_call_kv.cpp
  core/src/jetstream/api_call_obj.cpp
  core/src/jetstream/engine_kv.cpp
  core/src/jetstream/engine_obj.cpp
  core/src/jetstream/engine_ordered.cpp
  core/src/jetstream/engine_publish_retry.cpp
  core/src/jetstream/engine_pull_recovery.cpp
  core/src/jetstream/kv.cpp
  core/src/jetstream/obj.cpp
  core/src/jetstream/offset.cpp
  core/src/jetstream/partitions.cpp
  core/src/jetstream/push.cpp
  core/src/jetstream/push_subscribe.cpp
  core/src/jetstream/types_json.cpp
  wasm/abi.cpp
  wasm/auth_api.cpp
  wasm/consumers_api.cpp
  wasm/kv_api.cpp
  wasm/micro_api.cpp
  wasm/partitions_api.cpp
  wasm/pool_api.cpp
  wasm/probe.cpp
  wasm/stores_calls.cpp
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
  wasm/consumer_sessions.cpp
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
  wasm/records.cpp
  wasm/stores_calls.cpp)
target_link_libraries(nats_wasm_core PRIVATE nats_core)
target_compile_options(nats_wasm_core PRIVATE ${NATS_WARNINGS} -fwasm-exceptions -D_LIBCPP_DISABLE_EXTERN_TEMPLATE)
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
