/* tests/tools/print_sink.c: a raw TCP "printer" for integration tests: listens on
 * 127.0.0.1 (an ephemeral port, written to PORTFILE), and stores what each connection
 * sends as DIR/NNN.bin (written whole, then renamed; empty connections are not kept). Runs until
 * killed. print_sink DIR PORTFILE [CUT]: with CUT, the first job is cut after CUT bytes (the
 * printer unplugged mid-job: closed with the rest unread, kept as DIR/NNN.cut). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: print_sink DIR PORTFILE [CUT]\n");
		return 2;
	}
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(a);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(lfd, 4) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &len) != 0) {
		perror("print_sink");
		return 1;
	}
	FILE *pf = fopen(argv[2], "w");
	if (!pf)
		return 1;
	fprintf(pf, "%u\n", ntohs(a.sin_port));
	fclose(pf);
	long cut = argc == 4 ? atol(argv[3]) : 0;
	for (unsigned n = 1;; n++) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		char tmp[4096], final[4096];
		snprintf(tmp, sizeof(tmp), "%s/.%03u.part", argv[1], n);
		snprintf(final, sizeof(final), "%s/%03u.bin", argv[1], n);
		FILE *out = fopen(tmp, "wb");
		char buf[65536];
		ssize_t got;
		size_t total = 0;
		size_t want = cut > 0 ? (size_t)cut : sizeof(buf);
		while ((got = read(fd, buf, want < sizeof(buf) ? want : sizeof(buf))) > 0) {
			total += (size_t)got;
			if (out)
				fwrite(buf, 1, (size_t)got, out);
			if (cut > 0 && (want -= (size_t)got) == 0)
				break;
		}
		close(fd);
		if (out)
			fclose(out);
		if (total == 0) { /* a probe, not a job */
			unlink(tmp);
			n--;
			continue;
		}
		if (cut > 0) { /* this job was cut: the next ones print whole */
			snprintf(final, sizeof(final), "%s/%03u.cut", argv[1], n);
			cut = 0;
		}
		rename(tmp, final);
	}
}
