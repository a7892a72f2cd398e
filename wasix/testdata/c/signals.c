/* Signals delivered to a handler named with callback_signal: raise
 * (thread_signal to the calling thread, and proc_raise) runs it before
 * the call returns; an alarm (proc_raise_interval) interrupts a sleep,
 * and then a futex wait without timeout, with EINTR.
 *
 * Output goes through say (write(2)), not stdio: wasm-ld wraps every
 * export of a command, on_signal included, with __wasm_call_dtors, which
 * flushes stdio; a handler delivered after a host call inside printf's
 * fd_write would write the line again. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wasix.h"

static volatile int last, count;
/* early counts the alarms delivered before their blocking call (see
 * arm); the handler counts printed leave them out. */
static int early;

__attribute__((export_name("on_signal"))) void on_signal(int sig) {
	last = sig;
	count++;
}

static void say(const char *fmt, ...) {
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	write(1, buf, strlen(buf));
}

static uint64_t now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* arm sets a one-shot SIGALRM in 50 ms (*t0 is when). The handler runs
 * only when a host call returns, so an alarm that has not run it by the
 * time arm returns is still to come, and interrupts the blocking call
 * made next (no host call in between). One that has run it (the 50 ms
 * passed before proc_raise_interval returned, on a loaded machine) is
 * counted in early and armed again. */
static wasix_errno_t arm(uint64_t *t0) {
	for (;;) {
		*t0 = now();
		int before = count;
		wasix_errno_t e = wasix_proc_raise_interval(WASIX_SIGALRM, 50ull * 1000 * 1000, 0);
		if (e != 0 || count == before)
			return e;
		early++;
	}
}


int main(void) {
	uint32_t n = 99;
	wasix_errno_t e = wasix_proc_signals_sizes_get(&n);
	say("proc_signals_sizes_get: errno %d, %u inherited\n", e, n);
	wasix_callback_signal_raw("on_signal", 9);
	wasix_tid_t tid = 0;
	wasix_thread_id(&tid);
	e = wasix_thread_signal(tid, WASIX_SIGUSR1);
	say("raise SIGUSR1: errno %d, handler ran %d time(s) with signal %d before it returned\n", e, count, last);
	e = wasix_proc_raise(WASIX_SIGCHLD);
	say("proc_raise SIGCHLD: errno %d, handler ran %d time(s), last signal %d\n", e, count, last);

	uint64_t t0;
	wasix_errno_t armed = arm(&t0);
	e = wasix_thread_sleep(5ull * 1000 * 1000 * 1000);
	uint64_t ms = (now() - t0) / 1000000;
	say("alarm in 50ms: errno %d\n", armed);
	say("sleep 5s: errno %d, interrupted early %d, handler ran %d time(s), last signal %d\n",
		e, ms < 4000, count - early, last);
	static uint32_t word;
	wasix_option_timestamp_t forever = {.tag = 0};
	wasix_bool_t woken = 9;
	arm(&t0);
	e = wasix_futex_wait(&word, 0, &forever, &woken);
	say("futex_wait without timeout: errno %d, handler ran %d time(s), last signal %d\n", e, count - early, last);
	e = wasix_thread_signal(12345, WASIX_SIGUSR1);
	say("thread_signal of no thread: errno %d\n", e);
	e = wasix_proc_raise_interval(40, 1, 0);
	say("proc_raise_interval of signal 40: errno %d\n", e);
	return 0;
}
