// glibc and Linux facilities PluginHost needs that Swift's Glibc module does not expose
// (declared only under _GNU_SOURCE, variadic, or only safe to call between fork and exec).
#ifndef C_PLUGIN_HOST_SHIMS_H
#define C_PLUGIN_HOST_SHIMS_H

#include <sys/types.h>

// Marks the calling process as a child subreaper: orphaned descendants are re-parented
// to it (instead of pid 1), so it can reap a plugin's own children. 0 on success.
int cplugin_set_child_subreaper(void);

// pipe2(fds, O_CLOEXEC): both ends close on exec, atomically (no window for a fork elsewhere).
int cplugin_pipe_cloexec(int fds[2]);

// socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC): the plugin's credentials channel.
int cplugin_socketpair_cloexec(int fds[2]);

// What the child of cplugin_spawn_plugin does before exec. Every pointer must stay valid
// for the call; the arrays are NULL-terminated.
struct cplugin_spawn_request {
    const char *executable;
    char *const *argv;
    char *const *envp;
    const char *working_directory;
    // Become descriptors 0, 1, 2 and (unless credentials_fd is -1) 3 in the child;
    // every other descriptor is closed.
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
    int credentials_fd;
    // Nonzero: empty the bounding set, clear the ambient set, lock securebits
    // NOROOT|NOROOT_LOCKED, clear every capability set and set no_new_privs before exec,
    // so a child running as uid 0 holds no capability at all.
    int drop_capabilities;
};

// The steps of cplugin_spawn_plugin that can fail, reported in *failed_step.
enum cplugin_spawn_step {
    CPLUGIN_STEP_NONE = 0,
    CPLUGIN_STEP_ERROR_PIPE,
    CPLUGIN_STEP_FORK,
    CPLUGIN_STEP_PROCESS_GROUP,
    CPLUGIN_STEP_DESCRIPTORS,
    CPLUGIN_STEP_WORKING_DIRECTORY,
    CPLUGIN_STEP_CAPABILITIES,
    CPLUGIN_STEP_EXEC,
};

// Starts a plugin process: fork, then in the child only async-signal-safe system calls
// (default signal dispositions, its own process group, the child-subreaper flag so orphaned
// descendants stay in its tree, descriptors 0-3, chdir, the capability drop, an empty
// signal mask), then execve. Returns 0 with *pid set once the
// exec succeeded; otherwise the errno of the step named in *failed_step, with the child
// (if any) already reaped.
int cplugin_spawn_plugin(const struct cplugin_spawn_request *request, pid_t *pid, int *failed_step);

#endif
