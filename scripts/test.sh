#!/usr/bin/env bash
# The whole test suite, as CI runs it: install, build with warnings as errors, run every QtTest;
# then build again with AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer included)
# and run every test once more; then build the libFuzzer targets with clang and run each for a
# bounded time. Benchmarks are built (not run) so they cannot rot.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

echo "== build (RelWithDebInfo, -Werror)"
BUILD_DIR=build bash scripts/build.sh -DPYRITE_WERROR=ON
echo "== tests"
ctest --test-dir build --output-on-failure --timeout 300

echo "== build (Debug, ASan + UBSan)"
BUILD_DIR=build-asan BUILD_TYPE=Debug bash scripts/build.sh -DPYRITE_WERROR=ON -DPYRITE_SANITIZE=ON
echo "== tests under ASan + UBSan"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
ctest --test-dir build-asan --output-on-failure --timeout 600

echo "== fuzz targets (clang, libFuzzer + ASan + UBSan), ${FUZZ_SECONDS:-30} s each"
BUILD_DIR=build-fuzz BUILD_TYPE=Debug bash scripts/build.sh -DCMAKE_CXX_COMPILER=clang++ -DPYRITE_FUZZ=ON \
    -DBUILD_TESTING=OFF -DPYRITE_BUILD_BENCHMARKS=OFF -DPYRITE_BUILD_PYTHON=OFF
for target in streamprotocol bridgeprotocol config frontmatter webhookresponse httphead; do
    corpus=$(mktemp -d)
    cp fuzz/corpus/$target/* "$corpus"/
    build-fuzz/bin/fuzz_$target -max_total_time="${FUZZ_SECONDS:-30}" -max_len=4096 -print_final_stats=1 "$corpus" 2>&1 \
        | grep -E "^(Done |stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|SUMMARY"
    rm -rf "$corpus"
done
echo "fuzz: every target ran without a crash"
