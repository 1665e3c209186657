#!/usr/bin/env bash
# CI: `k4j dist` writes a folder that runs where no Java is installed. Its launcher runs with JAVA_HOME unset, an
# empty K4J_JVM_DIR and, first on PATH, a java (and javac, jlink, mvn) that fails when called; it must list the
# backends, honour K4J_JAVA_OPTS on its own runtime and compute GEMMs that agree with numpy. The folder must stay
# within the 64 MiB that the device tool carries, and k4j dist must refuse to replace a folder it did not write.
# Takes about a minute on 2 cores once the project is built (jdeps and jlink are most of it).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
readonly LIMIT_BYTES=$((64 * 1024 * 1024))
work=$(readlink -f "$(mktemp -d)")
trap 'rm -rf "$work"' EXIT
dist=$work/dist

fail() {
    echo "dist-check: FAIL: $*" >&2
    exit 1
}

mkdir "$work/occupied"
touch "$work/occupied/notes.txt"
if "$root/k4j" dist --out "$work/occupied" 2>"$work/refusal.txt"; then
    fail "k4j dist replaced a folder that it did not write"
fi
[[ -f $work/occupied/notes.txt ]] || fail "k4j dist removed a file of a folder that it did not write"
grep -q "is not a folder that k4j dist wrote" "$work/refusal.txt" || fail "unexpected refusal: $(cat "$work/refusal.txt")"

"$root/k4j" dist --out "$dist"
size=$(du -sb "$dist" | cut -f1)
((size <= LIMIT_BYTES)) || fail "$dist is $size bytes, over the $LIMIT_BYTES (64 MiB) that the device tool carries"

mkdir "$work/no-jdk"
for tool in java javac jlink mvn; do
    printf '#!/bin/sh\necho "dist-check: %s was called; the dist must use its own runtime" >&2\nexit 99\n' "$tool" \
        >"$work/no-jdk/$tool"
    chmod +x "$work/no-jdk/$tool"
done
without_jdk=(env -i "PATH=$work/no-jdk:/usr/bin:/bin" "HOME=$work" "K4J_JVM_DIR=$work/no-jdk")

"${without_jdk[@]}" "$dist/k4j" devices >"$work/devices.txt" || fail "k4j devices exited $?: $(cat "$work/devices.txt")"
grep -Eq '^vector-cpu +CPU .* available$' "$work/devices.txt" || fail "vector-cpu is not available: $(cat "$work/devices.txt")"

# -version as a JVM option: the runtime prints its settings and ends before the command line starts.
"${without_jdk[@]}" K4J_JAVA_OPTS="-XshowSettings:properties -version" "$dist/k4j" >"$work/settings.txt" 2>&1 \
    || fail "K4J_JAVA_OPTS=-XshowSettings:properties -version: $(cat "$work/settings.txt")"
grep -q "java.home = $dist/runtime\$" "$work/settings.txt" \
    || fail "K4J_JAVA_OPTS not honoured or not the bundled runtime: $(grep java.home "$work/settings.txt")"

"${without_jdk[@]}" /usr/bin/python3 "$root/scripts/numpy-agreement.py" --k4j "$dist/k4j" --backend vector-cpu --dtype fp32,int8 \
    || fail "the dist's k4j run gemm disagrees with numpy"
echo "dist-check: PASS ($((size / 1024 / 1024)) MiB)"
