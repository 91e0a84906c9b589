/* The text of an errno value, as glibc's strerror words it, and its name:
 * for the kernel's own messages (a user reads "No such file or directory",
 * not "error 2") and the system-call trace. The table is generated from
 * Linux's headers by tools/gen-errno.sh. */
#include "errno.h"
#include "lib.h"

struct errno_entry {
    const char *name, *text;
};

static const struct errno_entry entries[] = {
#define ERRNO(number, name, text) [number] = {#name, text},
#include "errno_table.h"
#undef ERRNO
};

static const struct errno_entry *entry_of(int err)
{
    if (err < 0)
        err = -err;
    if ((unsigned)err < ARRAY_SIZE(entries) && entries[err].name)
        return &entries[err];
    return NULL;
}

const char *errno_text(int err)
{
    const struct errno_entry *e = entry_of(err);
    return e ? e->text : "Unknown error";
}

const char *errno_name(int err)
{
    const struct errno_entry *e = entry_of(err);
    return e ? e->name : NULL;
}
