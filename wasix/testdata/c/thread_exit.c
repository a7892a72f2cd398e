/*
 * thread_exit ends only the calling thread: a spawned thread marks that
 * it ran, calls thread_exit, and must not run the code after it; the
 * process goes on and the main thread joins it. With the argument
 * "main", the main thread then calls thread_exit itself: being the last
 * thread, that ends the process (with status 0 in the reference runtime
 * and in kiln, which do not carry thread_exit's code).
 */
#include <stdio.h>
#include <string.h>

#include "kthread.h"

static _Atomic uint32_t before_exit, after_exit;

static void leaver(void *arg) {
	(void)arg;
	__c11_atomic_store(&before_exit, 1, __ATOMIC_RELEASE);
	wasix_thread_exit(3);
	__c11_atomic_store(&after_exit, 1, __ATOMIC_RELEASE);
}

int main(int argc, char **argv) {
	wasix_tid_t tid = 0;
	wasix_errno_t e = kthread_spawn(leaver, 0, &tid);
	if (e != 0) {
		printf("spawn: errno %d\n", e);
		return 1;
	}
	e = wasix_thread_join(tid);
	printf("join: errno %d, ran %u, ran past thread_exit %u\n", e,
		__c11_atomic_load(&before_exit, __ATOMIC_ACQUIRE),
		__c11_atomic_load(&after_exit, __ATOMIC_ACQUIRE));
	if (argc > 1 && strcmp(argv[1], "main") == 0) {
		printf("main thread calls thread_exit(5)\n");
		fflush(stdout);
		wasix_thread_exit(5);
	}
	return 0;
}
