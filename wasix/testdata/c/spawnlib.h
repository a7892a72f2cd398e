/* Helpers of the process test programs: spawn and join through the raw
 * WASIX calls of wasix.h. */
#ifndef KILN_SPAWNLIB_H
#define KILN_SPAWNLIB_H

#include <string.h>

#include "wasix.h"

/* spawn starts program name with the line-feed separated argument list
 * args (argv[0] first) and the descriptor operations ops. */
static inline wasix_errno_t spawn(const char *name, const char *args,
	const wasix_spawn_fd_op_t *ops, uint32_t n, wasix_pid_t *pid) {
	return wasix_proc_spawn2_raw(name, strlen(name), args, strlen(args), "", 0,
		ops, n, 0, 0, 0, "", 0, pid);
}

/* join waits for pid (any child for 0) and describes its end in buf. */
static inline wasix_errno_t join(wasix_pid_t *pid, uint32_t flags, wasix_join_status_t *st) {
	wasix_option_pid_t opt = {.tag = *pid != 0, .pid = *pid};
	memset(st, 0xee, sizeof *st);
	wasix_errno_t e = wasix_proc_join(&opt, flags, st);
	*pid = opt.pid;
	return e;
}

#endif
