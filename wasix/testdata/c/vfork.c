/* kiln:asyncify
 * proc_fork_env (vfork) as wasix-libc's exception-handling build uses it:
 * a setjmp (stack_checkpoint) in the caller, then proc_fork_env, which
 * makes the caller the child (a PID and a descriptor table of its own, the
 * parent's memory) and writes the child's PID; the child's proc_exit2, or
 * a proc_exec3 that starts its program, returns into the parent, which
 * longjmps (stack_restore) back to the vfork point. */
#include <stdio.h>
#include <unistd.h>

#include "spawnlib.h"

/* proc_exit2 returns in a vfork child: declared here without _Noreturn. */
void vfork_exit(uint32_t code) WASIX_IMPORT(proc_exit2);

static wasix_stack_snapshot_t jb;
static wasix_pid_t child;
static wasix_pid_t child_saw_pid, child_saw_parent;
static wasix_errno_t child_exec_errno;

int main(void) {
	wasix_pid_t me = 0;
	wasix_proc_id(&me);
	uint64_t back = 0;
	int round = 0;
	fflush(stdout);
	wasix_stack_checkpoint(&jb, &back);
	if (back == 0) {
		wasix_errno_t e = wasix_proc_fork_env(&child);
		if (e != 0) {
			printf("vfork: errno %d\n", e);
			return 1;
		}
		/* The child, on the parent's memory. */
		wasix_proc_id(&child_saw_pid);
		wasix_proc_parent(child_saw_pid, &child_saw_parent);
		close(1); /* its own copy of the descriptor */
		vfork_exit(42);
		wasix_stack_restore(&jb, 1);
	}
	wasix_join_status_t st;
	wasix_pid_t pid = child;
	wasix_errno_t e = join(&pid, 0, &st);
	printf("vfork: the child's pid is another %d, its proc_id %d, its parent me %d\n",
		child != 0 && child != me, child_saw_pid == child, child_saw_parent == me);
	printf("join: errno %d, tag %d, exit code %d\n", e, st.tag, st.code);

	/* vfork + exec, then vfork + the exec of a missing program. */
	for (round = 0; round < 2; round++) {
		back = 0;
		fflush(stdout);
		wasix_stack_checkpoint(&jb, &back);
		if (back == 0) {
			if (wasix_proc_fork_env(&child) != 0)
				return 1;
			if (round == 0)
				child_exec_errno = wasix_proc_exec3_raw("/workspace/child.wasm", 21,
					"child\necho\nexec in a vfork child", 32, "", 0, 0, "", 0);
			else
				child_exec_errno = wasix_proc_exec3_raw("/workspace/missing.wasm", 23,
					"missing", 7, "", 0, 0, "", 0);
			if (child_exec_errno != 0)
				vfork_exit(3);
			wasix_stack_restore(&jb, 1);
		}
		pid = child;
		e = join(&pid, 0, &st);
		printf("vfork+exec %d: exec errno %d, join errno %d, tag %d, exit code %d\n", round,
			child_exec_errno, e, st.tag, st.code);
	}
	return 0;
}
