/*
 * thread_id, thread_parallelism and thread_sleep: the main thread's id,
 * the ids of two spawned threads (read by the threads themselves and
 * compared with what thread_spawn_v2 returned), that
 * parallelism is at least one, and that a sleep lasts at least as long as
 * asked (measured on the monotonic clock).
 */
#include <stdio.h>
#include <time.h>

#include "kthread.h"

static _Atomic wasix_tid_t seen[2];

static void report_id(void *arg) {
	int i = (int)(uintptr_t)arg;
	wasix_tid_t id = 0;
	wasix_thread_id(&id);
	__c11_atomic_store(&seen[i], id, __ATOMIC_RELEASE);
}

static uint64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(void) {
	wasix_tid_t main_id = 0;
	wasix_errno_t e = wasix_thread_id(&main_id);
	printf("thread_id: errno %d, main thread %u\n", e, main_id);

	for (int i = 0; i < 2; i++) {
		wasix_tid_t tid = 0;
		e = kthread_spawn(report_id, (void *)(uintptr_t)i, &tid);
		wasix_errno_t je = wasix_thread_join(tid);
		wasix_tid_t id = __c11_atomic_load(&seen[i], __ATOMIC_ACQUIRE);
		printf("spawned thread %d: errno %d, spawn returned %u, join errno %d, thread_id in thread %u, differs from main %d\n",
			i, e, tid, je, id, id != main_id);
	}
	printf("distinct thread ids: %d\n", seen[0] != seen[1]);

	uint32_t n = 0;
	e = wasix_thread_parallelism(&n);
	printf("thread_parallelism: errno %d, at least one %d\n", e, n >= 1);

	uint64_t before = now_ns();
	e = wasix_thread_sleep(30 * 1000 * 1000);
	uint64_t slept = now_ns() - before;
	printf("thread_sleep 30ms: errno %d, slept at least 30ms %d\n", e, slept >= 30u * 1000 * 1000);
	e = wasix_thread_sleep(0);
	printf("thread_sleep 0: errno %d\n", e);
	return 0;
}
