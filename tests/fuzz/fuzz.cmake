# libFuzzer targets over the core (clang only), with ASan and UBSan; run by
# scripts/fuzz.sh. Included from the root CMakeLists.txt when NATS_FUZZ is on.
set(NATS_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer -g -O1)
target_compile_options(nats_core PRIVATE ${NATS_FUZZ_FLAGS})
foreach(target parser headers engine)
  add_executable(fuzz_${target} tests/fuzz/fuzz_${target}.cpp)
  target_link_libraries(fuzz_${target} PRIVATE nats_core)
  target_compile_options(fuzz_${target} PRIVATE ${NATS_WARNINGS} -fsanitize=fuzzer,address,undefined
                                               -fno-sanitize-recover=all -g -O1)
  target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer,address,undefined)
endforeach()
