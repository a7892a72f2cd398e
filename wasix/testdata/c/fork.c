/* kiln:asyncify
 * proc_fork: the child gets 0 and a copy of the memory, the parent the
 * child's pid; a pipe made before the fork joins them; the child's
 * writes to its memory are invisible to the parent; proc_join reports
 * the child's exit status 42. A second child, made with copy_memory 0
 * (vfork), execs another program. With the argument "bomb" it forks
 * until the process quota refuses (EAGAIN), then kills its children. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawnlib.h"

static int counter = 1;

static int bomb(void) {
	wasix_pid_t kids[64];
	int n = 0;
	wasix_errno_t e = 0;
	while (n < 64) {
		wasix_pid_t pid = 0;
		fflush(stdout);
		e = wasix_proc_fork(1, &pid);
		if (e != 0)
			break;
		if (pid == 0) {
			for (;;)
				wasix_thread_sleep(10ull * 1000 * 1000 * 1000);
		}
		kids[n++] = pid;
	}
	printf("forked %d children, then errno %d\n", n, e);
	int killed = 0;
	for (int i = 0; i < n; i++)
		wasix_proc_signal(kids[i], WASIX_SIGKILL);
	for (int i = 0; i < n; i++) {
		wasix_join_status_t st;
		wasix_pid_t pid = kids[i];
		if (join(&pid, 0, &st) == 0 && st.tag == WASIX_JOIN_EXIT_SIGNAL && st.sig == WASIX_SIGKILL)
			killed++;
	}
	printf("joined %d children killed by SIGKILL\n", killed);
	return 0;
}

int main(int argc, char **argv) {
	if (argc > 1 && !strcmp(argv[1], "bomb"))
		return bomb();
	char *heap = malloc(32);
	strcpy(heap, "parent's heap");
	wasix_fd_t r, w;
	wasix_fd_pipe(&r, &w);
	wasix_pid_t me = 0, pid = 0;
	wasix_proc_id(&me);
	fflush(stdout);
	wasix_errno_t e = wasix_proc_fork(1, &pid);
	if (e != 0) {
		printf("fork: errno %d\n", e);
		return 1;
	}
	if (pid == 0) {
		close(r);
		counter = 100;
		strcpy(heap, "child's heap");
		wasix_pid_t cpid = 0, parent = 0;
		wasix_proc_id(&cpid);
		wasix_proc_parent(cpid, &parent);
		char msg[128];
		int n = snprintf(msg, sizeof msg, "child: fork returned 0, parent is the forker %d, counter %d, heap %s\n",
			parent == me, counter, heap);
		write(w, msg, n);
		close(w);
		exit(42);
	}
	close(w);
	char buf[256];
	size_t got = 0;
	ssize_t n;
	while ((n = read(r, buf + got, sizeof buf - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	printf("parent: fork returned a pid other than mine %d\n", pid != me && pid != 0);
	printf("from the pipe: %s", buf);
	wasix_join_status_t st;
	wasix_pid_t any = 0;
	e = join(&any, 0, &st);
	printf("join: errno %d, the forked child %d, tag %d, exit code %d\n", e, any == pid, st.tag, st.code);
	printf("parent after the child: counter %d, heap %s\n", counter, heap);

	fflush(stdout);
	e = wasix_proc_fork(0, &pid);
	if (pid == 0) {
		e = wasix_proc_exec3_raw("/workspace/child.wasm", 21, "child\necho\nexec in a forked child", 33, "", 0, 0, "", 0);
		printf("exec failed: errno %d\n", e);
		exit(1);
	}
	e = join(&pid, 0, &st);
	printf("join vfork+exec: errno %d, tag %d, exit code %d\n", e, st.tag, st.code);
	return 0;
}
