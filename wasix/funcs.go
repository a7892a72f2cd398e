package wasix

import (
	"github.com/kilnrt/kiln/wasi"
)

// The WASIX import module names.
const (
	Module32 = "wasix_32v1" // for 32-bit memories
	Module64 = "wasix_64v1" // the same functions with i64 pointers and sizes (memory64)
)

// functions is the part of WASIX kiln implements, with the wasm
// parameter types of each function ('p' is a pointer or size: i32 in
// wasix_32v1, i64 in wasix_64v1). docs/wasix.md lists the rest.
var functions = []wasi.Function{
	{Name: "thread_spawn_v2", Params: "pp", Fn: threadSpawn},
	{Name: "thread_spawn", Params: "pp", Fn: threadSpawn}, // the reference runtime's older name
	{Name: "thread_sleep", Params: "I", Fn: threadSleep},
	{Name: "thread_id", Params: "p", Fn: threadID},
	{Name: "thread_join", Params: "i", Fn: threadJoin},
	{Name: "thread_parallelism", Params: "p", Fn: threadParallelism},
	{Name: "thread_exit", Params: "i", NoResult: true, Fn: threadExit},
	{Name: "futex_wait", Params: "pipp", Fn: futexWait},
	{Name: "futex_wake", Params: "pp", Fn: futexWake},
	{Name: "futex_wake_all", Params: "pp", Fn: futexWakeAll},
	{Name: "proc_exit2", Params: "i", NoResult: true, Fn: procExit2},
	{Name: "proc_id", Params: "p", Fn: procID},
	{Name: "proc_parent", Params: "ip", Fn: procParent},
	{Name: "proc_snapshot", Params: "", Fn: procSnapshot},
	{Name: "getcwd", Params: "pp", Fn: getcwd},
	{Name: "chdir", Params: "pp", Fn: chdir},
	{Name: "clock_time_set", Params: "iI", Fn: clockTimeSet},
	{Name: "fd_pipe", Params: "pp", Fn: fdPipe},
	{Name: "fd_dup", Params: "ip", Fn: fdDup},
	{Name: "fd_dup2", Params: "iiip", Fn: fdDup2},
	{Name: "fd_event", Params: "Iip", Fn: fdEvent},
	{Name: "fd_fdflags_get", Params: "ip", Fn: fdFdflagsGet},
	{Name: "fd_fdflags_set", Params: "ii", Fn: fdFdflagsSet},
	{Name: "path_open2", Params: "iippiIIiip", Fn: pathOpen2},
	{Name: "tty_get", Params: "p", Fn: ttyGet},
	{Name: "tty_set", Params: "p", Fn: ttySet},
	{Name: "epoll_create", Params: "p", Fn: epollCreate},
	{Name: "epoll_ctl", Params: "iiip", Fn: epollCtl},
	{Name: "epoll_wait", Params: "ippIp", Fn: epollWait},
	// Virtual network administration: ENOTSUP (see portUnsupported).
	{Name: "port_bridge", Params: "ppppi", Fn: portUnsupported},
	{Name: "port_unbridge", Params: "", Fn: portUnsupported},
	{Name: "port_dhcp_acquire", Params: "", Fn: portUnsupported},
	{Name: "port_addr_add", Params: "p", Fn: portUnsupported},
	{Name: "port_addr_remove", Params: "p", Fn: portUnsupported},
	{Name: "port_addr_clear", Params: "", Fn: portUnsupported},
	{Name: "port_addr_list", Params: "pp", Fn: portUnsupported},
	{Name: "port_mac", Params: "p", Fn: portUnsupported},
	{Name: "port_gateway_set", Params: "p", Fn: portUnsupported},
	{Name: "port_route_add", Params: "pppp", Fn: portUnsupported},
	{Name: "port_route_remove", Params: "p", Fn: portUnsupported},
	{Name: "port_route_clear", Params: "", Fn: portUnsupported},
	{Name: "port_route_list", Params: "pp", Fn: portUnsupported},
	{Name: "proc_spawn2", Params: "ppppppppppippp", Fn: procSpawn2},
	{Name: "proc_spawn", Params: "ppippppiiippp", Fn: procSpawn},
	{Name: "proc_join", Params: "pip", Fn: procJoin},
	{Name: "proc_exec", Params: "pppp", NoResult: true, Fn: procExec},
	{Name: "proc_exec2", Params: "pppppp", NoResult: true, Fn: procExec2},
	{Name: "proc_exec3", Params: "ppppppipp", Fn: procExec3},
	{Name: "proc_signal", Params: "ii", Fn: procSignal},
	{Name: "thread_signal", Params: "ii", Fn: threadSignal},
	{Name: "proc_raise", Params: "i", Fn: procRaise},
	{Name: "proc_raise_interval", Params: "iIi", Fn: procRaiseInterval},
	{Name: "callback_signal", Params: "pp", NoResult: true, Fn: callbackSignal},
	{Name: "proc_signals_get", Params: "p", Fn: procSignalsGet},
	{Name: "proc_signals_sizes_get", Params: "p", Fn: procSignalsSizesGet},
	{Name: "sock_open", Params: "iiip", Fn: sockOpen},
	{Name: "sock_pair", Params: "iiipp", Fn: sockPair},
	{Name: "sock_bind", Params: "ip", Fn: sockBind},
	{Name: "sock_connect", Params: "ip", Fn: sockConnect},
	{Name: "sock_listen", Params: "ip", Fn: sockListen},
	{Name: "sock_accept_v2", Params: "iipp", Fn: sockAccept},
	{Name: "sock_accept", Params: "iipp", Fn: sockAccept}, // WASIX's 4-argument form, replacing preview 1's in wasix_32v1
	{Name: "sock_recv", Params: "ippipp", Fn: sockRecv},
	{Name: "sock_recv_from", Params: "ippippp", Fn: sockRecvFrom},
	{Name: "sock_send", Params: "ippip", Fn: sockSend},
	{Name: "sock_send_to", Params: "ippipp", Fn: sockSendTo},
	{Name: "sock_send_file", Params: "iiIIp", Fn: sockSendFile},
	{Name: "sock_shutdown", Params: "ii", Fn: sockShutdown},
	{Name: "sock_status", Params: "ip", Fn: sockStatus},
	{Name: "sock_addr_local", Params: "ip", Fn: sockAddrLocal},
	{Name: "sock_addr_peer", Params: "ip", Fn: sockAddrPeer},
	{Name: "sock_set_opt_flag", Params: "iii", Fn: sockSetOptFlag},
	{Name: "sock_get_opt_flag", Params: "iip", Fn: sockGetOptFlag},
	{Name: "sock_set_opt_time", Params: "iip", Fn: sockSetOptTime},
	{Name: "sock_get_opt_time", Params: "iip", Fn: sockGetOptTime},
	{Name: "sock_set_opt_size", Params: "iiI", Fn: sockSetOptSize},
	{Name: "sock_get_opt_size", Params: "iip", Fn: sockGetOptSize},
	{Name: "sock_join_multicast_v4", Params: "ipp", Fn: sockMulticastV4(true)},
	{Name: "sock_leave_multicast_v4", Params: "ipp", Fn: sockMulticastV4(false)},
	{Name: "sock_join_multicast_v6", Params: "ipi", Fn: sockMulticastV6(true)},
	{Name: "sock_leave_multicast_v6", Params: "ipi", Fn: sockMulticastV6(false)},
	{Name: "resolve", Params: "ppippp", Fn: resolve},
	{Name: "proc_fork", Params: "ip", Fn: procFork},
	{Name: "proc_fork_env", Params: "p", Fn: procForkEnv},
	{Name: "stack_checkpoint", Params: "pp", Fn: stackCheckpoint},
	{Name: "stack_restore", Params: "pI", NoResult: true, Fn: stackRestore},
	{Name: "call_dynamic", Params: "pppppi", Fn: callDynamic},
	{Name: "reflect_signature", Params: "ppipip", Fn: reflectSignature},
	{Name: "closure_allocate", Params: "p", Fn: closureAllocate},
	{Name: "closure_prepare", Params: "ppppppp", Fn: closurePrepare},
	{Name: "closure_free", Params: "p", Fn: closureFree},
	{Name: "context_create", Params: "pp", Fn: contextCreate},
	{Name: "context_switch", Params: "I", Fn: contextSwitch},
	{Name: "context_destroy", Params: "I", Fn: contextDestroy},
}

// Functions returns the WASIX functions kiln implements (not the preview
// 1 functions that the WASIX modules serve too).
func Functions() []wasi.Function { return append([]wasi.Function(nil), functions...) }
