# /proc/PID/smaps, smaps_rollup and pagemap against the Linux host: field
# names and order, a known mapping's sizes, pagemap's bits and errors, and
# frame numbers hidden from a process without CAP_SYS_ADMIN.

test_pagemap_smaps_glibc() { differential $GLIBC/pagemap; }
test_pagemap_smaps_musl() { differential $MUSL/pagemap; }
test_pagemap_smaps_i386() { differential $I386/pagemap; }
