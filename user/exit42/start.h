/* The entry point of the exit42 demonstrations: no libc, so that nothing but
 * the one system call under study runs. _start calls main(envp). */
#ifndef EXIT42_START_H
#define EXIT42_START_H

#define SG_NO_LIBC
int errno; /* sg_errno's, unused by the raw calls */

int main(char **envp);

#if defined(__x86_64__)
__asm__(".globl _start\n"
        "_start:\n"
        "    mov (%rsp), %rax\n"        /* argc */
        "    lea 16(%rsp,%rax,8), %rdi\n" /* envp = argv + argc + 1 */
        "    and $-16, %rsp\n"
        "    call main\n"
        "    hlt\n");
#else
__asm__(".globl _start\n"
        "_start:\n"
        "    mov (%esp), %eax\n"
        "    lea 8(%esp,%eax,4), %eax\n"
        "    and $-16, %esp\n"
        "    sub $12, %esp\n"
        "    push %eax\n"
        "    call main\n"
        "    hlt\n");
#endif

#endif
