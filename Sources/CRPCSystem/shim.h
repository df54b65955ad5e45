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
#endif
