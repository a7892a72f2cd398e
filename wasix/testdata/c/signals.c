/* Signals delivered to a handler named with callback_signal: raise
 * (thread_signal to the calling thread, and proc_raise) runs it before
 * the call returns; an alarm (proc_raise_interval) interrupts a sleep,
 * and then a futex wait without timeout, with EINTR. */
#include <stdio.h>
#include <time.h>

#include "wasix.h"

static volatile int last, count;

__attribute__((export_name("on_signal"))) void on_signal(int sig) {
	last = sig;
	count++;
}

static uint64_t now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(void) {
	uint32_t n = 99;
	wasix_errno_t e = wasix_proc_signals_sizes_get(&n);
	printf("proc_signals_sizes_get: errno %d, %u inherited\n", e, n);
	wasix_callback_signal_raw("on_signal", 9);
	wasix_tid_t tid = 0;
	wasix_thread_id(&tid);
	e = wasix_thread_signal(tid, WASIX_SIGUSR1);
	printf("raise SIGUSR1: errno %d, handler ran %d time(s) with signal %d before it returned\n", e, count, last);
	e = wasix_proc_raise(WASIX_SIGCHLD);
	printf("proc_raise SIGCHLD: errno %d, handler ran %d time(s), last signal %d\n", e, count, last);

	e = wasix_proc_raise_interval(WASIX_SIGALRM, 50ull * 1000 * 1000, 0);
	printf("alarm in 50ms: errno %d\n", e);
	uint64_t t0 = now();
	e = wasix_thread_sleep(5ull * 1000 * 1000 * 1000);
	uint64_t ms = (now() - t0) / 1000000;
	printf("sleep 5s: errno %d, interrupted early %d, handler ran %d time(s), last signal %d\n",
		e, ms < 4000, count, last);
	static uint32_t word;
	wasix_option_timestamp_t forever = {.tag = 0};
	wasix_bool_t woken = 9;
	wasix_proc_raise_interval(WASIX_SIGALRM, 50ull * 1000 * 1000, 0);
	e = wasix_futex_wait(&word, 0, &forever, &woken);
	printf("futex_wait without timeout: errno %d, handler ran %d time(s), last signal %d\n", e, count, last);
	e = wasix_thread_signal(12345, WASIX_SIGUSR1);
	printf("thread_signal of no thread: errno %d\n", e);
	e = wasix_proc_raise_interval(40, 1, 0);
	printf("proc_raise_interval of signal 40: errno %d\n", e);
	return 0;
}
