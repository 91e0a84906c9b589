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

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCGPGRP 0x540f
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414

/* Device numbers, Linux's where Linux has one. 240 is a local-use major. */
#define DEV_NULL MKDEV(1, 3)
#define DEV_ZERO MKDEV(1, 5)
#define DEV_FULL MKDEV(1, 7)
#define DEV_RANDOM MKDEV(1, 8)
#define DEV_URANDOM MKDEV(1, 9)
#define DEV_TTY MKDEV(5, 0)
#define DEV_CONSOLE MKDEV(5, 1)
#define DEV_TTYS0 MKDEV(4, 64)
#define DEV_HOST_STDIN MKDEV(240, 0)
#define DEV_HOST_STDOUT MKDEV(240, 1)
#define DEV_HOST_STDERR MKDEV(240, 2)

void console_devices_init(void);

#endif
