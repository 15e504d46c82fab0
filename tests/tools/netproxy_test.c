/*
 * netproxy_test.c - runs jailrun's network proxy on its own, for
 * tests/netproxy.t.
 *
 * usage: netproxy_test [-l LOG] [-t HEAD_MS] [-d DENY]... [ALLOW]...
 *
 * Listens on 127.0.0.1 (a port of the kernel's choosing), writes the
 * port and a newline on stdout, and serves until SIGTERM or SIGINT;
 * then prints the refusal summary on stderr, writes LOG, and exits 0.
 * The upstream proxy comes from its own environment, as jailrun's does.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../runtime/netproxy.h"

static struct np *proxy;
static int lfd;

static const char *
test_getenv(const char *name)
{
	return getenv(name);
}

static void *
test_serve(void *arg)
{
	(void)arg;
	np_serve(proxy, lfd);
	fprintf(stderr, "netproxy_test: accept: %s\n", strerror(errno));
	exit(1);
}

int
main(int argc, char **argv)
{
	static const char *allow[64], *deny[64];
	struct np_cfg cfg;
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	const char *log = NULL, *why;
	sigset_t set;
	pthread_t t;
	FILE *f;
	int c, sig;

	memset(&cfg, 0, sizeof(cfg));
	cfg.name = "jail";
	cfg.allow = allow;
	cfg.deny = deny;
	cfg.getenv = test_getenv;
	while ((c = getopt(argc, argv, "d:l:t:")) != -1) {
		switch (c) {
		case 'd':
			if (cfg.ndeny < 64)
				deny[cfg.ndeny++] = optarg;
			break;
		case 'l':
			log = optarg;
			break;
		case 't':
			cfg.head_ms = atoi(optarg);
			break;
		default:
			fprintf(stderr,
			    "usage: netproxy_test [-l LOG] "
			    "[-d DENY]... [ALLOW]...\n");
			return 2;
		}
	}
	for (; optind < argc && cfg.nallow < 64; optind++)
		allow[cfg.nallow++] = argv[optind];
	if ((proxy = np_new(&cfg, &why)) == NULL) {
		fprintf(stderr, "netproxy_test: an entry: %s\n", why);
		return 1;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(lfd, 64) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &sl) != 0) {
		fprintf(stderr, "netproxy_test: listen: %s\n", strerror(errno));
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (pthread_create(&t, NULL, test_serve, NULL) != 0)
		return 1;
	printf("%u\n", ntohs(sin.sin_port));
	fflush(stdout);
	sigwait(&set, &sig);
	np_summary(proxy, stderr);
	if (log != NULL &&
	    ((f = fopen(log, "w")) == NULL || np_log(proxy, f) != 0 ||
	        fclose(f) != 0)) {
		fprintf(
		    stderr, "netproxy_test: %s: %s\n", log, strerror(errno));
		return 1;
	}
	return 0;
}
