/*
 * ptydrive - runs a command on a pseudo-terminal and plays a script against
 * it, as a person at a terminal would: the interactive test of `sysgate shell`.
 *
 *   ptydrive SCRIPT -- COMMAND [ARGS...]
 *
 * SCRIPT lines:  expect TEXT   wait (up to 20 s) until TEXT has appeared in the output
 *                send TEXT     type TEXT followed by Enter
 *                ctrl C        type ^C (any letter)
 *                sleep MS      wait
 *                quit          kill the command and exit 0 (for timing how long
 *                              until an expectation is met: `make bench`)
 * Like a terminal, it answers the cursor-position query (ESC [ 6 n).
 * Everything the command printed goes to stdout; the exit status is the
 * command's, or 124 if an expectation was not met.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char output[1 << 20];
static size_t output_len, searched_from;
static int master;

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Reads what is there for up to `ms`; returns false at end of output. */
static bool pump(int ms)
{
    struct pollfd p = {master, POLLIN, 0};
    if (poll(&p, 1, ms) <= 0)
        return true;
    char buf[4096];
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0)
        return false;
    fwrite(buf, 1, (size_t)n, stdout);
    fflush(stdout);
    /* A terminal answers "where is the cursor?" (busybox's line editor asks). */
    if (memmem(buf, (size_t)n, "\033[6n", 4))
        dprintf(master, "\033[1;1R");
    if (output_len + (size_t)n < sizeof output) {
        memcpy(output + output_len, buf, (size_t)n);
        output_len += (size_t)n;
        output[output_len] = 0;
    }
    return true;
}

static bool expect(const char *text)
{
    long deadline = now_ms() + 20000;
    while (now_ms() < deadline) {
        char *found = memmem(output + searched_from, output_len - searched_from, text, strlen(text));
        if (found) {
            searched_from = (size_t)(found - output) + strlen(text);
            return true;
        }
        if (!pump(100))
            break;
    }
    fprintf(stderr, "ptydrive: expected \"%s\"\n", text);
    return false;
}

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[2], "--")) {
        fprintf(stderr, "usage: ptydrive SCRIPT -- COMMAND [ARGS...]\n");
        return 2;
    }
    FILE *script = fopen(argv[1], "r");
    if (!script) {
        perror(argv[1]);
        return 2;
    }
    struct winsize size = {30, 100, 0, 0};
    pid_t child = forkpty(&master, NULL, NULL, &size);
    if (child < 0) {
        perror("forkpty");
        return 2;
    }
    if (child == 0) {
        execvp(argv[3], argv + 3);
        perror(argv[3]);
        _exit(127);
    }
    char line[1024];
    int status = 0;
    while (fgets(line, sizeof line, script)) {
        line[strcspn(line, "\n")] = 0;
        if (!strncmp(line, "expect ", 7)) {
            if (!expect(line + 7)) {
                kill(child, SIGKILL);
                waitpid(child, NULL, 0);
                return 124;
            }
        } else if (!strncmp(line, "send ", 5)) {
            dprintf(master, "%s\r", line + 5);
        } else if (!strncmp(line, "ctrl ", 5)) {
            char c = (char)(line[5] & 0x1f);
            write(master, &c, 1);
        } else if (!strcmp(line, "quit")) {
            kill(child, SIGKILL);
            waitpid(child, NULL, 0);
            return 0;
        } else if (!strncmp(line, "sleep ", 6)) {
            long until = now_ms() + atol(line + 6);
            while (now_ms() < until)
                pump(50);
        }
    }
    long deadline = now_ms() + 20000;
    /* The output ends (the terminal closes) a moment before the command
     * exits, so the end of output is not the end of the wait. */
    bool output_open = true;
    while (now_ms() < deadline) {
        if (waitpid(child, &status, WNOHANG) == child)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (output_open)
            output_open = pump(100);
        else
            usleep(10000);
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    fprintf(stderr, "ptydrive: the command did not end\n");
    return 124;
}
