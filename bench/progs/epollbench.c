/*
 * epollbench.c - an epoll ping-pong round trip between two processes: each
 * waits in epoll_wait on its own instance for the pipe the other writes,
 * then reads the byte and writes it back (the event loop of a server, one
 * ready descriptor at a time). Runs on sysgate and on Linux alike.
 *
 * Prints "NAME TSC_PER_UNIT NS_PER_UNIT" lines like waitbench: under
 * -icount shift=0 the TSC counts guest instructions.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>
#include "benchclock.h"
#include "poweroff.h"

#define ROUND_TRIPS 2000

/* Waits for fd through an epoll instance watching only it, then takes the byte. */
static int epoll_read(int ep, int fd, char *c)
{
    struct epoll_event ev;
    if (epoll_wait(ep, &ev, 1, -1) != 1)
        return -1;
    return read(fd, c, 1) == 1 ? 0 : -1;
}

static int watching(int fd)
{
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
        return -1;
    return ep;
}

static int epoll_ping_pong(void)
{
    int there[2], back[2];
    if (pipe(there) || pipe(back))
        return 1;
    char c = 0;
    pid_t child = fork();
    if (child == 0) {
        int ep = watching(there[0]);
        for (int i = 0; i < ROUND_TRIPS; i++) {
            if (ep < 0 || epoll_read(ep, there[0], &c))
                _exit(1);
            write(back[1], &c, 1);
        }
        _exit(0);
    }
    int ep = watching(back[0]);
    if (ep < 0)
        return 1;
    /* One round first: the child is running and its pages are in. */
    write(there[1], &c, 1);
    if (epoll_read(ep, back[0], &c))
        return 1;
    uint64_t n0 = now_ns(), t0 = tsc();
    for (int i = 1; i < ROUND_TRIPS; i++) {
        write(there[1], &c, 1);
        if (epoll_read(ep, back[0], &c))
            return 1;
    }
    uint64_t t1 = tsc(), n1 = now_ns();
    int status;
    waitpid(child, &status, 0);
    printf("epoll_pingpong %.3f %.3f\n", (double)(t1 - t0) / (ROUND_TRIPS - 1), (double)(n1 - n0) / (ROUND_TRIPS - 1));
    return status != 0;
}

int main(void) { bench_finish(epoll_ping_pong()); }
