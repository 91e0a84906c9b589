/* Terminal definitions from Linux's asm-generic/termbits.h and ioctls.h. */
#ifndef SYSGATE_TTY_H
#define SYSGATE_TTY_H

#include "fs.h"
#include "types.h"

#define NCCS 19
struct termios {
    u32 c_iflag, c_oflag, c_cflag, c_lflag;
    u8 c_line;
    u8 c_cc[NCCS];
};
struct winsize {
    u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define ICRNL 0000400
#define IXON 0002000
#define OPOST 0000001
#define ONLCR 0000004
#define B38400 0000017
#define CS8 0000060
#define CREAD 0000200
#define HUPCL 0002000
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHOCTL 0001000
#define ECHOKE 0004000
#define IEXTEN 0100000

#define INLCR 0000100
#define IGNCR 0000200
#define ISTRIP 0000040
#define IUTF8 0040000
#define NOFLSH 0000200
#define TOSTOP 0000400
#define ECHONL 0000100

#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSUSP 10
#define VWERASE 14

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCGPGRP 0x540f
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define TCFLSH 0x540b
#define TCSBRK 0x5409
#define TCXONC 0x540a
#define TIOCSCTTY 0x540e
#define TIOCOUTQ 0x5411
#define FIONREAD 0x541b
#define TIOCNOTTY 0x5422
#define TIOCGSID 0x5429

/* Device numbers, Linux's where Linux has one. 240 is a local-use major. */
#define DEV_NULL MKDEV(1, 3)
#define DEV_ZERO MKDEV(1, 5)
#define DEV_FULL MKDEV(1, 7)
#define DEV_RANDOM MKDEV(1, 8)
#define DEV_URANDOM MKDEV(1, 9)
#define DEV_KMSG MKDEV(1, 11)
#define MSR_MAJOR 202 /* /dev/cpu/N/msr: minor N */
#define DEV_TTY MKDEV(5, 0)
#define DEV_CONSOLE MKDEV(5, 1)
#define DEV_TTYS0 MKDEV(4, 64)
#define DEV_HOST_STDIN MKDEV(240, 0)
#define DEV_HOST_STDOUT MKDEV(240, 1)
#define DEV_HOST_STDERR MKDEV(240, 2)

void console_devices_init(void);
/* The console terminal (tty.c): set up, and fed one received byte at a time. */
void tty_init(void);
void tty_receive(char c);
const struct file_ops *console_tty_ops(void);

#endif
