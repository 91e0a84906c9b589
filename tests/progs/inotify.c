/*
 * inotify, run on the host and on sysgate alike; every line printed must
 * match. Events are printed as read, names by their watch's label; move
 * cookies only as "pair" (equal, non-zero) since their values are the
 * kernel's own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *volatile bad_pointer = (void *)1;
#define BAD_POINTER bad_pointer

static char dir[] = "/tmp/inotify-XXXXXX";
static char path_buf[4][128];

static const char *in_dir(int slot, const char *name)
{
    snprintf(path_buf[slot], sizeof(path_buf[slot]), "%s/%s", dir, name);
    return path_buf[slot];
}

static const char *errno_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    case EAGAIN: return "EAGAIN";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case EEXIST: return "EEXIST";
    case ENOSYS: return "ENOSYS";
    default: return "other";
    }
}

static void show(const char *what, long r)
{
    if (r < 0)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else
        printf("%s: %ld\n", what, r);
}

static const char *const event_names[] = {"ACCESS",     "MODIFY",    "ATTRIB",      "CLOSE_WRITE", "CLOSE_NOWRITE",
                                          "OPEN",       "MOVED_FROM", "MOVED_TO",   "CREATE",      "DELETE",
                                          "DELETE_SELF", "MOVE_SELF", "?",          "UNMOUNT",     "Q_OVERFLOW",
                                          "IGNORED"};

static void print_mask(unsigned mask)
{
    const char *sep = "";
    for (int bit = 0; bit < 16; bit++)
        if (mask & (1u << bit)) {
            printf("%s%s", sep, event_names[bit]);
            sep = "|";
        }
    if (mask & IN_ISDIR)
        printf("%sISDIR", sep);
}

static unsigned last_cookie;

/* Reads and prints every event queued (the descriptor is non-blocking). */
static int drain(int fd, const char *what)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    int count = 0;
    printf("%s:", what);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0) {
            if (errno != EAGAIN)
                printf(" read error %s", errno_name(errno));
            break;
        }
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *e = (struct inotify_event *)p;
            printf(" [wd %d ", e->wd);
            print_mask(e->mask);
            if (e->len)
                printf(" \"%s\" len %u", e->name, e->len);
            if (e->cookie) {
                printf(" cookie %s", e->cookie == last_cookie ? "pair" : "new");
                last_cookie = e->cookie;
            }
            printf("]");
            p += sizeof(*e) + e->len;
            count++;
        }
    }
    printf("\n");
    return count;
}

static void errors(void)
{
    show("init1 bad flags", syscall(SYS_inotify_init1, 0x1));
    int fd = inotify_init1(IN_NONBLOCK);
    show("add_watch no events", inotify_add_watch(fd, dir, 0));
    show("add_watch MASK_ADD|MASK_CREATE", inotify_add_watch(fd, dir, IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE));
    show("add_watch bad fd", inotify_add_watch(-1, dir, IN_MODIFY));
    show("add_watch not inotify", inotify_add_watch(0, dir, IN_MODIFY));
    show("add_watch missing", inotify_add_watch(fd, in_dir(0, "missing"), IN_MODIFY));
    show("add_watch bad path", inotify_add_watch(fd, BAD_POINTER, IN_MODIFY));
    close(open(in_dir(0, "plain"), O_CREAT | O_WRONLY, 0644));
    show("add_watch ONLYDIR on a file", inotify_add_watch(fd, in_dir(0, "plain"), IN_MODIFY | IN_ONLYDIR));
    int wd = inotify_add_watch(fd, in_dir(0, "plain"), IN_MODIFY);
    show("add_watch", wd);
    show("add_watch again: same wd", inotify_add_watch(fd, in_dir(0, "plain"), IN_ATTRIB) == wd);
    show("add_watch MASK_CREATE existing", inotify_add_watch(fd, in_dir(0, "plain"), IN_ATTRIB | IN_MASK_CREATE));
    show("rm_watch bad wd", inotify_rm_watch(fd, 12345));
    show("rm_watch bad fd", inotify_rm_watch(-1, wd));
    show("rm_watch not inotify", inotify_rm_watch(0, wd));
    show("rm_watch", inotify_rm_watch(fd, wd));
    drain(fd, "after rm_watch");
    show("rm_watch again", inotify_rm_watch(fd, wd));
    char small[8];
    chmod(in_dir(0, "plain"), 0600);
    show("read empty", read(fd, small, sizeof(small)));
    show("add_watch on the file", inotify_add_watch(fd, in_dir(0, "plain"), IN_ATTRIB));
    chmod(in_dir(0, "plain"), 0644);
    show("read too small", read(fd, small, sizeof(small)));
    drain(fd, "then");
    unlink(in_dir(0, "plain"));
    drain(fd, "unlinked");
    close(fd);
    fd = inotify_init();
    show("inotify_init blocks: F_GETFL O_NONBLOCK", !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
    show("inotify_init1 IN_CLOEXEC", fcntl(inotify_init1(IN_CLOEXEC), F_GETFD));
    close(fd);
}

static void directory_events(void)
{
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    int wd = inotify_add_watch(fd, dir, IN_ALL_EVENTS);
    printf("dir wd %d\n", wd);
    int f = open(in_dir(0, "a"), O_CREAT | O_WRONLY, 0644);
    drain(fd, "create");
    write(f, "hello", 5);
    write(f, "again", 5);
    drain(fd, "two writes, one event");
    int count = -1;
    write(f, "x", 1);
    ioctl(fd, FIONREAD, &count);
    printf("FIONREAD %d\n", count);
    drain(fd, "write");
    close(f);
    drain(fd, "close after writing");
    f = open(in_dir(0, "a"), O_RDONLY);
    char buf[16];
    read(f, buf, sizeof(buf));
    close(f);
    drain(fd, "open, read, close");
    chmod(in_dir(0, "a"), 0600);
    drain(fd, "chmod");
    truncate(in_dir(0, "a"), 1);
    drain(fd, "truncate");
    f = open(in_dir(0, "a"), O_WRONLY | O_TRUNC);
    close(f);
    drain(fd, "O_TRUNC");
    struct timespec times[2] = {{1, 0}, {2, 0}};
    utimensat(AT_FDCWD, in_dir(0, "a"), times, 0);
    drain(fd, "utimensat");
    rename(in_dir(0, "a"), in_dir(1, "b with a longer name"));
    drain(fd, "rename");
    link(in_dir(0, "b with a longer name"), in_dir(1, "c"));
    drain(fd, "link");
    unlink(in_dir(0, "c"));
    drain(fd, "unlink");
    mkdir(in_dir(0, "sub"), 0755);
    drain(fd, "mkdir");
    int sub = open(in_dir(0, "sub"), O_RDONLY | O_DIRECTORY);
    close(sub);
    drain(fd, "open the subdirectory");
    symlink("target", in_dir(0, "link"));
    drain(fd, "symlink");
    rename(in_dir(0, "link"), in_dir(1, "sub/link"));
    drain(fd, "move out");
    unlink(in_dir(0, "sub/link"));
    rmdir(in_dir(0, "sub"));
    drain(fd, "rmdir");
    unlink(in_dir(0, "b with a longer name"));
    drain(fd, "unlink");
    show("rm_watch", inotify_rm_watch(fd, wd));
    drain(fd, "rm_watch");
    close(fd);
}

static void self_events(void)
{
    int fd = inotify_init1(IN_NONBLOCK);
    int d = inotify_add_watch(fd, dir, IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO);
    close(open(in_dir(0, "self"), O_CREAT | O_WRONLY, 0644));
    int w = inotify_add_watch(fd, in_dir(0, "self"), IN_ALL_EVENTS);
    printf("wds %d %d\n", d, w);
    drain(fd, "created");
    rename(in_dir(0, "self"), in_dir(1, "moved"));
    drain(fd, "rename of a watched file");
    int f = open(in_dir(0, "moved"), O_RDWR);
    unlink(in_dir(0, "moved"));
    drain(fd, "unlinked while open");
    write(f, "x", 1);
    close(f);
    drain(fd, "closed");
    /* One-shot: the first event, then IN_IGNORED. */
    close(open(in_dir(0, "once"), O_CREAT | O_WRONLY, 0644));
    int once = inotify_add_watch(fd, in_dir(0, "once"), IN_ATTRIB | IN_ONESHOT);
    chmod(in_dir(0, "once"), 0600);
    chmod(in_dir(0, "once"), 0644);
    drain(fd, "oneshot");
    show("rm_watch of the ended one-shot", inotify_rm_watch(fd, once));
    /* IN_MASK_ADD keeps the events already asked for. */
    int m = inotify_add_watch(fd, in_dir(0, "once"), IN_ATTRIB);
    inotify_add_watch(fd, in_dir(0, "once"), IN_OPEN | IN_MASK_ADD);
    int g = open(in_dir(0, "once"), O_RDONLY);
    fchmod(g, 0600);
    close(g);
    drain(fd, "mask add");
    inotify_add_watch(fd, in_dir(0, "once"), IN_CLOSE);
    g = open(in_dir(0, "once"), O_RDONLY);
    fchmod(g, 0644);
    close(g);
    drain(fd, "mask replaced");
    (void)m;
    /* IN_DONT_FOLLOW watches the link itself. */
    symlink("once", in_dir(0, "tolink"));
    int l = inotify_add_watch(fd, in_dir(0, "tolink"), IN_ATTRIB | IN_DONT_FOLLOW);
    int t = inotify_add_watch(fd, in_dir(0, "tolink"), IN_ATTRIB);
    printf("link watched apart from its target: %d, target's wd reused: %d\n", l != t, t == m);
    unlink(in_dir(0, "tolink"));
    unlink(in_dir(0, "once"));
    drain(fd, "unlinked both");
    close(fd);
}

static void readiness(void)
{
    int fd = inotify_init1(IN_NONBLOCK);
    inotify_add_watch(fd, dir, IN_CREATE | IN_DELETE);
    struct pollfd p = {fd, POLLIN, 0};
    show("poll empty", poll(&p, 1, 0));
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    show("epoll empty", epoll_wait(ep, &ev, 1, 0));
    if (fork() == 0) {
        usleep(20000);
        close(open(in_dir(0, "from-child"), O_CREAT | O_WRONLY, 0644));
        _exit(0);
    }
    show("epoll_wait wakes", epoll_wait(ep, &ev, 1, 5000));
    printf("data %u events %#x\n", ev.data.u32, ev.events);
    p.revents = 0;
    show("poll", poll(&p, 1, 0));
    printf("revents %#x\n", p.revents);
    drain(fd, "from the child");
    /* A blocking read waits for the event. */
    int blocking = inotify_init();
    inotify_add_watch(blocking, dir, IN_DELETE);
    if (fork() == 0) {
        usleep(20000);
        unlink(in_dir(0, "from-child"));
        _exit(0);
    }
    char buf[256] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n = read(blocking, buf, sizeof(buf));
    struct inotify_event *e = (struct inotify_event *)buf;
    printf("blocking read %zd: ", n);
    print_mask(e->mask);
    printf(" \"%s\"\n", e->name);
    close(blocking);
    close(ep);
    close(fd);
}

static void overflow(void)
{
    int fd = inotify_init1(IN_NONBLOCK);
    int max = 0;
    FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
    if (!f || fscanf(f, "%d", &max) != 1)
        max = 16384;
    if (f)
        fclose(f);
    inotify_add_watch(fd, dir, IN_ATTRIB | IN_MODIFY);
    int file = open(in_dir(0, "flood"), O_CREAT | O_WRONLY, 0644);
    /* Alternate two events so that none merges with the one before. */
    for (int i = 0; i < max + 10; i++)
        if (i & 1)
            fchmod(file, 0644);
        else
            ftruncate(file, 0);
    close(file);
    int count = -1;
    ioctl(fd, FIONREAD, &count);
    printf("FIONREAD is whole events: %d\n", count % 16 == 0);
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    int events = 0, overflows = 0, last_overflow = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *e = (struct inotify_event *)p;
            events++;
            if (e->mask & IN_Q_OVERFLOW) {
                overflows++;
                last_overflow = events;
                printf("overflow event: wd %d len %u\n", e->wd, e->len);
            }
            p += sizeof(*e) + e->len;
        }
    printf("events %s the maximum plus one, %d overflow, last %d\n", events == max + 1 ? "are" : "are not", overflows,
           last_overflow == events);
    unlink(in_dir(0, "flood"));
    close(fd);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    errors();
    directory_events();
    self_events();
    readiness();
    overflow();
    rmdir(dir);
    return 0;
}
