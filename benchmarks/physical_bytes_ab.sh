#!/usr/bin/env bash
# A/B of JavaCPP's physical-memory check, which a JVM reads once at start-up (so the two arms are separate
# JVMs, run back to back, alternating): with org.bytedeco.javacpp.maxphysicalbytes > 0, every off-heap
# allocation (ND4J makes several per op: shape info, op arguments) first asks the kernel for the process's
# resident size. 0 turns the check off; the launcher's default since session 13.
#   benchmarks/physical_bytes_ab.sh [ROUNDS] [DESCRIPTOR...]
# Prints the losslab trainer's samples/s for each arm and round, then each descriptor's median ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"; shift || true
descriptors=("$@")
[ ${#descriptors[@]} -eq 0 ] && descriptors=(experiments/quickstart.yaml experiments/ldr/letter.yaml)
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for d in "${descriptors[@]}"; do
  on=(); off=()
  for r in $(seq 1 "$rounds"); do
    for v in 12G 0; do
      s=$(LOSSLAB_JAVA_OPTS="-Dorg.bytedeco.javacpp.maxphysicalbytes=$v" ./losslab bench loop --no-torch --rounds 2 \
            --descriptor "$d" 2>&1 | awk '/^losslab trainer/ {print $4}')
      echo "$d round $r maxphysicalbytes=$v: $s samples/s"
      if [ "$v" = 0 ]; then off+=("$s"); else on+=("$s"); fi
    done
  done
  a=$(printf '%s\n' "${on[@]}" | median); b=$(printf '%s\n' "${off[@]}" | median)
  echo "$d: median $a samples/s with the check, $b without: $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}')x"
done
