#ifndef SYSGATE_TIME_H
#define SYSGATE_TIME_H

#include "types.h"

void time_init(void);
s64 realtime_seconds(void);
u64 realtime_ns(void);

#endif
