/* The program the process tests start: what it does is its first
 * argument.
 *   echo WORD...  print the words
 *   exit N        exit with N
 *   sleep         sleep until killed
 *   ids           print proc_id and proc_parent
 *   cat           copy standard input to standard output
 *   upper         the same in upper case
 *   bomb D        spawn itself (bomb D+1) and wait, until spawning fails */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawnlib.h"

int main(int argc, char **argv) {
	if (argc < 2)
		return 2;
	const char *mode = argv[1];
	if (!strcmp(mode, "echo")) {
		for (int i = 2; i < argc; i++)
			printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
		return 0;
	}
	if (!strcmp(mode, "exit") && argc > 2)
		return atoi(argv[2]);
	if (!strcmp(mode, "sleep")) {
		for (;;)
			wasix_thread_sleep(10ull * 1000 * 1000 * 1000);
	}
	if (!strcmp(mode, "ids")) {
		wasix_pid_t pid = 0, parent = 0;
		wasix_proc_id(&pid);
		wasix_proc_parent(pid, &parent);
		printf("child: pid %u, parent %u\n", pid, parent);
		return 0;
	}
	if (!strcmp(mode, "cat")) {
		char buf[256];
		ssize_t n;
		while ((n = read(0, buf, sizeof buf)) > 0)
			write(1, buf, n);
		return 0;
	}
	if (!strcmp(mode, "upper")) {
		int c;
		while ((c = getchar()) != EOF)
			putchar(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
		return 0;
	}
	if (!strcmp(mode, "bomb") && argc > 2) {
		int depth = atoi(argv[2]);
		char args[64];
		snprintf(args, sizeof args, "child\nbomb\n%d", depth + 1);
		wasix_pid_t pid = 0;
		wasix_errno_t e = spawn("/workspace/child.wasm", args, 0, 0, &pid);
		if (e != 0) {
			printf("depth %d: spawn errno %d\n", depth, e);
			fflush(stdout);
			return 0;
		}
		wasix_join_status_t st;
		e = join(&pid, 0, &st);
		printf("depth %d: child joined errno %d, exit %d\n", depth, e, st.code);
		fflush(stdout);
		return 0;
	}
	return 2;
}
