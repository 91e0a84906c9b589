/*
 * menu: a MenuOS-style command menu, the program of the "trace socketcall in
 * MenuOS with QEMU and gdb" lab. It reads commands at a "MenuOS>>" prompt,
 * from a terminal or a script on stdin:
 *
 *   help      the commands
 *   version   which menu this is
 *   time      the time, through libc
 *   time-asm  the time, through the time system call made with inline
 *             assembly (int $0x80, i386's table, from either build)
 *   replyhi   starts a TCP server on 127.0.0.1:5001 in the background that
 *             answers every message with "hi"
 *   hello     connects to it, sends "hello" and prints the reply
 *   quit      ends the menu (and the replyhi server it started)
 *
 * Built twice: `menu` (64-bit, libc's socket calls) and `menu32` (32-bit,
 * every socket call through the socketcall multiplexer, so that a breakpoint
 * on the kernel's socketcall sees each one).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sysgate/syscall.h>
#if defined(__i386__)
#include <sysgate/socketcall.h>
#endif

#define REPLYHI_PORT 5001
#define MESSAGE_MAX 1024

/* ---- the socket calls: libc's, or socketcall's on i386 ---- */

#if defined(__i386__)
static int menu_socket(int domain, int type, int protocol)
{
    uint32_t args[3] = {(uint32_t)domain, (uint32_t)type, (uint32_t)protocol};
    return (int)sg_socketcall(SG_SYS_SOCKET, args);
}
static int menu_bind(int fd, const struct sockaddr_in *addr)
{
    uint32_t args[3] = {(uint32_t)fd, (uint32_t)addr, sizeof(*addr)};
    return (int)sg_socketcall(SG_SYS_BIND, args);
}
static int menu_listen(int fd, int backlog)
{
    uint32_t args[2] = {(uint32_t)fd, (uint32_t)backlog};
    return (int)sg_socketcall(SG_SYS_LISTEN, args);
}
static int menu_accept(int fd)
{
    uint32_t args[3] = {(uint32_t)fd, 0, 0};
    return (int)sg_socketcall(SG_SYS_ACCEPT, args);
}
static int menu_connect(int fd, const struct sockaddr_in *addr)
{
    uint32_t args[3] = {(uint32_t)fd, (uint32_t)addr, sizeof(*addr)};
    return (int)sg_socketcall(SG_SYS_CONNECT, args);
}
static long menu_send(int fd, const void *buf, size_t len)
{
    uint32_t args[4] = {(uint32_t)fd, (uint32_t)buf, (uint32_t)len, 0};
    return sg_socketcall(SG_SYS_SEND, args);
}
static long menu_recv(int fd, void *buf, size_t len)
{
    uint32_t args[4] = {(uint32_t)fd, (uint32_t)buf, (uint32_t)len, 0};
    return sg_socketcall(SG_SYS_RECV, args);
}
static int menu_setsockopt(int fd, int level, int name, const int *value)
{
    uint32_t args[5] = {(uint32_t)fd, (uint32_t)level, (uint32_t)name, (uint32_t)value, sizeof(*value)};
    return (int)sg_socketcall(SG_SYS_SETSOCKOPT, args);
}
#else
static int menu_socket(int domain, int type, int protocol) { return socket(domain, type, protocol); }
static int menu_bind(int fd, const struct sockaddr_in *addr)
{
    return bind(fd, (const struct sockaddr *)addr, sizeof(*addr));
}
static int menu_listen(int fd, int backlog) { return listen(fd, backlog); }
static int menu_accept(int fd) { return accept(fd, NULL, NULL); }
static int menu_connect(int fd, const struct sockaddr_in *addr)
{
    return connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
}
static long menu_send(int fd, const void *buf, size_t len) { return send(fd, buf, len, 0); }
static long menu_recv(int fd, void *buf, size_t len) { return recv(fd, buf, len, 0); }
static int menu_setsockopt(int fd, int level, int name, const int *value)
{
    return setsockopt(fd, level, name, value, sizeof(*value));
}
#endif

static struct sockaddr_in replyhi_address(void)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(REPLYHI_PORT);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
}

/* ---- the commands ---- */

static pid_t replyhi_server;

static int cmd_help(void);

static int cmd_version(void)
{
    printf("MenuOS V1.0 on sysgate (the Linux system-call interface, %d-bit build)\n", (int)sizeof(long) * 8);
    return 0;
}

static int cmd_quit(void)
{
    if (replyhi_server > 0) {
        kill(replyhi_server, SIGTERM);
        waitpid(replyhi_server, NULL, 0);
    }
    exit(0);
}

static void print_time(const char *how, time_t now)
{
    struct tm tm;
    gmtime_r(&now, &tm);
    printf("time (%s): %04d-%02d-%02d %02d:%02d:%02d UTC\n", how, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
           tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int cmd_time(void)
{
    print_time("libc", time(NULL));
    return 0;
}

/* i386's time(2), number 13, through int $0x80: it stores a 32-bit time_t
 * at the address in ebx (a static, below 4 GiB even in the 64-bit build)
 * and returns it in eax. */
#define I386_NR_TIME 13
static int32_t time_asm_result;

static int cmd_time_asm(void)
{
    long result;
    __asm__ volatile("int $0x80" : "=a"(result) : "a"(I386_NR_TIME), "b"(&time_asm_result) : "memory");
    if (result < 0 && result > -4096) {
        printf("time-asm: %s\n", strerror((int)-result));
        return 1;
    }
    print_time("int $0x80", (time_t)time_asm_result);
    return 0;
}

static void serve_forever(int listener)
{
    for (;;) {
        int conn = menu_accept(listener);
        if (conn < 0)
            continue;
        char buf[MESSAGE_MAX];
        while (menu_recv(conn, buf, sizeof(buf)) > 0)
            menu_send(conn, "hi", 2);
        close(conn);
    }
}

static int cmd_replyhi(void)
{
    if (replyhi_server > 0) {
        printf("replyhi: the server is already running\n");
        return 0;
    }
    int listener = menu_socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    struct sockaddr_in addr = replyhi_address();
    if (listener < 0 || menu_setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one) < 0 ||
        menu_bind(listener, &addr) < 0 || menu_listen(listener, 8) < 0) {
        printf("replyhi: %s\n", strerror(errno));
        if (listener >= 0)
            close(listener);
        return 1;
    }
    /* Listening before the fork: a hello right after finds the server. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("replyhi: %s\n", strerror(errno));
        close(listener);
        return 1;
    }
    if (pid == 0)
        serve_forever(listener);
    close(listener);
    replyhi_server = pid;
    printf("replyhi: TCP server on 127.0.0.1:%d answers \"hi\"\n", REPLYHI_PORT);
    return 0;
}

static int cmd_hello(void)
{
    int fd = menu_socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = replyhi_address();
    if (fd < 0 || menu_connect(fd, &addr) < 0) {
        printf("hello: %s\n", strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    char reply[MESSAGE_MAX];
    long n = menu_send(fd, "hello", 5);
    n = n == 5 ? menu_recv(fd, reply, sizeof(reply) - 1) : -1;
    if (n < 0) {
        printf("hello: %s\n", strerror(errno));
        close(fd);
        return 1;
    }
    reply[n] = 0;
    printf("hello: sent \"hello\", received \"%s\"\n", reply);
    close(fd);
    return 0;
}

static const struct command {
    const char *name;
    const char *description;
    int (*run)(void);
} commands[] = {
    {"help", "List the commands", cmd_help},
    {"version", "Show the version", cmd_version},
    {"quit", "Quit from MenuOS", cmd_quit},
    {"time", "Show the system time", cmd_time},
    {"time-asm", "Show the system time (the time call in inline assembly)", cmd_time_asm},
    {"replyhi", "Start the reply-hi TCP server", cmd_replyhi},
    {"hello", "Say hello to the reply-hi server", cmd_hello},
};

static int cmd_help(void)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        printf("%-9s - %s\n", commands[i].name, commands[i].description);
    return 0;
}

int main(void)
{
    char line[256];
    /* A broken connection to the server is an error to report, not a death. */
    signal(SIGPIPE, SIG_IGN);
    printf("MenuOS: type help for the commands\n");
    for (;;) {
        printf("MenuOS>>");
        fflush(stdout);
        if (!fgets(line, sizeof(line), stdin))
            break;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0])
            continue;
        const struct command *found = NULL;
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]) && !found; i++)
            if (!strcmp(line, commands[i].name))
                found = &commands[i];
        if (found)
            found->run();
        else
            printf("%s: no such command (help lists them)\n", line);
    }
    printf("\n");
    cmd_quit();
    return 0;
}
