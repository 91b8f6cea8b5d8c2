#ifndef FLOTILLA_ALLOCATOR_H
#define FLOTILLA_ALLOCATOR_H

/// jemalloc's options for the `flotilla` executable (see allocator.c).
extern const char *malloc_conf;

#endif
