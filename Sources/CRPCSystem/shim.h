#ifndef CRPCSYSTEM_SHIM_H
#define CRPCSYSTEM_SHIM_H
// Linux headers that Swift's Glibc module does not export: epoll, eventfd, TCP options, Unix sockets.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

// accept4 is declared only under _GNU_SOURCE, which Swift's Glibc import does not define;
// glibc has exported it since 2.10. Declared here with its exact glibc signature.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addr_len, int flags);
#endif
