/*
 * Random numbers for AT_RANDOM, getrandom and /dev/urandom: xoshiro256** seeded
 * from RDRAND when the CPU has it, and from the time stamp counter mixed with
 * splitmix64 otherwise. Not a cryptographic generator; good enough for the
 * stack-protector canaries and hash seeds that user programs take from it.
 */
#include "errno.h"
#include "lib.h"
#include "random.h"
#include "uaccess.h"
#include "x86.h"

static u64 state[4];

static u64 splitmix64(u64 *x)
{
    u64 z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static bool rdrand(u64 *out)
{
    for (int tries = 0; tries < 10; tries++) {
        unsigned char ok;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok));
        if (ok)
            return true;
    }
    return false;
}

void random_init(void)
{
    u32 a, b, c, d;
    cpuid(1, 0, &a, &b, &c, &d);
    bool has_rdrand = c & (1u << 30);
    u64 seed = rdtsc();
    for (int i = 0; i < 4; i++) {
        u64 hw = 0;
        if (has_rdrand)
            rdrand(&hw);
        state[i] = splitmix64(&seed) ^ hw;
    }
}

static u64 rotl(u64 x, int k) { return (x << k) | (x >> (64 - k)); }

u64 random_u64(void)
{
    u64 result = rotl(state[1] * 5, 7) * 9;
    u64 t = state[1] << 17;
    state[2] ^= state[0];
    state[3] ^= state[1];
    state[1] ^= state[2];
    state[0] ^= state[3];
    state[2] ^= t;
    state[3] = rotl(state[3], 45);
    return result;
}

void random_bytes(void *buf, size_t len)
{
    u8 *p = buf;
    while (len) {
        u64 r = random_u64();
        size_t n = MIN(len, sizeof(r));
        memcpy(p, &r, n);
        p += n;
        len -= n;
    }
}

ssize_t random_to_user(void __user *buf, size_t len)
{
    u8 chunk[256];
    size_t done = 0;
    while (done < len) {
        size_t n = MIN(len - done, sizeof(chunk));
        random_bytes(chunk, n);
        if (copy_to_user((u8 __user *)buf + done, chunk, n))
            return done ? (ssize_t)done : -EFAULT;
        done += n;
    }
    return (ssize_t)done;
}
