/*
 * clock_time_set moves the process's realtime clock: set it to a fixed
 * instant and read it back (it must be close to the instant and must
 * keep running). Prints the errno for a clock id that does not exist.
 */
#include <stdio.h>
#include <time.h>

#include "wasix.h"

static uint64_t realtime_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(void) {
	const uint64_t target = 946684800ull * 1000000000ull; /* 2000-01-01T00:00:00Z */
	uint64_t before = realtime_ns();
	wasix_errno_t e = wasix_clock_time_set(WASIX_CLOCK_REALTIME, target);
	uint64_t after = realtime_ns();
	printf("clock_time_set realtime: errno %d\n", e);
	printf("before set: later than 2020 %d\n", before > 1577836800ull * 1000000000ull);
	printf("after set: within 10s of 2000-01-01 %d, not before it %d\n",
		after - target < 10ull * 1000000000ull, after >= target);
	wasix_thread_sleep(20 * 1000 * 1000);
	uint64_t later = realtime_ns();
	printf("clock keeps running %d\n", later > after);
	printf("clock_time_set clock 99: errno %d\n", wasix_clock_time_set(99, 0));
	return 0;
}
