// glibc extensions PluginHost needs that Swift's Glibc module does not expose
// (they are declared only under _GNU_SOURCE, or are variadic).
#ifndef C_PLUGIN_HOST_SHIMS_H
#define C_PLUGIN_HOST_SHIMS_H

#include <spawn.h>

// Makes the spawned child change into `path` before exec (glibc >= 2.29).
int cplugin_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

// Makes the spawned child close every descriptor >= `lowest` before exec (glibc >= 2.34),
// so no descriptor of the host leaks into a plugin whatever its CLOEXEC flag.
int cplugin_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int lowest);

// Marks the calling process as a child subreaper: orphaned descendants are re-parented
// to it (instead of pid 1), so it can reap a plugin's own children. 0 on success.
int cplugin_set_child_subreaper(void);

// pipe2(fds, O_CLOEXEC): both ends close on exec, atomically (no window for a fork elsewhere).
int cplugin_pipe_cloexec(int fds[2]);

#endif
