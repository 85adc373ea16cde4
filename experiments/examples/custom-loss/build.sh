#!/usr/bin/env bash
# Builds the example plugin jar against an already built losslab (./losslab builds it on first use).
# Usage: experiments/examples/custom-loss/build.sh [OUT_JAR]   (default: target/squared-hinge.jar here)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="${1:-$here/target/squared-hinge.jar}"
cp="$root/experiments/target/losslab.jar:$root/experiments/target/lib/*"
rm -rf "$here/target/classes" && mkdir -p "$here/target/classes" "$(dirname "$out")"
javac -d "$here/target/classes" -cp "$cp" $(find "$here/src/main/java" -name '*.java')
cp -r "$here/src/main/resources/." "$here/target/classes/"
jar cf "$out" -C "$here/target/classes" .
echo "$out"
