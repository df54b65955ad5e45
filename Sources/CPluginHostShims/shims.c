#define _GNU_SOURCE
#include "CPluginHostShims.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

int cplugin_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cplugin_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

int cplugin_set_child_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

int cplugin_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
