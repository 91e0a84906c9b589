/* The host terminal in raw mode while the guest's console line discipline does
   the terminal's work (see terminal.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "terminal.h"

static struct termios saved;
static bool changed;

static void terminal_restore(void)
{
    if (changed)
        tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
    changed = false;
}

void terminal_raw_begin(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) != 0)
        return;
    struct termios raw = saved;
    cfmakeraw(&raw);
    raw.c_oflag |= OPOST | ONLCR; /* the monitor's own messages still start lines properly */
    if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) != 0)
        return;
    changed = true;
    atexit(terminal_restore);
}

const char *terminal_size_word(void)
{
    static char word[64];
    struct winsize size;
    if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || !size.ws_row || !size.ws_col)
        return "";
    snprintf(word, sizeof word, "sysgate.winsize=%ux%u", size.ws_row, size.ws_col);
    return word;
}
