/* tests/tools/ptyscan.c: a serial scanner box stand-in. Creates a pseudo-terminal, links its
 * device to LINK (what the kiosk's "serial:LINK" spec opens), then sends every line read
 * from standard input as one scan ending in CR LF, as a CDC scanner does. Exits at the end
 * of its input, which the kiosk sees as the scanner unplugged.
 *   ptyscan LINK < codes.txt */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: ptyscan LINK < lines\n", stderr);
		return 2;
	}
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
		perror("ptyscan: pty");
		return 1;
	}
	unlink(argv[1]);
	if (symlink(ptsname(master), argv[1]) != 0) {
		perror("ptyscan: symlink");
		return 1;
	}
	static char line[8192];
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		size_t n = strlen(line);
		memcpy(line + n, "\r\n", 3);
		if (write(master, line, n + 2) != (ssize_t)(n + 2)) {
			perror("ptyscan: write");
			return 1;
		}
	}
	sleep(1); /* let the kiosk read the last scan before the line hangs up */
	unlink(argv[1]);
	close(master);
	return 0;
}
