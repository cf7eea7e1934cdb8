# GDB settings for the UML kernel (sourced by scripts/gdb.sh and gdb-check.sh).
# UML runs on host signals: SIGSEGV for page faults, SIGALRM/SIGVTALRM for the
# timer, SIGIO for I/O, SIGUSR1 for its helper threads, SIGWINCH for consoles.
handle SIGSEGV nostop noprint pass
handle SIGUSR1 nostop noprint pass
handle SIGIO nostop noprint pass
handle SIGALRM nostop noprint pass
handle SIGVTALRM nostop noprint pass
handle SIGWINCH nostop noprint pass
set pagination off
set confirm off
# UML forks helper processes; stay with the kernel.
set follow-fork-mode parent
set detach-on-fork on
