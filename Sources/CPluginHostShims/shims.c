#define _GNU_SOURCE
#include "CPluginHostShims.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int cplugin_set_child_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

int cplugin_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int cplugin_socketpair_cloexec(int fds[2]) {
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
}

// What a child that could not exec sends back through the error pipe.
struct spawn_failure {
    int step;
    int error;
};

// Everything below until the parent part runs in the forked child of a multi-threaded
// process: only async-signal-safe system calls, no allocation, no locks.

static void report_and_exit(int pipe_fd, int step) {
    struct spawn_failure failure = {step, errno};
    ssize_t ignored = write(pipe_fd, &failure, sizeof failure);
    (void)ignored;
    _exit(127);
}

// Closes descriptors first..last; close_range needs Linux 5.9, older kernels get a loop.
static int close_from_to(unsigned first, unsigned last) {
    if (first > last) return 0;
    if (syscall(SYS_close_range, first, last, 0) == 0) return 0;
    if (errno != ENOSYS) return -1;
    struct rlimit limit;
    unsigned end = last;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur - 1 < end) {
        end = (unsigned)limit.rlim_cur - 1;
    }
    for (unsigned fd = first; fd <= end; fd++) close((int)fd);
    return 0;
}

// Moves the child's standard descriptors (and the credentials socket) into place and
// closes everything else, including the host's descriptors that lack CLOEXEC.
static int arrange_descriptors(const struct cplugin_spawn_request *request, int pipe_fd) {
    int sources[4] = {request->stdin_fd, request->stdout_fd, request->stderr_fd, request->credentials_fd};
    int count = request->credentials_fd >= 0 ? 4 : 3;
    int lifted[4];
    // First lift every source above the targets, so no dup2 below overwrites a source
    // that happens to have a target's number. The lifted copies close on exec.
    for (int index = 0; index < count; index++) {
        lifted[index] = fcntl(sources[index], F_DUPFD_CLOEXEC, 5);
        if (lifted[index] < 0) return -1;
    }
    for (int index = 0; index < count; index++) {
        if (dup2(lifted[index], index) < 0) return -1;
    }
    // Close everything from `count` up except the error pipe (which is above them).
    if (close_from_to((unsigned)count, (unsigned)pipe_fd - 1) != 0) return -1;
    return close_from_to((unsigned)pipe_fd + 1, ~0U);
}

static int drop_all_capabilities(void) {
    if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED, 0, 0, 0) != 0) return -1;
    // Drop every capability from the bounding set; the kernel says EINVAL past its last one.
    for (int capability = 0; capability < 64; capability++) {
        if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0) {
            if (errno == EINVAL) break;
            return -1;
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) return -1;
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2] = {{0, 0, 0}, {0, 0, 0}};
    if (syscall(SYS_capset, &header, data) != 0) return -1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    return 0;
}

static void run_child(const struct cplugin_spawn_request *request, int pipe_fd) {
    // Default dispositions for every signal (the host may ignore or handle some).
    struct sigaction default_action;
    default_action.sa_handler = SIG_DFL;
    default_action.sa_flags = 0;
    sigemptyset(&default_action.sa_mask);
    for (int signal = 1; signal < NSIG; signal++) sigaction(signal, &default_action, NULL);

    // The error pipe must survive the descriptor shuffle: lift it above the targets too.
    int lifted_pipe = fcntl(pipe_fd, F_DUPFD_CLOEXEC, 5);
    if (lifted_pipe < 0) report_and_exit(pipe_fd, CPLUGIN_STEP_DESCRIPTORS);
    close(pipe_fd);
    pipe_fd = lifted_pipe;

    if (setpgid(0, 0) != 0) report_and_exit(pipe_fd, CPLUGIN_STEP_PROCESS_GROUP);
    // The plugin itself becomes a subreaper (the flag survives execve): a descendant that
    // double-forks into a new session is re-parented to the plugin, not to the host, so it
    // stays in the plugin's tree where the host finds it at stop.
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) report_and_exit(pipe_fd, CPLUGIN_STEP_PROCESS_GROUP);
    if (arrange_descriptors(request, pipe_fd) != 0) report_and_exit(pipe_fd, CPLUGIN_STEP_DESCRIPTORS);
    if (chdir(request->working_directory) != 0) report_and_exit(pipe_fd, CPLUGIN_STEP_WORKING_DIRECTORY);
    if (request->drop_capabilities && drop_all_capabilities() != 0) {
        report_and_exit(pipe_fd, CPLUGIN_STEP_CAPABILITIES);
    }
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    execve(request->executable, request->argv, request->envp);
    report_and_exit(pipe_fd, CPLUGIN_STEP_EXEC);
}

int cplugin_spawn_plugin(const struct cplugin_spawn_request *request, pid_t *pid, int *failed_step) {
    *failed_step = CPLUGIN_STEP_NONE;
    int error_pipe[2];
    if (pipe2(error_pipe, O_CLOEXEC) != 0) {
        *failed_step = CPLUGIN_STEP_ERROR_PIPE;
        return errno;
    }
    // No host signal handler may run in the child before its dispositions are reset.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t child = fork();
    if (child == 0) {
        close(error_pipe[0]);
        run_child(request, error_pipe[1]);
    }
    int fork_errno = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(error_pipe[1]);
    if (child < 0) {
        close(error_pipe[0]);
        *failed_step = CPLUGIN_STEP_FORK;
        return fork_errno;
    }
    // End of file: the exec succeeded (the pipe closed on exec). A report: it failed.
    struct spawn_failure failure = {CPLUGIN_STEP_NONE, 0};
    ssize_t received;
    do {
        received = read(error_pipe[0], &failure, sizeof failure);
    } while (received < 0 && errno == EINTR);
    close(error_pipe[0]);
    if (received == (ssize_t)sizeof failure) {
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        *failed_step = failure.step;
        return failure.error != 0 ? failure.error : EIO;
    }
    *pid = child;
    return 0;
}
