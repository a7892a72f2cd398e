/*
 * kiln's own declarations of the wasix_32v1 functions its test programs
 * call, written from the published WASIX ABI (docs/wasix.md). Every
 * function returns a WASIX errno (0 on success) unless it never returns;
 * results come back through pointers. Layouts are those of wasm32.
 *
 * Debian's wasi-libc knows nothing of WASIX: these calls go straight to
 * the runtime and touch no libc state, so threads may make them while
 * another thread is inside libc.
 */
#ifndef KILN_WASIX_H
#define KILN_WASIX_H

#include <stddef.h>
#include <stdint.h>

#define WASIX_IMPORT(name) \
	__attribute__((import_module("wasix_32v1"), import_name(#name)))

typedef uint16_t wasix_errno_t;
typedef uint32_t wasix_tid_t;
typedef uint32_t wasix_pid_t;
typedef uint32_t wasix_clockid_t;
typedef uint64_t wasix_timestamp_t;
typedef uint8_t wasix_bool_t;

/* The errno values the tests look for (preview 1 numbering, which WASIX
 * extends from 77 on). */
enum {
	WASIX_ESUCCESS = 0,
	WASIX_EAGAIN = 6,
	WASIX_EBADF = 8,
	WASIX_ECHILD = 12,
	WASIX_EEXIST = 20,
	WASIX_EFAULT = 21,
	WASIX_EINTR = 27,
	WASIX_EINVAL = 28,
	WASIX_EMFILE = 33,
	WASIX_ENOENT = 44,
	WASIX_ENOTDIR = 54,
	WASIX_ENOTSUP = 58,
	WASIX_EOVERFLOW = 61,
	WASIX_ERANGE = 68,
	WASIX_EPERM = 63,
	WASIX_ESRCH = 71,
};

enum {
	WASIX_CLOCK_REALTIME = 0,
	WASIX_CLOCK_MONOTONIC = 1,
};

/* option<timestamp>: a one-byte tag (0 none, 1 some), the value at 8. */
typedef struct {
	uint8_t tag;
	wasix_timestamp_t value;
} wasix_option_timestamp_t;
_Static_assert(sizeof(wasix_option_timestamp_t) == 16, "option_timestamp size");
_Static_assert(offsetof(wasix_option_timestamp_t, value) == 8, "option_timestamp value");

/* thread_start, the argument of thread_spawn_v2 (and, as a pointer, the
 * second argument of the guest's wasi_thread_start export). */
typedef struct {
	uint32_t stack_upper; /* highest address of the thread's stack */
	uint32_t tls_base;
	uint32_t start_funct; /* function table index, free for the guest */
	uint32_t start_args;
	uint32_t reserved[10];
	uint32_t stack_size;
	uint32_t guard_size;
} wasix_thread_start_t;
_Static_assert(sizeof(wasix_thread_start_t) == 64, "thread_start size");
_Static_assert(offsetof(wasix_thread_start_t, stack_size) == 56, "thread_start stack_size");
_Static_assert(offsetof(wasix_thread_start_t, guard_size) == 60, "thread_start guard_size");

/* Threads. */
wasix_errno_t wasix_thread_spawn_v2(wasix_thread_start_t *start, wasix_tid_t *tid)
	WASIX_IMPORT(thread_spawn_v2);
wasix_errno_t wasix_thread_sleep(wasix_timestamp_t ns) WASIX_IMPORT(thread_sleep);
wasix_errno_t wasix_thread_id(wasix_tid_t *tid) WASIX_IMPORT(thread_id);
wasix_errno_t wasix_thread_join(wasix_tid_t tid) WASIX_IMPORT(thread_join);
wasix_errno_t wasix_thread_parallelism(uint32_t *n) WASIX_IMPORT(thread_parallelism);
_Noreturn void wasix_thread_exit(uint32_t code) WASIX_IMPORT(thread_exit);

/* Futexes: wait while *addr == expected; wake
 * one or all waiters. timeout points at an option (tag 0: wait forever).
 * woken reports whether a wake (or a changed value) ended the wait, or
 * whether a waiter was woken. */
wasix_errno_t wasix_futex_wait(uint32_t *addr, uint32_t expected,
	const wasix_option_timestamp_t *timeout, wasix_bool_t *woken) WASIX_IMPORT(futex_wait);
wasix_errno_t wasix_futex_wake(uint32_t *addr, wasix_bool_t *woken) WASIX_IMPORT(futex_wake);
wasix_errno_t wasix_futex_wake_all(uint32_t *addr, wasix_bool_t *woken) WASIX_IMPORT(futex_wake_all);

/* Processes. */
_Noreturn void wasix_proc_exit2(uint32_t code) WASIX_IMPORT(proc_exit2);
wasix_errno_t wasix_proc_id(wasix_pid_t *pid) WASIX_IMPORT(proc_id);
wasix_errno_t wasix_proc_parent(wasix_pid_t pid, wasix_pid_t *parent) WASIX_IMPORT(proc_parent);
wasix_errno_t wasix_proc_snapshot(void) WASIX_IMPORT(proc_snapshot);

/* Working directory: getcwd writes the path (no terminating NUL) and its
 * length; a buffer shorter than the path fails and reports the length
 * needed. chdir takes a (pointer, length) string at the wasm level. */
wasix_errno_t wasix_getcwd(char *buf, uint32_t *len) WASIX_IMPORT(getcwd);
wasix_errno_t wasix_chdir_raw(const char *path, uint32_t len) WASIX_IMPORT(chdir);

/* Clocks: clock_time_set moves the process's view of a clock. */
wasix_errno_t wasix_clock_time_set(wasix_clockid_t id, wasix_timestamp_t t)
	WASIX_IMPORT(clock_time_set);

/* Descriptors. fd_pipe gives a read end and a write end; fd_dup the
 * lowest free number; fd_dup2 is fcntl F_DUPFD (the lowest free number
 * at or above min_fd, close-on-exec when cloexec is set), not POSIX dup2.
 * fd_event makes an eventfd counter (8-byte reads and writes). */
typedef uint32_t wasix_fd_t;
typedef uint16_t wasix_fdflagsext_t;
typedef uint16_t wasix_eventfdflags_t;
enum { WASIX_FDFLAGSEXT_CLOEXEC = 1 };
enum { WASIX_EVENTFDFLAGS_SEMAPHORE = 1 };

wasix_errno_t wasix_fd_pipe(wasix_fd_t *fd0, wasix_fd_t *fd1) WASIX_IMPORT(fd_pipe);
wasix_errno_t wasix_fd_dup(wasix_fd_t fd, wasix_fd_t *new_fd) WASIX_IMPORT(fd_dup);
wasix_errno_t wasix_fd_dup2(wasix_fd_t fd, wasix_fd_t min_fd, wasix_bool_t cloexec,
	wasix_fd_t *new_fd) WASIX_IMPORT(fd_dup2);
wasix_errno_t wasix_fd_event(uint64_t initial, wasix_eventfdflags_t flags, wasix_fd_t *fd)
	WASIX_IMPORT(fd_event);
wasix_errno_t wasix_fd_fdflags_get(wasix_fd_t fd, wasix_fdflagsext_t *flags)
	WASIX_IMPORT(fd_fdflags_get);
wasix_errno_t wasix_fd_fdflags_set(wasix_fd_t fd, wasix_fdflagsext_t flags)
	WASIX_IMPORT(fd_fdflags_set);

/* Processes: spawn, join, exec. Strings are (pointer, length) pairs at
 * the wasm level; lists (arguments, environment) are entries separated
 * by line feeds. */
typedef struct {
	uint8_t cmd; /* one of WASIX_FD_OP_* */
	wasix_fd_t fd;
	wasix_fd_t src_fd;
	const char *path;
	uint32_t path_len;
	uint32_t dirflags;
	uint16_t oflags;
	uint64_t rights_base;
	uint64_t rights_inheriting;
	uint16_t fdflags;
	uint16_t fdflagsext;
} wasix_spawn_fd_op_t;
_Static_assert(sizeof(wasix_spawn_fd_op_t) == 56, "spawn_fd_op size");
_Static_assert(offsetof(wasix_spawn_fd_op_t, oflags) == 24, "spawn_fd_op oflags");
_Static_assert(offsetof(wasix_spawn_fd_op_t, rights_base) == 32, "spawn_fd_op rights");
_Static_assert(offsetof(wasix_spawn_fd_op_t, fdflagsext) == 50, "spawn_fd_op fdflagsext");
enum {
	WASIX_FD_OP_CLOSE = 0,
	WASIX_FD_OP_DUP2 = 1,
	WASIX_FD_OP_OPEN = 2,
	WASIX_FD_OP_CHDIR = 3,
	WASIX_FD_OP_FCHDIR = 4,
};

/* {signal, disposition (0 default, 1 ignore)} */
typedef struct {
	uint8_t sig;
	uint8_t disp;
} wasix_signal_disposition_t;

/* option<pid>: tag 0 any child (the pid of the one reaped is written
 * back), 1 this pid. */
typedef struct {
	uint8_t tag;
	wasix_pid_t pid;
} wasix_option_pid_t;
_Static_assert(sizeof(wasix_option_pid_t) == 8, "option_pid size");

/* join_status: tag 0 nothing, 1 exit code, 2 terminated by a signal. */
typedef struct {
	uint8_t tag;
	uint16_t code; /* exit code (exit_normal) or 128+signal (exit_signal) */
	uint8_t sig;   /* exit_signal: the signal */
} wasix_join_status_t;
_Static_assert(sizeof(wasix_join_status_t) == 6, "join_status size");
_Static_assert(offsetof(wasix_join_status_t, code) == 2, "join_status code");
_Static_assert(offsetof(wasix_join_status_t, sig) == 4, "join_status signal");
enum {
	WASIX_JOIN_NOTHING = 0,
	WASIX_JOIN_EXIT_NORMAL = 1,
	WASIX_JOIN_EXIT_SIGNAL = 2,
	WASIX_JOIN_NON_BLOCKING = 1,
};

wasix_errno_t wasix_proc_spawn2_raw(const char *name, uint32_t name_len,
	const char *args, uint32_t args_len, const char *envs, uint32_t envs_len,
	const wasix_spawn_fd_op_t *fd_ops, uint32_t n_fd_ops,
	const wasix_signal_disposition_t *sigs, uint32_t n_sigs,
	wasix_bool_t search_path, const char *path, uint32_t path_len,
	wasix_pid_t *pid) WASIX_IMPORT(proc_spawn2);
/* The legacy proc_spawn: a mode per standard stream (0 piped, 1 inherit,
 * 2 null); the handles give the pid and, for piped streams, the
 * parent's end ({u8 tag; u32 fd} each). */
typedef struct {
	uint8_t tag;
	wasix_fd_t fd;
} wasix_option_fd_t;
typedef struct {
	wasix_pid_t pid;
	wasix_option_fd_t std[3];
} wasix_process_handles_t;
_Static_assert(sizeof(wasix_process_handles_t) == 28, "process_handles size");
wasix_errno_t wasix_proc_spawn_raw(const char *name, uint32_t name_len, wasix_bool_t chroot,
	const char *args, uint32_t args_len, const char *preopen, uint32_t preopen_len,
	uint8_t stdin_mode, uint8_t stdout_mode, uint8_t stderr_mode,
	const char *dir, uint32_t dir_len, wasix_process_handles_t *handles) WASIX_IMPORT(proc_spawn);
wasix_errno_t wasix_proc_join(wasix_option_pid_t *pid, uint32_t flags,
	wasix_join_status_t *status) WASIX_IMPORT(proc_join);
wasix_errno_t wasix_proc_exec3_raw(const char *name, uint32_t name_len,
	const char *args, uint32_t args_len, const char *envs, uint32_t envs_len,
	wasix_bool_t search_path, const char *path, uint32_t path_len) WASIX_IMPORT(proc_exec3);

/* fork and setjmp/longjmp, for programs built with asyncify (build.sh
 * runs wasm-opt --asyncify on sources marked kiln:asyncify). fork
 * returns 0 in the child and the child's pid in the parent. */
typedef struct {
	uint64_t user;
	uint8_t hash[16];
} wasix_stack_snapshot_t;
_Static_assert(sizeof(wasix_stack_snapshot_t) == 24, "stack_snapshot size");
wasix_errno_t wasix_proc_fork(wasix_bool_t copy_memory, wasix_pid_t *pid) WASIX_IMPORT(proc_fork);
/* vfork: the caller goes on as the child, whose PID *pid receives; its
 * proc_exit2 and successful proc_exec3 return into the parent. */
wasix_errno_t wasix_proc_fork_env(wasix_pid_t *pid) WASIX_IMPORT(proc_fork_env);
wasix_errno_t wasix_stack_checkpoint(wasix_stack_snapshot_t *snapshot, uint64_t *ret)
	WASIX_IMPORT(stack_checkpoint);
_Noreturn void wasix_stack_restore(const wasix_stack_snapshot_t *snapshot, uint64_t val)
	WASIX_IMPORT(stack_restore);

/* Signals (Linux numbers). */
enum {
	WASIX_SIGKILL = 9,
	WASIX_SIGUSR1 = 10,
	WASIX_SIGALRM = 14,
	WASIX_SIGTERM = 15,
	WASIX_SIGCHLD = 17,
};
wasix_errno_t wasix_proc_signal(wasix_pid_t pid, uint8_t sig) WASIX_IMPORT(proc_signal);
wasix_errno_t wasix_thread_signal(wasix_tid_t tid, uint8_t sig) WASIX_IMPORT(thread_signal);
wasix_errno_t wasix_proc_raise(uint8_t sig) WASIX_IMPORT(proc_raise);
wasix_errno_t wasix_proc_raise_interval(uint8_t sig, wasix_timestamp_t ns, wasix_bool_t repeat)
	WASIX_IMPORT(proc_raise_interval);
void wasix_callback_signal_raw(const char *name, uint32_t len) WASIX_IMPORT(callback_signal);
wasix_errno_t wasix_proc_signals_sizes_get(uint32_t *n) WASIX_IMPORT(proc_signals_sizes_get);
wasix_errno_t wasix_proc_signals_get(wasix_signal_disposition_t *buf) WASIX_IMPORT(proc_signals_get);
/* Terminals: the state of the terminal behind the standard streams. */
typedef struct {
	uint32_t cols, rows, width, height;
	wasix_bool_t stdin_tty, stdout_tty, stderr_tty;
	wasix_bool_t echo, line_buffered, line_feeds;
} wasix_tty_t;
_Static_assert(sizeof(wasix_tty_t) == 24, "tty size");
_Static_assert(offsetof(wasix_tty_t, line_feeds) == 21, "tty line_feeds");
wasix_errno_t wasix_tty_get(wasix_tty_t *tty) WASIX_IMPORT(tty_get);
wasix_errno_t wasix_tty_set(wasix_tty_t *tty) WASIX_IMPORT(tty_set);

/* epoll. An event is {events; data} with data at offset 8; kiln hands
 * the data back as given. Bits are WASIX's, not Linux's. A timeout is in
 * nanoseconds, WASIX_EPOLL_FOREVER waits without end. */
typedef uint32_t wasix_epoll_type_t;
enum {
	WASIX_EPOLLIN = 1 << 0,
	WASIX_EPOLLOUT = 1 << 1,
	WASIX_EPOLLRDHUP = 1 << 2,
	WASIX_EPOLLPRI = 1 << 3,
	WASIX_EPOLLERR = 1 << 4,
	WASIX_EPOLLHUP = 1 << 5,
	WASIX_EPOLLET = 1 << 6,
	WASIX_EPOLLONESHOT = 1 << 7,
};
enum { WASIX_EPOLL_CTL_ADD = 0, WASIX_EPOLL_CTL_MOD = 1, WASIX_EPOLL_CTL_DEL = 2 };
#define WASIX_EPOLL_FOREVER UINT64_MAX
typedef struct {
	uint32_t ptr;
	wasix_fd_t fd;
	uint32_t data1;
	uint64_t data2;
} wasix_epoll_data_t;
typedef struct {
	wasix_epoll_type_t events;
	wasix_epoll_data_t data;
} wasix_epoll_event_t;
_Static_assert(sizeof(wasix_epoll_event_t) == 32, "epoll_event size");
_Static_assert(offsetof(wasix_epoll_event_t, data) == 8, "epoll_event data");
_Static_assert(offsetof(wasix_epoll_data_t, data2) == 16, "epoll_data data2");

wasix_errno_t wasix_epoll_create(wasix_fd_t *fd) WASIX_IMPORT(epoll_create);
wasix_errno_t wasix_epoll_ctl(wasix_fd_t epfd, uint32_t op, wasix_fd_t fd,
	const wasix_epoll_event_t *event) WASIX_IMPORT(epoll_ctl);
wasix_errno_t wasix_epoll_wait(wasix_fd_t epfd, wasix_epoll_event_t *events, uint32_t maxevents,
	wasix_timestamp_t timeout, uint32_t *n) WASIX_IMPORT(epoll_wait);

/* Sockets. An addr_port is a family tag (1 inet4, 2 inet6), the port as
 * a little-endian u16 at 2, and the address bytes in network order at 4;
 * an addr_ip (resolve's results) has the address bytes at 2. */
enum {
	WASIX_AF_INET4 = 1,
	WASIX_AF_INET6 = 2,
	WASIX_SOCK_STREAM = 1,
	WASIX_SOCK_DGRAM = 2,
	WASIX_RIFLAGS_DONT_WAIT = 8,
	WASIX_SIFLAGS_DONT_WAIT = 1,
	WASIX_SHUT_WR = 2,
	WASIX_EACCES = 2,
};
typedef struct {
	uint8_t tag;
	uint8_t pad;
	uint16_t port;
	uint8_t addr[106];
} wasix_addr_port_t;
_Static_assert(sizeof(wasix_addr_port_t) == 110, "addr_port size");
typedef struct {
	uint8_t tag;
	uint8_t pad;
	uint8_t addr[16];
} wasix_addr_ip_t;
_Static_assert(sizeof(wasix_addr_ip_t) == 18, "addr_ip size");
typedef struct {
	const void *buf;
	size_t len;
} wasix_iovec_t;

wasix_errno_t wasix_sock_open(uint8_t af, uint8_t type, uint16_t proto, wasix_fd_t *fd)
	WASIX_IMPORT(sock_open);
wasix_errno_t wasix_sock_pair(uint8_t af, uint8_t type, uint16_t proto, wasix_fd_t *fd0,
	wasix_fd_t *fd1) WASIX_IMPORT(sock_pair);
wasix_errno_t wasix_sock_bind(wasix_fd_t fd, const wasix_addr_port_t *addr) WASIX_IMPORT(sock_bind);
wasix_errno_t wasix_sock_connect(wasix_fd_t fd, const wasix_addr_port_t *addr)
	WASIX_IMPORT(sock_connect);
wasix_errno_t wasix_sock_listen(wasix_fd_t fd, uint32_t backlog) WASIX_IMPORT(sock_listen);
wasix_errno_t wasix_sock_accept_v2(wasix_fd_t fd, uint16_t fdflags, wasix_fd_t *new_fd,
	wasix_addr_port_t *peer) WASIX_IMPORT(sock_accept_v2);
wasix_errno_t wasix_sock_addr_local(wasix_fd_t fd, wasix_addr_port_t *addr)
	WASIX_IMPORT(sock_addr_local);
wasix_errno_t wasix_sock_addr_peer(wasix_fd_t fd, wasix_addr_port_t *addr)
	WASIX_IMPORT(sock_addr_peer);
wasix_errno_t wasix_sock_recv(wasix_fd_t fd, const wasix_iovec_t *iovs, size_t n, uint16_t riflags,
	uint32_t *size, uint16_t *roflags) WASIX_IMPORT(sock_recv);
wasix_errno_t wasix_sock_recv_from(wasix_fd_t fd, const wasix_iovec_t *iovs, size_t n,
	uint16_t riflags, uint32_t *size, uint16_t *roflags, wasix_addr_port_t *from)
	WASIX_IMPORT(sock_recv_from);
wasix_errno_t wasix_sock_send(wasix_fd_t fd, const wasix_iovec_t *iovs, size_t n, uint16_t siflags,
	uint32_t *size) WASIX_IMPORT(sock_send);
wasix_errno_t wasix_sock_send_to(wasix_fd_t fd, const wasix_iovec_t *iovs, size_t n,
	uint16_t siflags, const wasix_addr_port_t *to, uint32_t *size) WASIX_IMPORT(sock_send_to);
wasix_errno_t wasix_sock_send_file(wasix_fd_t out, wasix_fd_t in, uint64_t offset, uint64_t count,
	uint64_t *sent) WASIX_IMPORT(sock_send_file);
wasix_errno_t wasix_sock_shutdown(wasix_fd_t fd, uint8_t how) WASIX_IMPORT(sock_shutdown);
wasix_errno_t wasix_sock_status(wasix_fd_t fd, uint8_t *status) WASIX_IMPORT(sock_status);
wasix_errno_t wasix_resolve_raw(const char *host, uint32_t len, uint16_t port,
	wasix_addr_ip_t *addrs, uint32_t n, uint32_t *count) WASIX_IMPORT(resolve);
wasix_errno_t wasix_fd_close(wasix_fd_t fd)
	__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_close")));

/* wasix_addr4 fills an inet4 addr_port. */
static inline void wasix_addr4(wasix_addr_port_t *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3,
	uint16_t port) {
	for (unsigned i = 0; i < sizeof a->addr; i++)
		a->addr[i] = 0;
	a->tag = WASIX_AF_INET4;
	a->pad = 0;
	a->port = port;
	a->addr[0] = b0;
	a->addr[1] = b1;
	a->addr[2] = b2;
	a->addr[3] = b3;
}

#endif
