/* A small shell: it reads command lines from standard input (or runs
 * the line given after -c) and runs each as a pipeline of guest
 * programs, found through $PATH and started with proc_spawn2:
 *   a | b | c      pipes between the commands
 *   < f  > f  >> f  redirections (the last command's output, the first's
 *                  input; any command may redirect)
 *   $?             the exit status of the last pipeline (its last
 *                  command; 128+signal for one killed by a signal)
 *   cd DIR, exit [N]  built in
 * A line starting with # is a comment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawnlib.h"

#define MAX_WORDS 32
#define MAX_CMDS 8

struct cmd {
	char *argv[MAX_WORDS];
	int argc;
	const char *in, *out;
	int append;
};

static int status;

/* split cuts line into pipeline stages, words and redirections. */
static int split(char *line, struct cmd *cmds) {
	int n = 1;
	memset(cmds, 0, sizeof(struct cmd) * MAX_CMDS);
	for (char *tok = strtok(line, " \t\n"); tok; tok = strtok(NULL, " \t\n")) {
		struct cmd *c = &cmds[n - 1];
		if (!strcmp(tok, "|")) {
			if (n == MAX_CMDS)
				return -1;
			n++;
		} else if (!strcmp(tok, "<") || !strcmp(tok, ">") || !strcmp(tok, ">>")) {
			char *file = strtok(NULL, " \t\n");
			if (!file)
				return -1;
			if (tok[0] == '<')
				c->in = file;
			else
				c->out = file, c->append = tok[1] == '>';
		} else if (c->argc < MAX_WORDS - 1) {
			c->argv[c->argc++] = tok;
		}
	}
	return cmds[n - 1].argc == 0 && n == 1 ? 0 : n;
}

/* expand replaces $? in a word. */
static char *expand(char *w, char *buf, size_t n) {
	char *q = strstr(w, "$?");
	if (!q)
		return w;
	snprintf(buf, n, "%.*s%d%s", (int)(q - w), w, status, q + 2);
	return buf;
}

static wasix_spawn_fd_op_t open_op(wasix_fd_t fd, const char *path, uint16_t oflags, uint16_t fdflags) {
	return (wasix_spawn_fd_op_t){.cmd = WASIX_FD_OP_OPEN, .fd = fd, .path = path,
		.path_len = strlen(path), .oflags = oflags, .fdflags = fdflags,
		.rights_base = 0x1fffffff, .rights_inheriting = 0x1fffffff};
}

/* run starts the pipeline and waits for it; $? is its last command's. */
static void run(struct cmd *cmds, int n) {
	static char words[MAX_CMDS][MAX_WORDS][64];
	wasix_pid_t pids[MAX_CMDS] = {0};
	wasix_fd_t prev_r = (wasix_fd_t)-1;
	const char *path = getenv("PATH");
	if (!path)
		path = "/bin";
	for (int i = 0; i < n; i++) {
		struct cmd *c = &cmds[i];
		char args[1024] = "";
		for (int j = 0; j < c->argc; j++) {
			c->argv[j] = expand(c->argv[j], words[i][j], sizeof words[i][j]);
			strncat(args, c->argv[j], sizeof args - strlen(args) - 2);
			strcat(args, "\n");
		}
		wasix_spawn_fd_op_t ops[6];
		uint32_t nops = 0;
		wasix_fd_t r = (wasix_fd_t)-1, w = (wasix_fd_t)-1;
		if (i + 1 < n)
			wasix_fd_pipe(&r, &w);
		if (prev_r != (wasix_fd_t)-1)
			ops[nops++] = (wasix_spawn_fd_op_t){.cmd = WASIX_FD_OP_DUP2, .fd = 0, .src_fd = prev_r};
		if (w != (wasix_fd_t)-1) {
			ops[nops++] = (wasix_spawn_fd_op_t){.cmd = WASIX_FD_OP_DUP2, .fd = 1, .src_fd = w};
			ops[nops++] = (wasix_spawn_fd_op_t){.cmd = WASIX_FD_OP_CLOSE, .fd = r};
		}
		if (c->in)
			ops[nops++] = open_op(0, c->in, 0, 0);
		if (c->out) /* creat, and trunc or append */
			ops[nops++] = open_op(1, c->out, c->append ? 1 : 1 | 8, c->append ? 1 : 0);
		wasix_errno_t e = c->argc == 0 ? WASIX_EINVAL :
			wasix_proc_spawn2_raw(c->argv[0], strlen(c->argv[0]), args, strlen(args), "", 0,
				ops, nops, 0, 0, 1, path, strlen(path), &pids[i]);
		if (e != 0) {
			fprintf(stderr, "ksh: %s: errno %d\n", c->argc ? c->argv[0] : "(empty)", e);
			pids[i] = 0;
		}
		if (prev_r != (wasix_fd_t)-1)
			close(prev_r);
		if (w != (wasix_fd_t)-1)
			close(w);
		prev_r = r;
	}
	status = 127;
	for (int i = 0; i < n; i++) {
		if (pids[i] == 0)
			continue;
		wasix_join_status_t st;
		wasix_pid_t pid = pids[i];
		if (join(&pid, 0, &st) != 0)
			continue;
		if (i == n - 1)
			status = st.tag == WASIX_JOIN_EXIT_NORMAL ? st.code : 128 + st.sig;
	}
	if (pids[n - 1] == 0)
		status = 127;
}

static int line(char *text) {
	struct cmd cmds[MAX_CMDS];
	if (text[0] == '#')
		return -1;
	int n = split(text, cmds);
	if (n < 0) {
		fprintf(stderr, "ksh: syntax error\n");
		status = 2;
		return -1;
	}
	if (n == 0)
		return -1;
	if (n == 1 && !strcmp(cmds[0].argv[0], "exit"))
		return cmds[0].argc > 1 ? atoi(cmds[0].argv[1]) : status;
	if (n == 1 && !strcmp(cmds[0].argv[0], "cd")) {
		const char *dir = cmds[0].argc > 1 ? cmds[0].argv[1] : "/";
		status = wasix_chdir_raw(dir, strlen(dir)) == 0 ? 0 : 1;
		return -1;
	}
	fflush(stdout);
	run(cmds, n);
	return -1;
}

int main(int argc, char **argv) {
	char buf[1024];
	if (argc > 2 && !strcmp(argv[1], "-c")) {
		strncpy(buf, argv[2], sizeof buf - 1);
		int code = line(buf);
		return code >= 0 ? code : status;
	}
	while (fgets(buf, sizeof buf, stdin)) {
		int code = line(buf);
		if (code >= 0)
			return code;
	}
	return status;
}
