/* Wall-clock time: read once from the CMOS real-time clock at boot, then kept
 * by the monotonic clock (time/tsc.c). */
#include "apic.h"
#include "lib.h"
#include "time.h"
#include "x86.h"

static u8 cmos_read(u8 reg)
{
    outb(0x70, reg);
    return inb(0x71);
}

static int bcd(int v) { return (v & 0x0f) + (v >> 4) * 10; }

static s64 days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (s64)era * 146097 + doe - 719468;
}

void time_init(void)
{
    /* An update in progress lasts under 2 ms; a machine without an RTC reads
     * 0xff, which has the bit set forever. */
    for (int spins = 0; spins < 100000 && (cmos_read(0x0a) & 0x80); spins++)
        cpu_relax();
    if (cmos_read(0x0a) == 0xff) {
        kprintf(KERN_WARN "rtc: no CMOS clock; the time starts at the epoch\n");
        return;
    }
    int sec = cmos_read(0x00), min = cmos_read(0x02), hour = cmos_read(0x04);
    int day = cmos_read(0x07), month = cmos_read(0x08), year = cmos_read(0x09);
    int century = cmos_read(0x32);
    bool binary = cmos_read(0x0b) & 0x04;
    if (!binary) {
        sec = bcd(sec), min = bcd(min), hour = bcd(hour);
        day = bcd(day), month = bcd(month), year = bcd(year), century = bcd(century);
    }
    int full_year = (century >= 19 && century <= 30 ? century : 20) * 100 + year;
    s64 epoch_seconds = days_from_civil(full_year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
    clock_set_realtime((u64)epoch_seconds * 1000000000ull);
}


