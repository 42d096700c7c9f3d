# shellcheck shell=bash
# Sourced by the scripts in scripts/: small network helpers with no dependency beyond bash.

# True when something accepts TCP connections on 127.0.0.1:<port>.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_for_ports <pid> <seconds> <port>...: waits until every port accepts connections. Fails early
# if <pid> (the process expected to open them; empty for none) exits, or after <seconds>.
wait_for_ports() {
  local pid=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds)) port
  for port in "$@"; do
    until port_open "$port"; do
      if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
      if ((SECONDS >= deadline)); then return 1; fi
      sleep 0.2
    done
  done
}
