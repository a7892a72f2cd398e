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
	WASIX_EBADF = 8,
	WASIX_EFAULT = 21,
	WASIX_EINVAL = 28,
	WASIX_EMFILE = 33,
	WASIX_ENOENT = 44,
	WASIX_ENOTDIR = 54,
	WASIX_EOVERFLOW = 61,
	WASIX_ERANGE = 68,
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

#endif
