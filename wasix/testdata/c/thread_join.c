/*
 * thread_join waits for a thread to end: the thread sleeps, then sets a
 * flag; after the join the main thread must see the flag set. (Joining
 * a thread that has already ended is checked by testdata/thread_join.wat:
 * the reference runtime sometimes hangs on it.)
 */
#include <stdio.h>

#include "kthread.h"

static _Atomic uint32_t finished;

static void slow(void *arg) {
	(void)arg;
	wasix_thread_sleep(50 * 1000 * 1000);
	__c11_atomic_store(&finished, 1, __ATOMIC_RELEASE);
}

int main(void) {
	wasix_tid_t tid = 0;
	wasix_errno_t e = kthread_spawn(slow, 0, &tid);
	if (e != 0) {
		printf("spawn: errno %d\n", e);
		return 1;
	}
	e = wasix_thread_join(tid);
	printf("thread_join: errno %d, thread finished before join returned %u\n", e,
		__c11_atomic_load(&finished, __ATOMIC_ACQUIRE));
	return 0;
}
