/*
 * proc_exit2 ends the process with its code. Without arguments the main
 * thread calls it; with "thread", a spawned thread calls it while the
 * main thread waits forever on a futex: the whole process must end.
 */
#include <stdio.h>
#include <string.h>

#include "kthread.h"

static kevent_t never;
static _Atomic uint32_t spins;

static void exiter(void *arg) {
	(void)arg;
	/* Give the main thread time to block (a busy wait: the reference
	 * runtime hangs when a thread sleeps while another is in futex_wait). */
	for (int i = 0; i < 1000000; i++)
		__c11_atomic_fetch_add(&spins, 1, __ATOMIC_RELAXED);
	wasix_proc_exit2(9);
}

int main(int argc, char **argv) {
	if (argc > 1 && strcmp(argv[1], "thread") == 0) {
		printf("main waits, thread calls proc_exit2(9)\n");
		fflush(stdout);
		wasix_tid_t tid;
		wasix_errno_t e = kthread_spawn(exiter, 0, &tid);
		if (e != 0) {
			printf("spawn: errno %d\n", e);
			return 1;
		}
		kevent_wait(&never);
		printf("not reached\n");
		return 1;
	}
	printf("before proc_exit2(42)\n");
	fflush(stdout);
	wasix_proc_exit2(42);
}
