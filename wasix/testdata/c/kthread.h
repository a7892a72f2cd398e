/*
 * Threads for kiln's WASIX test programs, on wasix_32v1 alone: spawn
 * through thread_spawn_v2 with a stack from a static pool, and a lock and
 * a one-shot event built on futex_wait/futex_wake. Debian's wasi-libc is
 * single-threaded, so a thread body must not call into libc (no stdio,
 * no malloc); the main thread prints once the others are done.
 */
#ifndef KILN_KTHREAD_H
#define KILN_KTHREAD_H

#include "wasix.h"

#define KTHREAD_MAX 16
#define KTHREAD_STACK (64 * 1024)

typedef void (*kthread_fn)(void *arg);

static _Alignas(16) unsigned char kthread_stacks[KTHREAD_MAX][KTHREAD_STACK];
static wasix_thread_start_t kthread_starts[KTHREAD_MAX];
static kthread_fn kthread_fns[KTHREAD_MAX];
static int kthread_next;

/* Called by wasi_thread_start (thread_start.s) on the new thread's stack.
 * The thread ends with thread_exit and never returns: wasm-ld wraps every
 * export of a command, wasi_thread_start included, so that returning
 * runs __wasm_call_dtors, whose stdio flush would race with the main
 * thread's printf (lines lost or garbled). */
_Noreturn void kiln_thread_main(int tid, wasix_thread_start_t *start) {
	(void)tid;
	kthread_fns[start->start_funct](( void *)(uintptr_t)start->start_args);
	wasix_thread_exit(0);
}

/* kthread_spawn starts fn(arg) on a new thread; the main thread only
 * (slots are not handed out atomically). */
static inline wasix_errno_t kthread_spawn(kthread_fn fn, void *arg, wasix_tid_t *tid) {
	if (kthread_next == KTHREAD_MAX)
		return 6; /* EAGAIN */
	int slot = kthread_next++;
	wasix_thread_start_t *s = &kthread_starts[slot];
	kthread_fns[slot] = fn;
	s->stack_upper = (uint32_t)(uintptr_t)(kthread_stacks[slot] + KTHREAD_STACK);
	s->tls_base = 0;
	s->start_funct = (uint32_t)slot;
	s->start_args = (uint32_t)(uintptr_t)arg;
	s->stack_size = KTHREAD_STACK;
	s->guard_size = 0;
	return wasix_thread_spawn_v2(s, tid);
}

/* futex_wait's timeout is a pointer to an option, never NULL (address 0
 * is ordinary memory in wasm). */
static const wasix_option_timestamp_t kthread_forever = {0, 0};

/* A futex lock: 0 free, 1 held, 2 held with waiters. */
typedef struct {
	_Atomic uint32_t state;
} klock_t;

static inline void klock_lock(klock_t *l) {
	uint32_t c = 0;
	if (__c11_atomic_compare_exchange_strong(&l->state, &c, 1, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __c11_atomic_exchange(&l->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		wasix_bool_t woken;
		wasix_futex_wait((uint32_t *)&l->state, 2, &kthread_forever, &woken);
		c = __c11_atomic_exchange(&l->state, 2, __ATOMIC_ACQUIRE);
	}
}

static inline void klock_unlock(klock_t *l) {
	if (__c11_atomic_fetch_sub(&l->state, 1, __ATOMIC_RELEASE) != 1) {
		__c11_atomic_store(&l->state, 0, __ATOMIC_RELEASE);
		wasix_bool_t woken;
		wasix_futex_wake((uint32_t *)&l->state, &woken);
	}
}

/* A one-shot event: kevent_set wakes every waiter, kevent_wait returns
 * once the event is set. */
typedef struct {
	_Atomic uint32_t set;
} kevent_t;

static inline void kevent_set(kevent_t *e) {
	__c11_atomic_store(&e->set, 1, __ATOMIC_RELEASE);
	wasix_bool_t woken;
	wasix_futex_wake_all((uint32_t *)&e->set, &woken);
}

static inline void kevent_wait(kevent_t *e) {
	while (__c11_atomic_load(&e->set, __ATOMIC_ACQUIRE) == 0) {
		wasix_bool_t woken;
		wasix_futex_wait((uint32_t *)&e->set, 0, &kthread_forever, &woken);
	}
}

#endif
