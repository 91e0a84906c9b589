/*
 * sigaltfail.c - a signal whose frame cannot be written (its alternate
 * stack is unmapped) becomes SIGSEGV, as Linux's force_sigsegv: a SIGSEGV
 * handler on the ordinary stack catches it (si_code SI_KERNEL); one that
 * also wants the broken alternate stack, or none, leaves the process
 * killed by SIGSEGV. Prints each child's outcome; the same on the host and
 * on sysgate. Exits 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ALT_SIZE (64 * 1024)

static void on_usr1(int sig)
{
    (void)sig;
    static const char msg[] = "SIGUSR1 handler ran (unexpected)\n";
    write(1, msg, sizeof(msg) - 1);
}

static void on_segv(int sig, siginfo_t *info, void *ctx)
{
    (void)sig, (void)ctx;
    printf("  SIGSEGV caught, si_code %#x\n", info->si_code);
    fflush(stdout);
    _exit(3);
}

/* An alternate stack that is gone by the time the signal comes. */
static void broken_alternate_stack(void)
{
    void *alt = mmap(NULL, ALT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    stack_t ss = {.ss_sp = alt, .ss_size = ALT_SIZE};
    sigaltstack(&ss, NULL);
    munmap(alt, ALT_SIZE);
}

static void run(const char *what, int segv_flags, int have_segv_handler)
{
    pid_t child = fork();
    if (child == 0) {
        broken_alternate_stack();
        struct sigaction usr1 = {.sa_handler = on_usr1, .sa_flags = SA_ONSTACK};
        sigaction(SIGUSR1, &usr1, NULL);
        if (have_segv_handler) {
            struct sigaction segv = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | segv_flags};
            sigaction(SIGSEGV, &segv, NULL);
        }
        raise(SIGUSR1);
        printf("  raise returned\n");
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status))
        printf("%s: killed by %s\n", what, strsignal(WTERMSIG(status)));
    else
        printf("%s: exit %d\n", what, WEXITSTATUS(status));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    run("SIGSEGV handler on the ordinary stack", 0, 1);
    run("SIGSEGV handler on the same broken stack", SA_ONSTACK, 1);
    run("no SIGSEGV handler", 0, 0);
    return 0;
}
