// escape: tries to leave the preopened directory argv[1] in every way a
// C program can and prints what each attempt returned. The host test
// checks that nothing outside the directory changed.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;

static void report(const char *what, int rc) {
	if (rc < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: succeeded\n", what);
}

static const char *at(const char *rel) {
	static char buf[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", dir, rel);
	return buf[i];
}

int main(int argc, char **argv) {
	if (argc < 2)
		return 2;
	dir = argv[1];
	report("open ../secret", open(at("../secret"), O_RDONLY));
	report("create ../planted", open(at("../planted"), O_CREAT | O_WRONLY, 0644));
	report("open /etc/passwd", open("/etc/passwd", O_RDONLY));
	report("open abs-link", open(at("abs-link"), O_RDONLY));
	report("open up-link", open(at("up-link"), O_RDONLY));
	report("symlink to /etc/passwd", symlink("/etc/passwd", at("new-abs-link")));
	report("link ../secret", link(at("../secret"), at("hard")));
	report("link to ../hard", link(at("inside"), at("../hard")));
	report("rename to ../moved", rename(at("inside"), at("../moved")));
	report("mkdir ../newdir", mkdir(at("../newdir"), 0755));
	report("unlink ../secret", unlink(at("../secret")));
	report("read inside", open(at("inside"), O_RDONLY));
	return 0;
}
