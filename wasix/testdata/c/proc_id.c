/* proc_id and proc_parent of the main process, and proc_parent of a
 * process that does not exist. */
#include <stdio.h>

#include "wasix.h"

int main(void) {
	wasix_pid_t pid = 0, parent = 12345;
	wasix_errno_t e = wasix_proc_id(&pid);
	printf("proc_id: errno %d, pid %u\n", e, pid);
	e = wasix_proc_parent(pid, &parent);
	printf("proc_parent(self): errno %d, parent %u\n", e, parent);
	parent = 12345;
	e = wasix_proc_parent(999999, &parent);
	printf("proc_parent(999999): errno %d\n", e);
	printf("proc_snapshot: errno %d\n", wasix_proc_snapshot());
	return 0;
}
