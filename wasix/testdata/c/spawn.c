/* proc_spawn2 and proc_join: a child's output through a pipe, exit
 * statuses, waiting for any child, descriptor operations, and the
 * errors. With the argument "kill": a non-blocking join of a running
 * child, then SIGTERM and its report as termination by a signal. With
 * "denied" it only tries one spawn (the sandbox refuses it). With
 * "legacy": the old proc_spawn with piped standard input and output. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "spawnlib.h"

#define CHILD "/workspace/child.wasm"

static void status(const char *what, wasix_errno_t e, const wasix_join_status_t *st) {
	printf("%s: errno %d, tag %d", what, e, st->tag);
	if (st->tag == WASIX_JOIN_EXIT_NORMAL)
		printf(", exit code %d", st->code);
	if (st->tag == WASIX_JOIN_EXIT_SIGNAL)
		printf(", signal %d (code %d)", st->sig, st->code);
	printf("\n");
}

int main(int argc, char **argv) {
	wasix_pid_t pid = 0, me = 0;
	wasix_join_status_t st;
	wasix_errno_t e;
	if (argc > 1 && !strcmp(argv[1], "denied")) {
		e = spawn(CHILD, "child\nexit\n3", 0, 0, &pid);
		printf("spawn without permission: errno %d\n", e);
		return 0;
	}
	wasix_proc_id(&me);
	if (argc > 1 && !strcmp(argv[1], "legacy")) {
		wasix_process_handles_t h;
		memset(&h, 0xee, sizeof h);
		e = wasix_proc_spawn_raw(CHILD, strlen(CHILD), 0, "child\nupper", 11, "", 0, 0, 0, 1, ".", 1, &h);
		printf("proc_spawn: errno %d, stdin piped %d, stdout piped %d, stderr inherited %d\n", e,
			h.std[0].tag, h.std[1].tag, h.std[2].tag == 0);
		write(h.std[0].fd, "through both pipes\n", 19);
		close(h.std[0].fd);
		char buf[64];
		size_t got = 0;
		ssize_t n;
		while ((n = read(h.std[1].fd, buf + got, sizeof buf - 1 - got)) > 0)
			got += n;
		buf[got] = 0;
		printf("read: %s", buf);
		pid = h.pid;
		e = join(&pid, 0, &st);
		status("join", e, &st);
		e = wasix_proc_spawn_raw(CHILD, strlen(CHILD), 1, "child", 5, "", 0, 1, 1, 1, "", 0, &h);
		printf("proc_spawn with chroot: errno %d\n", e);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "kill")) {
		e = spawn(CHILD, "child\nsleep", 0, 0, &pid);
		wasix_pid_t sleeper = pid;
		e = join(&pid, WASIX_JOIN_NON_BLOCKING, &st);
		status("non-blocking join of a sleeping child", e, &st);
		e = wasix_proc_signal(sleeper, WASIX_SIGTERM);
		printf("proc_signal SIGTERM: errno %d\n", e);
		pid = sleeper;
		e = join(&pid, 0, &st);
		status("join after SIGTERM", e, &st);
		return 0;
	}

	/* The child's standard output into a pipe. */
	wasix_fd_t r, w;
	wasix_fd_pipe(&r, &w);
	wasix_spawn_fd_op_t ops[2] = {
		{.cmd = WASIX_FD_OP_DUP2, .fd = 1, .src_fd = w},
		{.cmd = WASIX_FD_OP_CLOSE, .fd = r},
	};
	e = spawn(CHILD, "child\necho\nhello\nfrom the child", ops, 2, &pid);
	printf("spawn echo: errno %d, pid differs from mine %d\n", e, pid != me && pid != 0);
	close(w);
	char buf[128];
	size_t got = 0;
	ssize_t n;
	while ((n = read(r, buf + got, sizeof buf - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	close(r);
	printf("read from the pipe: %s", buf);
	e = join(&pid, 0, &st);
	status("join echo", e, &st);

	/* Exit status 42, joined as "any child". */
	wasix_pid_t want = 0;
	e = spawn(CHILD, "child\nexit\n42", 0, 0, &want);
	pid = 0;
	e = join(&pid, 0, &st);
	printf("join any: pid is the child's %d\n", pid == want);
	status("join any", e, &st);

	/* The child's parent is this process. */
	fflush(stdout);
	e = spawn(CHILD, "child\nids", 0, 0, &pid);
	e = join(&pid, 0, &st);
	status("join ids", e, &st);
	printf("my pid %u\n", me);

	/* OPEN: the child's standard output is a new file. */
	wasix_spawn_fd_op_t open_op = {.cmd = WASIX_FD_OP_OPEN, .fd = 1,
		.path = "/workspace/out.txt", .path_len = 18, .oflags = 1 | 8, /* creat, trunc */
		.rights_base = 0x1fffffff, .rights_inheriting = 0x1fffffff};
	e = spawn(CHILD, "child\necho\ninto a file", &open_op, 1, &pid);
	e = join(&pid, 0, &st);
	status("join echo into a file", e, &st);
	FILE *f = fopen("/workspace/out.txt", "r");
	if (f && fgets(buf, sizeof buf, f))
		printf("the file holds: %s", buf);
	if (f)
		fclose(f);

	/* Errors. */
	pid = 0;
	e = join(&pid, 0, &st);
	printf("join with no children: errno %d\n", e);
	e = spawn("/workspace/missing.wasm", "missing", 0, 0, &pid);
	printf("spawn of a missing program: errno %d\n", e);
	wasix_spawn_fd_op_t bad = {.cmd = WASIX_FD_OP_DUP2, .fd = 65536, .src_fd = 1};
	e = spawn(CHILD, "child\nexit\n0", &bad, 1, &pid);
	printf("spawn with dup2 to 65536: errno %d\n", e);
	e = wasix_proc_signal(99999, WASIX_SIGTERM);
	printf("proc_signal of no process: errno %d\n", e);
	return 0;
}
