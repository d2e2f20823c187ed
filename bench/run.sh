#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bench/run.sh: `make bench` entry point; conctrace's overhead vs untraced, the empty-probe floor
# and peer tracers, measured interleaved, summarized by bench/report.py.
#
# Env: BENCH_QUICK=1 (smoke run, ~2-3 min), BENCH_REPS=N, BENCH_CONFIGS="untraced full ...",
#      BENCH_TARGETS="syscall futex-1cpu ...", BENCH_NO_INSTALL=1 (do not apt-get peers).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/bench/.output
CT=$ROOT/conctrace
WL=$ROOT/conctrace-workload
QUICK=${BENCH_QUICK:-0}
SELF=$ROOT/bench/run.sh

# peer_bin PEER: the peer's executable, empty when it is not installed.
peer_bin()
{
	case $1 in
	strace) command -v strace || true ;;
	perf-*) command -v perf || true ;;
	bpftrace) command -v bpftrace || true ;;
	syscount | offcputime | runqlat)
		command -v "$1" || command -v "$1-bpfcc" || ls /usr/sbin/"$1" 2>/dev/null || true ;;
	esac
}
# bpftrace's counterpart of conctrace: syscalls by tid, switches and on-CPU time by tid.
BT_SCRIPT='tracepoint:raw_syscalls:sys_enter { @sys[tid] = count(); }
tracepoint:sched:sched_switch {
	@csw[args->prev_pid] = count();
	if (@start[args->prev_pid]) {
		@oncpu[args->prev_pid] = sum(nsecs - @start[args->prev_pid]);
		delete(@start[args->prev_pid]);
	}
	@start[args->next_pid] = nsecs;
}'

# alive PID: the process runs (an exited, not yet reaped child still answers kill -0; it is Z).
alive()
{
	local st
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null || true)
	[ -n "$st" ] && [ "$st" != Z ]
}

# wait_live TOOL PID OUT: until a background peer has attached, 20 s at most. syscount and runqlat
# print a banner once attached; offcputime prints none, so wait for its bpf_link fd.
wait_live()
{
	local tool=$1 pid=$2 out=$3 i
	for ((i = 0; i < 4000; i++)); do
		alive "$pid" || return 1
		if [ "$tool" = offcputime ]; then
			for f in /proc/"$pid"/fd/*; do
				[[ $(readlink "$f" 2>/dev/null) == *bpf_link* ]] && return 0
			done
		elif grep -q '^Tracing' "$out" 2>/dev/null; then
			return 0
		fi
		sleep 0.005
	done
	return 1
}

# stop_peer PID: SIGINT a background peer until it exits (a SIGINT that lands before it installs its
# handler is lost: bash starts background jobs with SIGINT ignored), then SIGTERM, then SIGKILL.
stop_peer()
{
	local pid=$1 i
	for ((i = 0; i < 100; i++)); do
		alive "$pid" || break
		if ((i % 10 == 0)); then
			kill -INT "$pid" 2>/dev/null || true
		fi
		[ "$i" -eq 60 ] && { kill -TERM "$pid" 2>/dev/null || true; }
		[ "$i" -eq 90 ] && { kill -KILL "$pid" 2>/dev/null || true; }
		sleep 0.1
	done
	wait "$pid" 2>/dev/null || true
}

# run_config CONFIG CMD...: run CMD under CONFIG; its output in $WORK/out, peer files in $WORK.
run_config()
{
	local cfg=$1 tool pid rc=0
	shift
	rm -f "$WORK"/ct.json "$WORK"/peer.out "$WORK"/perf.data
	case $cfg in
	untraced) "$@" ;;
	full) "$CT" -q trace -f json -o "$WORK/ct.json" -- "$@" ;;
	nosys) "$CT" -q trace --no-syscalls -f json -o "$WORK/ct.json" -- "$@" ;;
	floor) "$BIN/floor" -- "$@" ;;
	floor-nosys) "$BIN/floor" --no-syscalls -- "$@" ;;
	strace) strace -c -f -o "$WORK/peer.out" -- "$@" ;;
	perf-trace) perf trace -s -o "$WORK/peer.out" -- "$@" ;;
	perf-sched) perf sched record -q -o "$WORK/perf.data" -- "$@" ;;
	bpftrace) bpftrace -o "$WORK/peer.out" -e "$BT_SCRIPT" -c "$*" ;;
	syscount | offcputime | runqlat)
		tool=$(peer_bin "$cfg")
		stdbuf -oL "$tool" >"$WORK/peer.out" 2>&1 &
		pid=$!
		if ! wait_live "$cfg" "$pid" "$WORK/peer.out"; then
			stop_peer "$pid"
			echo "bench: $cfg did not come up: $(head -c 200 "$WORK/peer.out")"
			return 1
		fi
		"$@" || rc=$?
		stop_peer "$pid"
		return "$rc"
		;;
	esac
}

# Internal: `run.sh __run CONFIG CMD...` runs one sample in $BENCH_WORK (see one_sample).
if [ "${1:-}" = __run ]; then
	shift
	WORK=$BENCH_WORK
	run_config "$@"
	exit
fi


if [ "$(id -u)" -ne 0 ]; then
	echo "bench: needs root (BPF, perf, tracefs): run 'sudo make bench'" >&2
	exit 1
fi
if [ ! -x "$CT" ] || [ ! -x "$WL" ] || [ ! -r "$ROOT/.output/vmlinux.h" ]; then
	echo "bench: build conctrace first ('make')" >&2
	exit 1
fi
make -s -C bench

if [ "$QUICK" = 1 ]; then
	REPS=${BENCH_REPS:-2}
	DIV=4			# op counts divided by this
	WL_SCALE=small
	LIVE_REPS=2
else
	REPS=${BENCH_REPS:-5}
	DIV=1
	WL_SCALE=default
	LIVE_REPS=5
fi
SLOW_DIV=10			# extra divisor for ptrace/perf-trace, 10-100x slower per event

WORK=$(mktemp -d /tmp/ct-bench.XXXXXX)
export BENCH_WORK=$WORK
MOUNTED_TRACEFS=0
cleanup()
{
	if [ "$MOUNTED_TRACEFS" = 1 ]; then
		umount /sys/kernel/tracing 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf 'bench: %s\n' "$*" >&2; }

# ---- peers: install what Debian has and is missing, and record why any cannot run ----------
declare -A NA=()
want_pkgs=()
command -v strace >/dev/null || want_pkgs+=(strace)
command -v perf >/dev/null || want_pkgs+=(linux-perf)
command -v bpftrace >/dev/null || want_pkgs+=(bpftrace)
[ -n "$(peer_bin syscount)" ] || want_pkgs+=(libbpf-tools)
if [ ${#want_pkgs[@]} -gt 0 ] && [ "${BENCH_NO_INSTALL:-0}" != 1 ]; then
	log "installing peers: ${want_pkgs[*]}"
	for p in "${want_pkgs[@]}"; do
		if apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
			DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq "$p" >/dev/null 2>&1 ||
				log "apt-get install $p failed"
		else
			log "$p: no Debian candidate"
		fi
	done
fi
# perf trace and bpftrace find tracepoints through tracefs; Debian does not always mount it.
if ! mountpoint -q /sys/kernel/tracing; then
	if mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; then
		MOUNTED_TRACEFS=1
	fi
fi
KPROBES=no
if [ -r /proc/config.gz ] && zgrep -q '^CONFIG_KPROBES=y' /proc/config.gz; then
	KPROBES=yes
fi

# ---- targets and configurations -------------------------------------------------------------
ALL_TARGETS="syscall syscall-timed futex-1cpu futex-2cpu pipe-1cpu pipe-2cpu mutex workload"
ALL_TARGETS+=" workload-io"
ALL_CONFIGS="untraced full nosys floor floor-nosys strace perf-trace perf-sched bpftrace"
ALL_CONFIGS+=" syscount offcputime runqlat"
TARGETS=${BENCH_TARGETS:-$ALL_TARGETS}
CONFIGS=${BENCH_CONFIGS:-$ALL_CONFIGS}

for c in $CONFIGS; do
	case $c in
	untraced | full | nosys | floor | floor-nosys) ;;
	*) [ -n "$(peer_bin "$c")" ] || NA[$c]="not installed (apt-get failed or no package)" ;;
	esac
done

# target_cmd TARGET DIVISOR: the command line of one target, op counts divided by DIVISOR.
target_cmd()
{
	local d=$2
	case $1 in
	syscall) echo "$BIN/syscall_storm $((1000000 / d))" ;;
	syscall-timed) echo "$BIN/syscall_storm $((1000000 / d)) close" ;;
	futex-1cpu) echo "$BIN/futex_pingpong $((50000 / d)) 1" ;;
	futex-2cpu) echo "$BIN/futex_pingpong $((5000 / d)) 2" ;;
	pipe-1cpu) echo "$BIN/pipe_pingpong $((50000 / d)) 1" ;;
	pipe-2cpu) echo "$BIN/pipe_pingpong $((5000 / d)) 2" ;;
	mutex) echo "$BIN/mutex_storm $((250000 / d)) 4" ;;
	workload) echo "$WL cpu --model threads --scale $WL_SCALE --json" ;;
	workload-io) echo "$WL io-fast --model threads --scale $WL_SCALE --json" ;;
	esac
}

SAMPLES=$WORK/samples.tsv
printf 'rep\ttarget\tconfig\tns_per_op\tops\tmaxrss_kb\tcsw\tsyscalls\tdropped\tduration_s\n' \
	>"$SAMPLES"
declare -A FAILS=()

# one_sample REP TARGET CONFIG: run once and append a row (or note a failure).
one_sample()
{
	local rep=$1 tgt=$2 cfg=$3 div=$DIV cmd line ns ops rss ctf=("" "" "" "")
	case $cfg in strace | perf-trace) div=$((DIV * SLOW_DIV)) ;; esac
	read -r -a cmd <<<"$(target_cmd "$tgt" "$div")"
	# Through this script again, so /usr/bin/time sees the tracer's (and target's) max RSS.
	if ! /usr/bin/time -f '%M' -o "$WORK/rss" "$SELF" __run "$cfg" "${cmd[@]}" \
		>"$WORK/out" 2>&1; then
		FAILS[$tgt/$cfg]="exit status $(tail -c 300 "$WORK/out" | tr '\n\t' '  ')"
		return 0
	fi
	if [[ $tgt == workload* ]]; then
		line=$(grep -o '"throughput":[0-9.e+]*' "$WORK/out" | head -1 | cut -d: -f2 || true)
		[ -n "$line" ] && ns=$(awk -v t="$line" 'BEGIN { printf "%.2f", 1e9 / t }')
		ops=$(grep -o '"done":[0-9]*' "$WORK/out" | head -1 | cut -d: -f2 || true)
	else
		line=$(grep '^bench ' "$WORK/out" | head -1 || true)
		ns=$(sed -n 's/.*ns_per_op=\([0-9.]*\).*/\1/p' <<<"$line")
		ops=$(sed -n 's/.* ops=\([0-9]*\).*/\1/p' <<<"$line")
	fi
	if [ -z "${ns:-}" ]; then
		FAILS[$tgt/$cfg]="no result line: $(tail -c 300 "$WORK/out" | tr '\n\t' '  ')"
		return 0
	fi
	rss=$(tail -1 "$WORK/rss")
	if [ -s "$WORK/ct.json" ]; then
		mapfile -t ctf < <(jq -r '.context_switches as $c | ($c.voluntary + $c.involuntary),
			(.syscalls.total // 0), .dropped.total, .duration_s' "$WORK/ct.json")
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$tgt" "$cfg" "$ns" "$ops" "$rss" \
		"${ctf[0]}" "${ctf[1]}" "${ctf[2]}" "${ctf[3]}" >>"$SAMPLES"
}

START=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
read -r -a cfgs <<<"$CONFIGS"
ncfg=${#cfgs[@]}
log "reps=$REPS quick=$QUICK targets: $TARGETS"
log "configs: $CONFIGS"
for ((rep = 1; rep <= REPS; rep++)); do
	for tgt in $TARGETS; do
		# Rotate the order each rep so no configuration always runs first (A B C, B C A...).
		for ((k = 0; k < ncfg; k++)); do
			cfg=${cfgs[$(((k + rep - 1) % ncfg))]}
			[ -n "${NA[$cfg]:-}" ] && continue
			one_sample "$rep" "$tgt" "$cfg"
		done
	done
	log "rep $rep/$REPS done, $(($(date +%s) - START)) s"
done
for key in "${!FAILS[@]}"; do
	printf '%s\t%s\n' "$key" "${FAILS[$key]}"
done >"$WORK/fails.tsv"
for c in "${!NA[@]}"; do
	printf '%s\t%s\n' "$c" "${NA[$c]}"
done >"$WORK/na.tsv"

# ---- time from launch to probes live --------------------------------------------------------
# A stamp is taken, the tracer is exec'd, and the traced command prints its own start time.
log "probes-live latency"
LIVE=$WORK/live.tsv
printf 'config\trep\tms\n' >"$LIVE"
NOW=("$BIN/benchutil" now)
live_ms()
{
	local l s
	l=$(sed -n 's/^bench-launch-ns //p' "$WORK/lv" | head -1)
	s=$(sed -n 's/^bench-start-ns //p' "$WORK/lv" | head -1)
	[ -n "$l" ] && [ -n "$s" ] &&
		awk -v l="$l" -v s="$s" 'BEGIN { printf "%.1f", (s - l) / 1e6 }'
}
# live_run CONFIG: one probes-live measurement; the stamps land in $WORK/lv.
live_run()
{
	local st=("$BIN/benchutil" stamp) pid
	case $1 in
	full) "${st[@]}" "$CT" -q trace -o /dev/null -- "${NOW[@]}" ;;
	nosys) "${st[@]}" "$CT" -q trace --no-syscalls -o /dev/null -- "${NOW[@]}" ;;
	floor) "${st[@]}" "$BIN/floor" -- "${NOW[@]}" ;;
	bpftrace) "${st[@]}" bpftrace -o /dev/null -e "$BT_SCRIPT" -c "${NOW[*]}" ;;
	perf-trace) "${st[@]}" perf trace -s -o /dev/null -- "${NOW[@]}" ;;
	perf-sched) "${st[@]}" perf sched record -q -o "$WORK/perf.data" -- "${NOW[@]}" ;;
	strace) "${st[@]}" strace -c -f -o /dev/null -- "${NOW[@]}" ;;
	*)
		# Background peers: stamp at launch, then poll until attached (5 ms resolution).
		rm -f "$WORK/peer.out"
		"${st[@]}" stdbuf -oL "$(peer_bin "$1")" >"$WORK/peer.out" 2>&1 &
		pid=$!
		if wait_live "$1" "$pid" "$WORK/peer.out"; then
			"${NOW[@]}"
		fi
		stop_peer "$pid"
		cat "$WORK/peer.out"
		;;
	esac
}
LIVE_CONFIGS="full nosys floor bpftrace perf-trace perf-sched strace syscount offcputime runqlat"
for ((rep = 1; rep <= LIVE_REPS; rep++)); do
	for cfg in $LIVE_CONFIGS; do
		[ -n "${NA[$cfg]:-}" ] && continue
		live_run "$cfg" >"$WORK/lv" 2>&1 || true
		ms=$(live_ms || true)
		[ -n "$ms" ] && printf '%s\t%s\t%s\n' "$cfg" "$rep" "$ms" >>"$LIVE"
	done
done

# ---- BPF map memory of a running conctrace --------------------------------------------------
# Sum memlock over conctrace's map fds (/proc/PID/fdinfo), while it traces `sleep`.
log "map memory"
MAPMEM=$WORK/mapmem.tsv
printf 'config\tmaps\tmemlock_bytes\n' >"$MAPMEM"
for cfg in full nosys; do
	flag=()
	[ "$cfg" = nosys ] && flag=(--no-syscalls)
	"$CT" -q trace "${flag[@]}" -o /dev/null -- sleep 2 &
	pid=$!
	for ((i = 0; i < 300; i++)); do
		pgrep -P "$pid" -x sleep >/dev/null && break
		sleep 0.01
	done
	sleep 0.2
	maps=0
	mem=0
	for f in /proc/"$pid"/fdinfo/*; do
		if m=$(awk '/^map_type:/ { t = 1 } /^memlock:/ { v = $2 } END { if (t) print v }' \
			"$f" 2>/dev/null) && [ -n "$m" ]; then
			maps=$((maps + 1))
			mem=$((mem + m))
		fi
	done
	wait "$pid" || true
	printf '%s\t%s\t%s\n' "$cfg" "$maps" "$mem" >>"$MAPMEM"
done

# ---- cost on bystanders ---------------------------------------------------------------------
# The probes fire for every task on the machine; the in-BPF filter decides. Measure the syscall
# storm NOT traced while a tracer traces only `sleep`, against the same storm with nothing loaded.
log "bystander cost"
BYST=$WORK/bystander.tsv
printf 'rep\tconfig\tns_per_op\n' >"$BYST"
read -r -a storm <<<"$(target_cmd syscall "$DIV")"
for ((rep = 1; rep <= LIVE_REPS; rep++)); do
	for cfg in none full nosys floor; do
		pid=""
		case $cfg in
		full) "$CT" -q trace -o /dev/null -- sleep 30 & pid=$! ;;
		nosys) "$CT" -q trace --no-syscalls -o /dev/null -- sleep 30 & pid=$! ;;
		floor) "$BIN/floor" -- sleep 30 & pid=$! ;;
		esac
		if [ -n "$pid" ]; then
			for ((i = 0; i < 300; i++)); do
				pgrep -P "$pid" -x sleep >/dev/null && break
				sleep 0.01
			done
		fi
		ns=$("${storm[@]}" | sed -n 's/.*ns_per_op=\([0-9.]*\).*/\1/p')
		if [ -n "$pid" ]; then
			kill "$(pgrep -P "$pid" -x sleep)" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
		printf '%s\t%s\t%s\n' "$rep" "$cfg" "$ns" >>"$BYST"
	done
done

# ---- report ---------------------------------------------------------------------------------
HOST=$(hostname -s)
DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
mkdir -p bench/results
OUT=bench/results/$(date -u +%Y%m%d-%H%M%S)-$HOST.json
cmdline="sudo make bench"
[ "$QUICK" = 1 ] && cmdline="sudo BENCH_QUICK=1 make bench"
tmeta=()
for t in $TARGETS; do
	tmeta+=("cmd_$t=$(target_cmd "$t" "$DIV")")
done
python3 bench/report.py --samples "$SAMPLES" --live "$LIVE" --mapmem "$MAPMEM" --bystander "$BYST" \
	--fails "$WORK/fails.tsv" --na "$WORK/na.tsv" --out "$OUT" \
	--meta host="$HOST" date="$DATE" kernel="$(uname -r)" cores="$(nproc)" \
	cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" \
	quick="$QUICK" reps="$REPS" div="$DIV" slow_div="$SLOW_DIV" command="$cmdline" \
	kprobes="$KPROBES" conctrace="$("$CT" version 2>/dev/null | head -1 || echo "?")" \
	loadavg_start="$LOAD_START" loadavg_end="$(cut -d' ' -f1-3 /proc/loadavg)" \
	elapsed_s="$(($(date +%s) - START))" \
	targets="$TARGETS" configs="$CONFIGS" \
	"${tmeta[@]}"
log "results written to $OUT"
