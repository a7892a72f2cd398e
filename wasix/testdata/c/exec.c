/* proc_exec3: a missing program is an error the caller sees; a found one
 * replaces the program in the same process (same pid), which the exit
 * status of the new program ends. */
#include <stdio.h>
#include <string.h>

#include "wasix.h"

int main(void) {
	wasix_pid_t pid = 0;
	wasix_proc_id(&pid);
	printf("before exec: pid %u\n", pid);
	wasix_errno_t e = wasix_proc_exec3_raw("/workspace/missing", 18, "missing", 7, "", 0, 0, "", 0);
	printf("exec of a missing program: errno %d\n", e);
	e = wasix_proc_exec3_raw("child", 5, "child\nids", 9, "", 0, 1, "/nowhere:/workspace", 19);
	printf("exec returned: errno %d\n", e);
	return 1;
}
