#ifndef CNGHTTP2_SHIM_H
#define CNGHTTP2_SHIM_H
// Debian 12 ships nghttp2 1.52: only the pre-"*2" API is available (see DESIGN.md).
#include <nghttp2/nghttp2.h>
#endif
