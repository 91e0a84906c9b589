/*
 * The console terminal and its line discipline, as Linux's n_tty behaves for
 * the settings programs use: canonical mode with echo, erase (DEL, ^H), word
 * erase (^W), line kill (^U) and end of file (^D); ^C, ^\ and ^Z sending
 * SIGINT, SIGQUIT and SIGTSTP to the foreground process group; raw mode with
 * VMIN/VTIME; CR/NL translation on input (ICRNL) and output (ONLCR); the
 * termios, window-size and job-control ioctls. Input arrives byte by byte
 * from the UART's interrupt (tty_receive); output goes straight to COM1.
 * Input readers may take (a byte in raw mode, a line in canonical mode)
 * signals the O_ASYNC owners with POLL_IN, as n_tty's kill_fasync.
 */
#include "apic.h"
#include "errno.h"
#include "fasync.h"
#include "fs.h"
#include "kernel.h"
#include "lib.h"
#include "proc.h"
#include "serial.h"
#include "signal.h"
#include "time.h"
#include "tty.h"
#include "uaccess.h"
#include "x86.h"

#define BUFFER 4096

struct tty {
    struct termios termios;
    struct winsize winsize;
    pid_t pgrp, session;
    char line[BUFFER];   /* the line being edited (canonical mode) */
    size_t line_len;
    char input[BUFFER];  /* bytes readers may take */
    size_t head, count;
    size_t lines;        /* complete lines in input; ^D on an empty line counts as one, with no bytes */
    struct wait_queue read_wait; /* readers and pollers: input came, or a signal was typed */
};

static struct tty console = {
    .termios =
        {
            .c_iflag = ICRNL | IXON,
            .c_oflag = OPOST | ONLCR,
            .c_cflag = B38400 | CS8 | CREAD | HUPCL,
            .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
            .c_cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0},
        },
    .winsize = {24, 80, 0, 0},
};

/* The host terminal's size, from the command line (sysgate.winsize=RxC). */
void tty_init(void)
{
    const char *size = cmdline_option("sysgate.winsize=");
    if (!size)
        return;
    const char *x;
    unsigned long rows = parse_ulong(size, &x, 10);
    if (*x != 'x')
        return;
    unsigned long cols = parse_ulong(x + 1, NULL, 10);
    if (rows && cols && rows < 10000 && cols < 10000)
        console.winsize = (struct winsize){(u16)rows, (u16)cols, 0, 0};
}

static void echo_bytes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && (console.termios.c_oflag & OPOST) && (console.termios.c_oflag & ONLCR))
            serial_write(COM1, "\r", 1);
        serial_write(COM1, &s[i], 1);
    }
}

/* ECHOCTL shows control characters as ^X. */
static void echo_char(char c)
{
    if (!(console.termios.c_lflag & ECHO))
        return;
    if ((console.termios.c_lflag & ECHOCTL) && (u8)c < 32 && c != '\n' && c != '\t') {
        char caret[2] = {'^', (char)(c + '@')};
        echo_bytes(caret, 2);
    } else {
        echo_bytes(&c, 1);
    }
}

static void push_input(char c)
{
    if (console.count == BUFFER)
        return; /* full: the byte is lost, as on Linux */
    console.input[(console.head + console.count) % BUFFER] = c;
    console.count++;
}

static void signal_foreground(int sig)
{
    if (!(console.termios.c_lflag & NOFLSH)) {
        console.line_len = 0;
        console.count = console.lines = 0;
    }
    if (console.pgrp)
        signal_process_group(console.pgrp, sig);
}

/*
 * Job control: a process of a background group of the terminal's session
 * that reads it (or, with TOSTOP, writes it, or changes its settings) stops
 * with SIGTTIN/SIGTTOU, and the call restarts once it is continued in the
 * foreground. Reading with SIGTTIN ignored or blocked, or from an orphaned
 * group, is EIO; writing with SIGTTOU ignored or blocked is allowed.
 */
static long job_control_check(int sig)
{
    struct task *me = current_task()->group_leader;
    if (!console.pgrp || console.session != me->sid || me->pgid == console.pgrp)
        return 0;
    if (signal_ignored_or_blocked(current_task(), sig))
        return sig == SIGTTIN ? -EIO : 0;
    if (process_group_orphaned(me->pgid))
        return -EIO;
    signal_process_group(me->pgid, sig);
    return -ERESTARTSYS;
}

static void erase_one(void)
{
    if (!console.line_len)
        return;
    char c = console.line[--console.line_len];
    if ((console.termios.c_lflag & ECHO) && (console.termios.c_lflag & ECHOE)) {
        int width = ((console.termios.c_lflag & ECHOCTL) && (u8)c < 32 && c != '\t') ? 2 : 1;
        for (int i = 0; i < width; i++)
            echo_bytes("\b \b", 3);
    }
}

void tty_receive(char c)
{
    struct termios *t = &console.termios;
    if (t->c_iflag & ISTRIP)
        c &= 0x7f;
    if (c == '\r') {
        if (t->c_iflag & IGNCR)
            return;
        if (t->c_iflag & ICRNL)
            c = '\n';
    } else if (c == '\n' && (t->c_iflag & INLCR)) {
        c = '\r';
    }
    if (t->c_lflag & ISIG) {
        int sig = c == (char)t->c_cc[VINTR] ? SIGINT : c == (char)t->c_cc[VQUIT] ? SIGQUIT
                  : c == (char)t->c_cc[VSUSP] ? SIGTSTP : 0;
        if (sig && c) {
            echo_char(c);
            if (t->c_lflag & ECHO)
                echo_bytes("\n", 1);
            signal_foreground(sig);
            wake_up_all(&console.read_wait);
            return;
        }
    }
    if (!(t->c_lflag & ICANON)) {
        push_input(c);
        echo_char(c);
        wake_up_all(&console.read_wait);
        fasync_notify(&console, POLL_IN);
        return;
    }
    if (c == (char)t->c_cc[VERASE] || c == '\b') {
        erase_one();
        return;
    }
    if (c == (char)t->c_cc[VWERASE] && (t->c_lflag & IEXTEN)) {
        while (console.line_len && console.line[console.line_len - 1] == ' ')
            erase_one();
        while (console.line_len && console.line[console.line_len - 1] != ' ')
            erase_one();
        return;
    }
    if (c == (char)t->c_cc[VKILL]) {
        while (console.line_len)
            erase_one();
        return;
    }
    if (c == (char)t->c_cc[VEOF]) {
        /* The line so far goes to the reader without a newline; on an empty
         * line the reader gets end of file. */
        for (size_t i = 0; i < console.line_len; i++)
            push_input(console.line[i]);
        console.line_len = 0;
        console.lines++;
        wake_up_all(&console.read_wait);
        fasync_notify(&console, POLL_IN);
        return;
    }
    if (console.line_len < BUFFER - 1)
        console.line[console.line_len++] = c;
    if (c == '\n' ? (t->c_lflag & (ECHO | ECHONL)) : (t->c_lflag & ECHO))
        echo_bytes(&c, 1);
    if (c == '\n') {
        for (size_t i = 0; i < console.line_len; i++)
            push_input(console.line[i]);
        console.line_len = 0;
        console.lines++;
        wake_up_all(&console.read_wait);
        fasync_notify(&console, POLL_IN);
    }
}

static bool canonical(void) { return console.termios.c_lflag & ICANON; }

static bool readable(void)
{
    return canonical() ? console.lines > 0 : console.count >= MAX(1u, (unsigned)console.termios.c_cc[VMIN]);
}

static ssize_t tty_read(struct file *f, char __user *buf, size_t len, u64 *pos)
{
    (void)pos;
    long denied = job_control_check(SIGTTIN);
    if (denied)
        return denied;
    if (len == 0)
        return 0;
    u64 flags = irq_save();
    u64 deadline = 0;
    if (!canonical() && console.termios.c_cc[VTIME])
        deadline = monotonic_ns() + console.termios.c_cc[VTIME] * 100000000ull;
    bool poll_only = !canonical() && console.termios.c_cc[VMIN] == 0 && console.termios.c_cc[VTIME] == 0;
    while (!readable()) {
        if (poll_only || (deadline && console.count && !canonical()))
            break;
        if (deadline && monotonic_ns() >= deadline)
            break;
        if (f->flags & O_NONBLOCK) {
            irq_restore(flags);
            return -EAGAIN;
        }
        int err = wait_sleep(&console.read_wait, NULL, deadline ? deadline : WAIT_NO_DEADLINE);
        if (err == -ETIMEDOUT)
            break;
        if (err) {
            irq_restore(flags);
            return err;
        }
    }
    char chunk[BUFFER];
    size_t n = 0;
    if (canonical() && console.lines && console.count == 0) {
        /* ^D on an empty line: this read is the end of file. */
        console.lines--;
        irq_restore(flags);
        return 0;
    }
    while (n < len && console.count) {
        char c = console.input[console.head];
        console.head = (console.head + 1) % BUFFER;
        console.count--;
        chunk[n++] = c;
        if (canonical() && c == '\n') {
            console.lines--;
            break;
        }
    }
    if (canonical() && n && chunk[n - 1] != '\n' && console.lines && console.count == 0)
        console.lines--; /* a line ended by ^D */
    irq_restore(flags);
    return copy_to_user(buf, chunk, n) ? -EFAULT : (ssize_t)n;
}

static ssize_t tty_write(struct file *f, const char __user *buf, size_t len, u64 *pos)
{
    (void)f, (void)pos;
    if (console.termios.c_lflag & TOSTOP) {
        long denied = job_control_check(SIGTTOU);
        if (denied)
            return denied;
    }
    char in[256], out[512];
    size_t done = 0;
    bool onlcr = (console.termios.c_oflag & OPOST) && (console.termios.c_oflag & ONLCR);
    while (done < len) {
        size_t n = MIN(len - done, sizeof(in));
        if (copy_from_user(in, buf + done, n))
            return done ? (ssize_t)done : -EFAULT;
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
            if (in[i] == '\n' && onlcr)
                out[o++] = '\r';
            out[o++] = in[i];
        }
        serial_write(COM1, out, o);
        done += n;
    }
    return (ssize_t)done;
}

static unsigned tty_poll(struct file *f, struct poll_table *table)
{
    poll_wait(f, &console.read_wait, table);
    return (readable() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

static long tty_ioctl(struct file *f, unsigned cmd, u64 arg)
{
    (void)f;
    void __user *p = (void __user *)arg;
    struct task *me = current_task()->group_leader;
    switch (cmd) {
    case TCGETS:
        return copy_to_user(p, &console.termios, sizeof(console.termios)) ? -EFAULT : 0;
    case TCSETSF:
    case TCSETS:
    case TCSETSW:
    case TIOCSPGRP: {
        long denied = job_control_check(SIGTTOU);
        if (denied)
            return denied;
        break;
    }
    }
    switch (cmd) {
    case TCSETSF:
        console.count = console.lines = 0;
        console.line_len = 0;
        /* fall through */
    case TCSETS:
    case TCSETSW:
        return copy_from_user(&console.termios, p, sizeof(console.termios)) ? -EFAULT : 0;
    case TIOCGWINSZ:
        return copy_to_user(p, &console.winsize, sizeof(console.winsize)) ? -EFAULT : 0;
    case TIOCSWINSZ: {
        struct winsize w;
        if (copy_from_user(&w, p, sizeof(w)))
            return -EFAULT;
        bool changed = memcmp(&w, &console.winsize, sizeof(w)) != 0;
        console.winsize = w;
        if (changed && console.pgrp)
            signal_foreground(SIGWINCH);
        return 0;
    }
    case TIOCGPGRP: {
        int pgrp = console.pgrp ? console.pgrp : me->pgid;
        return copy_to_user(p, &pgrp, sizeof(pgrp)) ? -EFAULT : 0;
    }
    case TIOCSPGRP: {
        int pgrp;
        if (copy_from_user(&pgrp, p, sizeof(pgrp)))
            return -EFAULT;
        if (pgrp < 0)
            return -EINVAL;
        if (console.session && console.session != me->sid)
            return -ENOTTY;
        console.pgrp = pgrp;
        return 0;
    }
    case TIOCSCTTY:
        if (me->sid != me->pid)
            return -EPERM;
        console.session = me->sid;
        console.pgrp = me->pgid;
        return 0;
    case TIOCNOTTY:
        if (console.session == me->sid)
            console.session = console.pgrp = 0;
        return 0;
    case TIOCGSID: {
        if (!console.session)
            return -ENOTTY;
        int sid = console.session;
        return copy_to_user(p, &sid, sizeof(sid)) ? -EFAULT : 0;
    }
    case FIONREAD: {
        int n = (int)console.count;
        return copy_to_user(p, &n, sizeof(n)) ? -EFAULT : 0;
    }
    case TIOCOUTQ: {
        int zero = 0;
        return copy_to_user(p, &zero, sizeof(zero)) ? -EFAULT : 0;
    }
    case TCFLSH:
        if (arg == 0 || arg == 2) {
            console.count = console.lines = 0;
            console.line_len = 0;
        }
        return arg <= 2 ? 0 : -EINVAL;
    case TCSBRK:
    case TCXONC:
        return 0; /* output is never held back: nothing to drain or resume */
    default:
        return -ENOTTY;
    }
}

/* Every open file of the console names it: fasync_notify finds them by it. */
static int tty_open(struct inode *inode, struct file *f)
{
    (void)inode;
    f->private = &console;
    return 0;
}

/* O_ASYNC on a terminal signals its foreground group unless an owner is set (Linux's __tty_fasync). */
static int tty_async_on(struct file *f) { return fasync_default_owner(f, console.pgrp); }

static const struct file_ops tty_ops = {.open = tty_open,
                                        .read = tty_read,
                                        .write = tty_write,
                                        .ioctl = tty_ioctl,
                                        .poll = tty_poll,
                                        .async_on = tty_async_on,
                                        .stream = true,
                                        .fasync = true};

const struct file_ops *console_tty_ops(void) { return &tty_ops; }
