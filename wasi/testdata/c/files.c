// files: exercises the file system beneath the directory given as argv[1]:
// create, write, append, read, seek, pread, stat, rename, a directory
// listing long enough to need several fd_readdir calls (cookies), unlink
// and rmdir. Every step prints one line; a failure exits with status 1.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fail(const char *what) {
	printf("FAIL %s: %s\n", what, strerror(errno));
	exit(1);
}

static int cmp(const void *a, const void *b) {
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define NFILES 150

int main(int argc, char **argv) {
	if (argc < 2) {
		fprintf(stderr, "usage: files DIR\n");
		return 2;
	}
	char path[512], path2[512];
	snprintf(path, sizeof path, "%s/work", argv[1]);
	if (mkdir(path, 0755) != 0) fail("mkdir");
	printf("mkdir ok\n");

	snprintf(path, sizeof path, "%s/work/a.txt", argv[1]);
	FILE *f = fopen(path, "w");
	if (!f) fail("fopen w");
	fputs("alpha\n", f);
	fclose(f);
	f = fopen(path, "a");
	if (!f) fail("fopen a");
	fputs("beta\n", f);
	fclose(f);

	char buf[64] = {0};
	int fd = open(path, O_RDONLY);
	if (fd < 0) fail("open");
	ssize_t n = read(fd, buf, sizeof buf - 1);
	if (n < 0) fail("read");
	printf("read %zd: %s", n, buf);
	if (lseek(fd, 6, SEEK_SET) != 6) fail("lseek");
	memset(buf, 0, sizeof buf);
	if (read(fd, buf, 4) != 4) fail("read after seek");
	printf("after seek: %s\n", buf);
	memset(buf, 0, sizeof buf);
	if (pread(fd, buf, 5, 0) != 5) fail("pread");
	printf("pread: %s\n", buf);
	struct stat st;
	if (fstat(fd, &st) != 0) fail("fstat");
	printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
	close(fd);

	snprintf(path2, sizeof path2, "%s/work/b.txt", argv[1]);
	if (rename(path, path2) != 0) fail("rename");
	if (access(path, F_OK) == 0 || errno != ENOENT) fail("old name still there");
	printf("rename ok\n");

	for (int i = 0; i < NFILES; i++) {
		snprintf(path, sizeof path, "%s/work/entry-with-a-rather-long-name-%03d", argv[1], i);
		int c = open(path, O_CREAT | O_WRONLY | O_EXCL, 0644);
		if (c < 0) fail("create entry");
		close(c);
	}
	snprintf(path, sizeof path, "%s/work", argv[1]);
	DIR *d = opendir(path);
	if (!d) fail("opendir");
	char *names[NFILES + 8];
	int count = 0, dots = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
			dots++;
			continue;
		}
		if (count == NFILES + 8) fail("too many entries");
		names[count++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof names[0], cmp);
	printf("readdir: %d entries, %d dots, first %s, last %s\n", count, dots, names[0], names[count - 1]);
	for (int i = 1; i < count; i++)
		if (strcmp(names[i - 1], names[i]) == 0) fail("duplicate entry");

	for (int i = 0; i < count; i++) {
		snprintf(path, sizeof path, "%s/work/%s", argv[1], names[i]);
		if (unlink(path) != 0) fail("unlink");
	}
	snprintf(path, sizeof path, "%s/work", argv[1]);
	if (rmdir(path) != 0) fail("rmdir");
	printf("cleanup ok\n");
	return 0;
}
