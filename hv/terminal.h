/* The host's terminal while the guest's console is one. */
#ifndef SYSGATE_TERMINAL_H
#define SYSGATE_TERMINAL_H

#include <stdbool.h>

/* Puts the host terminal on stdin into raw mode, so that every key (^C, ^Z,
   ^D, arrows) reaches the guest's line discipline, which echoes and edits as
   a Linux terminal does. Restored at exit, whatever the way out. Does nothing
   when stdin is not a terminal. */
void terminal_raw_begin(void);

/* "sysgate.winsize=ROWSxCOLS" for the kernel command line, or "" when stdout
   is not a terminal. Static storage. */
const char *terminal_size_word(void);

#endif
