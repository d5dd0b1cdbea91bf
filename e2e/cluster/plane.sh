# Shared by e2e/cluster/up and down: where the plane keeps its state, and its ports.
# shellcheck shell=bash
source "$here/versions"
PLANE_DIR="${CAIRN_PLANE_DIR:-${TMPDIR:-/tmp}/cairn-plane}"
PLANE_PORT="${CAIRN_PLANE_PORT:-16443}"
ETCD_PORT="${CAIRN_PLANE_ETCD_PORT:-12379}"
PLANE_NODE="${CAIRN_PLANE_NODE:-cairn-node}"
# Components in start order; down stops them in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler)

# running NAME: its pid file names a live process that is still that component.
running() {
  local file="$PLANE_DIR/pids/$1" pid
  [[ -s $file ]] || return 1
  pid="$(<"$file")"
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "/$1 "
}
