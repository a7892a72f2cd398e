/*
 * Eight threads each add 1 to a shared counter 20000 times under a futex
 * lock; the last one to finish wakes the main thread through
 * futex_wake_all. Prints the total, which must be 8 * 20000.
 */
#include <stdio.h>

#include "kthread.h"

#define THREADS 8
#define ROUNDS 20000

static klock_t lock;
static uint32_t counter; /* guarded by lock, deliberately not atomic */
static _Atomic uint32_t running = THREADS;
static kevent_t all_done;

static void worker(void *arg) {
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		klock_lock(&lock);
		counter++;
		klock_unlock(&lock);
	}
	if (__c11_atomic_fetch_sub(&running, 1, __ATOMIC_ACQ_REL) == 1)
		kevent_set(&all_done);
}

int main(void) {
	for (int i = 0; i < THREADS; i++) {
		wasix_tid_t tid;
		wasix_errno_t e = kthread_spawn(worker, 0, &tid);
		if (e != 0) {
			printf("spawn %d: errno %d\n", i, e);
			return 1;
		}
	}
	kevent_wait(&all_done);
	klock_lock(&lock);
	printf("threads %d, total %u (want %d)\n", THREADS, counter, THREADS * ROUNDS);
	klock_unlock(&lock);
	return counter == THREADS * ROUNDS ? 0 : 1;
}
